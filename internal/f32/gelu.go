package f32

// GELU writes the exact GELU of every element of src into dst:
// 0.5·x·(1+erf(x/√2)), with erf from a float32 rational approximation
// (absolute error below 4e-7). dst must be at least as long as src.
func GELU(dst, src []float32) {
	dst = dst[:len(src)]
	i := geluBlock(dst, src)
	for ; i < len(src); i++ {
		v := src[i]
		dst[i] = 0.5 * v * (1 + Erf(v*invSqrt2))
	}
}

// GELUBackward multiplies dy element-wise by the derivative of GELU at x,
// 0.5·(1+erf(x/√2)) + x·φ(x), in place; x must be at least as long as dy.
func GELUBackward(dy, x []float32) {
	x = x[:len(dy)]
	i := geluBackwardBlock(dy, x)
	for ; i < len(dy); i++ {
		v := x[i]
		cdf := 0.5 * (1 + Erf(v*invSqrt2))
		pdf := invSqrt2Pi * Exp(-0.5*v*v)
		dy[i] *= cdf + v*pdf
	}
}

const (
	invSqrt2   = 0.70710678118654752
	invSqrt2Pi = 0.39894228040143268
)

// Erf is a float32 error function: a rational approximation (odd degree-13
// numerator over even degree-12 denominator, argument clamped to [-4, 4])
// with an absolute error below 4e-7, the one Eigen and XNNPACK use.
// math.Erf is several times slower.
func Erf(x float32) float32 {
	if x != x {
		return x
	}
	x = min(max(x, -4), 4)
	x2 := x * x
	p := float32(-2.72614225801306e-10)
	p = p*x2 + 2.77068142495902e-08
	p = p*x2 - 2.10102402082508e-06
	p = p*x2 - 5.69250639462346e-05
	p = p*x2 - 7.34990630326855e-04
	p = p*x2 - 2.95459980854025e-03
	p = p*x2 - 1.60960333262415e-02
	p *= x
	q := float32(-1.45660718464996e-05)
	q = q*x2 - 2.13374055278905e-04
	q = q*x2 - 1.68282697438203e-03
	q = q*x2 - 7.37332916720468e-03
	q = q*x2 - 1.42647390514189e-02
	return p / q
}
