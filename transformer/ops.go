package transformer

import (
	"math"

	"github.com/wordspace/wordspace/internal/f32"
)

// defaultLNEps is LayerNorm's epsilon unless Config.LayerNormEps says
// otherwise: PyTorch's default.
const defaultLNEps = 1e-5

// layerNorm normalises each of the rows of x (rows × d) to zero mean and
// unit variance (biased, plus eps), then scales by g and shifts by b,
// writing y and the per-row mean and 1/sqrt(var+eps) that backward needs.
// The variance is taken about the mean (two passes), in float32: rows are
// at most a few thousand wide.
func layerNorm(y, x, g, b, mean, rstd []float32, rows, d int, eps float64) {
	inv := 1 / float32(d)
	g, b = g[:d], b[:d]
	for r := range rows {
		xr := x[r*d : (r+1)*d]
		yr := y[r*d : (r+1)*d]
		var s0, s1, s2, s3 float32
		j := 0
		for ; j+4 <= d; j += 4 {
			s0 += xr[j]
			s1 += xr[j+1]
			s2 += xr[j+2]
			s3 += xr[j+3]
		}
		for ; j < d; j++ {
			s0 += xr[j]
		}
		mu := ((s0 + s1) + (s2 + s3)) * inv
		for j, v := range xr {
			yr[j] = v - mu
		}
		rs := float32(1 / math.Sqrt(float64(f32.Dot(yr, yr)*inv)+eps))
		mean[r], rstd[r] = mu, rs
		for j, v := range yr {
			yr[j] = v*rs*g[j] + b[j]
		}
	}
}

// layerNormBackward adds to dx the gradient through the layer norm of x,
// given dy, and accumulates the gain and bias gradients into dg and db.
// tmp is scratch of length d.
func layerNormBackward(dx, dy, x, g, mean, rstd, dg, db, tmp []float32, rows, d int) {
	inv := 1 / float32(d)
	for r := range rows {
		xr := x[r*d : (r+1)*d]
		dyr := dy[r*d : (r+1)*d]
		dxr := dx[r*d : (r+1)*d]
		mu, rs := mean[r], rstd[r]
		var sum, sumx float32
		for j, v := range dyr {
			xh := (xr[j] - mu) * rs
			tmp[j] = xh
			dg[j] += v * xh
			db[j] += v
			dxh := v * g[j]
			sum += dxh
			sumx += dxh * xh
		}
		sum *= inv
		sumx *= inv
		for j, v := range dyr {
			dxr[j] += rs * (v*g[j] - sum - tmp[j]*sumx)
		}
	}
}

// gelu writes the GELU of every element of x into y: exact,
// 0.5·x·(1+erf(x/√2)), or with approx its tanh approximation.
func gelu(y, x []float32, approx bool) {
	if approx {
		geluTanh(y, x)
		return
	}
	f32.GELU(y, x)
}

// geluBackward multiplies dy element-wise by GELU'(x) in place (of the
// tanh approximation with approx).
func geluBackward(dy, x []float32, approx bool) {
	if approx {
		geluTanhBackward(dy, x)
		return
	}
	f32.GELUBackward(dy, x)
}

// The tanh approximation of GELU, for models from code that uses it
// (GPT-2's original): 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³).
// It runs in float64 per element: the variant serves interchange, not
// speed.
const (
	geluTanhC = 0.7978845608028654 // √(2/π)
	geluTanhA = 0.044715
)

func geluTanh(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		z := float64(v)
		y[i] = float32(0.5 * z * (1 + math.Tanh(geluTanhC*(z+geluTanhA*z*z*z))))
	}
}

// geluTanhBackward: d/dx = 0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²).
func geluTanhBackward(dy, x []float32) {
	x = x[:len(dy)]
	for i, v := range x {
		z := float64(v)
		th := math.Tanh(geluTanhC * (z + geluTanhA*z*z*z))
		d := 0.5*(1+th) + 0.5*z*(1-th*th)*geluTanhC*(1+3*geluTanhA*z*z)
		dy[i] = float32(float64(dy[i]) * d)
	}
}

// sinusoids returns the Context×d table of fixed positions:
// PE[t, 2k] = sin(t / 10000^(2k/d)), PE[t, 2k+1] = cos(t / 10000^(2k/d)),
// computed in float64.
func sinusoids(T, d int) []float32 {
	pe := make([]float32, T*d)
	for t := range T {
		for j := 0; j < d; j += 2 {
			ang := float64(t) / math.Pow(10000, float64(j)/float64(d))
			pe[t*d+j] = float32(math.Sin(ang))
			if j+1 < d {
				pe[t*d+j+1] = float32(math.Cos(ang))
			}
		}
	}
	return pe
}

// causalSoftmax turns each row r of the T×T scores s into a softmax over
// columns 0..r and zeroes the columns after r (the future, which a causal
// model must not see). The masked columns are set to -Inf and go through
// the exponential with the rest, so that whole rows run eight-wide.
func causalSoftmax(s []float32, T int) {
	negInf := float32(math.Inf(-1))
	for r := range T {
		row := s[r*T : (r+1)*T]
		for j := r + 1; j < T; j++ {
			row[j] = negInf
		}
		mx := f32.Max(row[:r+1])
		sum := f32.ExpShiftSum(row, mx)
		f32.Scale(float32(1/sum), row)
	}
}

// causalSoftmaxBackward turns dp, the gradient with respect to the
// probabilities p, into the gradient with respect to the scores, in place:
// ds = p ⊙ (dp − Σ_u p·dp), row by row over the visible columns.
func causalSoftmaxBackward(dp, p []float32, T int) {
	for r := range T {
		pr := p[r*T : r*T+r+1]
		dr := dp[r*T : (r+1)*T]
		dot := f32.Dot(pr, dr)
		for j, pv := range pr {
			dr[j] = pv * (dr[j] - dot)
		}
		clear(dr[r+1:])
	}
}

// addBias adds b to every row of x (rows × len(b)).
func addBias(x, b []float32, rows int) {
	n := len(b)
	for r := range rows {
		f32.Axpy(1, b, x[r*n:(r+1)*n])
	}
}

// colSum writes the sum of the rows of x (rows × len(dst)) into dst.
func colSum(dst, x []float32, rows int) {
	n := len(dst)
	clear(dst)
	for r := range rows {
		f32.Axpy(1, x[r*n:(r+1)*n], dst)
	}
}
