// Package f32 holds the float32 vector kernels every hot loop in wordspace
// shares: dot products, axpy, scaling and the logistic sigmoid, and the
// int8 codes (Quantize, DotInt8) that let a search fetch a quarter of the
// bytes. They live here once so that optimising them helps every package
// at the same time.
//
// On amd64 processors with AVX2 and FMA, Dot, DotInt8, Axpy and the fused kernels
// run hand-written assembly; elsewhere, or when built with the purego tag,
// they run unrolled Go loops. The choice is made once at start-up from
// golang.org/x/sys/cpu. The two paths add in different orders, so their
// results can differ in the last bits.
package f32

import (
	"math"
	"unsafe"
)

// Dot returns the inner product of x and y. It uses the first len(x)
// elements of y; y must be at least as long as x.
func Dot(x, y []float32) float32 {
	y = y[:len(x)]
	if useAsm {
		return dotAsm(x, y)
	}
	return dotGeneric(x, y)
}

// Axpy computes y += alpha*x over the first len(x) elements of y.
func Axpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	if useAsm {
		axpyAsm(alpha, x, y)
		return
	}
	axpyGeneric(alpha, x, y)
}

// AxpyPair computes u += a*x and y += b*z in one pass, over the first
// len(x) elements of each. It is the inner step of word2vec training,
// where the same output row feeds one update and receives another: x and
// y may be the same slice, as may z and u.
//
//	u += a*x
//	y += b*z
func AxpyPair(a float32, x, u []float32, b float32, z, y []float32) {
	n := len(x)
	u, z, y = u[:n], z[:n], y[:n]
	if useAsm {
		axpyPairAsm(a, x, u, b, z, y)
		return
	}
	axpyPairGeneric(a, x, u, b, z, y)
}

// Scale multiplies every element of x by alpha.
func Scale(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

// Norm returns the Euclidean length of x, accumulated in float64 so that
// long or badly scaled vectors do not lose precision.
func Norm(x []float32) float64 {
	return math.Sqrt(Dot64(x, x))
}

// Dot64 returns x·y accumulated in float64. Each product of two float32
// values is exact in float64, so the result rounds once, where the caller
// converts it: the analogy evaluator relies on this to reproduce gensim's
// answers question by question.
func Dot64(x, y []float32) float64 {
	y = y[:len(x)]
	var s0, s1 float64
	i := 0
	for ; i+2 <= len(x); i += 2 {
		s0 += float64(x[i]) * float64(y[i])
		s1 += float64(x[i+1]) * float64(y[i+1])
	}
	if i < len(x) {
		s0 += float64(x[i]) * float64(y[i])
	}
	return s0 + s1
}

// Sigmoid returns 1/(1+exp(-x)).
func Sigmoid(x float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(x))))
}

func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpyGeneric(alpha float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

func axpyPairGeneric(a float32, x, u []float32, b float32, z, y []float32) {
	n := len(x)
	u, z, y = u[:n], z[:n], y[:n]
	for i := range n {
		xi, zi := x[i], z[i]
		u[i] += a * xi
		y[i] += b * zi
	}
}

// Prefetch hints that x will be read soon, so that the processor starts
// loading it into cache while other work goes on. It changes nothing and
// is a no-op without assembly support.
func Prefetch[E float32 | int8 | uint32](x []E) {
	if n := len(x) * int(unsafe.Sizeof(x[0])) / 4; useAsm && n > 0 {
		// The same bytes seen as float32s (up to three at the end left
		// out, which cannot matter for a hint).
		prefetchAsm(unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(x))), n))
	}
}
