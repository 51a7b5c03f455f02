package f32

import "math"

// Exp returns e**x in float32 with a relative error of about 2 units in
// the last place: a range reduction to [-ln2/2, ln2/2], a degree-6
// polynomial and an exponent insertion. It is several times faster than
// math.Exp and is what softmax loops use. Inputs below -87.3 give 0 (so a
// masked -Inf score gives exactly 0), inputs above 88.7 give +Inf, NaN
// gives NaN.
func Exp(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375 // ln 2 split so that n*ln2hi is exact
		ln2lo = -2.12194440e-4
	)
	if !(x > -87.33654) { // also catches NaN below
		if x != x {
			return x
		}
		return 0
	}
	if x > 88.72283 {
		return float32(math.Inf(1))
	}
	t := x * log2e
	var n int32
	if t >= 0 {
		n = int32(t + 0.5)
	} else {
		n = int32(t - 0.5)
	}
	fn := float32(n)
	r := x - fn*ln2hi - fn*ln2lo
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	// n is in [-126, 128]; split the scale so that 2**n never overflows
	// the float32 exponent field on its own.
	if n > 127 {
		return p * 2 * math.Float32frombits(uint32(n-1+127)<<23)
	}
	if n < -126 {
		return p * 0.5 * math.Float32frombits(uint32(n+1+127)<<23)
	}
	return p * math.Float32frombits(uint32(n+127)<<23)
}

// ExpShiftSum replaces every x[i] by e**(x[i]-shift) and returns the sum of
// the results, accumulated in float64. With shift = max(x) it is the
// numerically safe core of a softmax.
//
// On amd64 with AVX2 and FMA it runs eight elements at a time (summing in
// float32 lanes); an input below shift-87.3, or NaN, gives 0 there.
func ExpShiftSum(x []float32, shift float32) float64 {
	i, s0 := expShiftSumBlock(x, shift)
	var s1 float64
	for ; i+2 <= len(x); i += 2 {
		e0 := Exp(x[i] - shift)
		e1 := Exp(x[i+1] - shift)
		x[i], x[i+1] = e0, e1
		s0 += float64(e0)
		s1 += float64(e1)
	}
	for ; i < len(x); i++ {
		e := Exp(x[i] - shift)
		x[i] = e
		s0 += float64(e)
	}
	return s0 + s1
}

// Max returns the largest element of x, or -Inf for an empty slice. NaNs
// are ignored unless every element is NaN.
func Max(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v > m {
			m = v
		}
	}
	return m
}
