package f32

import "math"

// Quantize writes x as int8 codes into dst (at least as long as x) and
// returns the scale that maps them back: x[i] ≈ scale·float32(dst[i]).
// The largest magnitude in x becomes ±127; a zero vector gets scale 0.
// Int8 codes are a quarter of the size of float32 values, so a search
// that must fetch many scattered vectors from memory compares against
// codes first and computes exact values only for the few it keeps.
func Quantize(dst []int8, x []float32) (scale float32) {
	var m float32
	for _, v := range x {
		m = max(m, float32(math.Abs(float64(v))))
	}
	if m == 0 {
		clear(dst[:len(x)])
		return 0
	}
	inv := 127 / m
	for i, v := range x {
		dst[i] = int8(math.RoundToEven(float64(v * inv)))
	}
	return m / 127
}

// DotInt8 returns the inner product of x with the int8 codes y, each
// taken as a float32: multiply by y's scale (from Quantize) for the
// product with the vector the codes stand for. It uses the first len(x)
// codes of y; y must be at least as long as x.
func DotInt8(x []float32, y []int8) float32 {
	y = y[:len(x)]
	if useAsm {
		return dotInt8Asm(x, y)
	}
	return dotInt8Generic(x, y)
}

func dotInt8Generic(x []float32, y []int8) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * float32(y[i])
		s1 += x[i+1] * float32(y[i+1])
		s2 += x[i+2] * float32(y[i+2])
		s3 += x[i+3] * float32(y[i+3])
	}
	for ; i < len(x); i++ {
		s0 += x[i] * float32(y[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// DotCodes returns the inner product of two vectors of int8 codes, exactly:
// multiply by both scales for the product of the vectors they stand for.
// It uses the first len(x) codes of y; y must be at least as long as x,
// and x at most 1<<16 long so that the sum cannot overflow.
func DotCodes(x, y []int8) int32 {
	y = y[:len(x)]
	if useAsm {
		return dotCodesAsm(x, y)
	}
	return dotCodesGeneric(x, y)
}

func dotCodesGeneric(x, y []int8) int32 {
	y = y[:len(x)]
	var s0, s1 int32
	i := 0
	for ; i+2 <= len(x); i += 2 {
		s0 += int32(x[i]) * int32(y[i])
		s1 += int32(x[i+1]) * int32(y[i+1])
	}
	if i < len(x) {
		s0 += int32(x[i]) * int32(y[i])
	}
	return s0 + s1
}
