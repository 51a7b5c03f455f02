//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// dot4 sets out[r] = Σ_p a[r*lda+p]·x[p] for r < 4 (AVX2/FMA).
//
//go:noescape
func dot4(k int, a *float32, lda int, x *float32, out *[4]float32)

// axpy4 adds Σ_r w[r]·b[r*ldb+j] to y[j] for j < n (AVX2/FMA).
//
//go:noescape
func axpy4(n int, w *[4]float32, b *float32, ldb int, y *float32)

var hasFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dotRows4 sets out[r] = rows[r*ld : r*ld+k]·x for r < 4.
func dotRows4(k int, rows []float32, ld int, x []float32, out *[4]float32) {
	if hasFMA && k > 0 {
		_ = rows[3*ld+k-1]
		_ = x[k-1]
		dot4(k, &rows[0], ld, &x[0], out)
		return
	}
	dotRows4Go(k, rows, ld, x, out)
}

// axpyRows4 adds Σ_r w[r]·rows[r*ld : r*ld+n] to y.
func axpyRows4(n int, w *[4]float32, rows []float32, ld int, y []float32) {
	if hasFMA && n > 0 {
		_ = rows[3*ld+n-1]
		_ = y[n-1]
		axpy4(n, w, &rows[0], ld, &y[0])
		return
	}
	axpyRows4Go(n, w, rows, ld, y)
}
