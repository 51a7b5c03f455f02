package explain

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/optimize"
)

// Fit is a saturating power law L(x) = E + A·x^−α fitted to losses.
type Fit struct {
	// E is the irreducible loss the law tends to, A the scale, Alpha the
	// exponent (x in its own units).
	E, A, Alpha float64
	// R2 is the share of the variance of ln L the law explains.
	R2 float64
	// AlphaLow and AlphaHigh bound a 95% residual-bootstrap interval for
	// Alpha over Resamples refits.
	AlphaLow, AlphaHigh float64
	Resamples           int
	// PureAlpha, PureScale and PureR2 describe a pure power law
	// L = PureScale·x^−α (E = 0; Kaplan et al.'s (c/x)^α): a straight line
	// in log–log space fitted by least squares.
	PureAlpha, PureScale, PureR2 float64
}

// At returns the fitted loss at x.
func (f Fit) At(x float64) float64 { return f.E + f.A*math.Pow(x, -f.Alpha) }

// FitPowerLaw fits L = E + A·x^−α to the points (x[i], loss[i]) by least
// squares in log space, minimising Σ (ln L_i − ln(E + A·x_i^−α))² over
// E > 0, A > 0 and 0 < α < maxAlpha with gonum's Nelder–Mead from a grid
// of starting points, and bootstraps an interval for α by resampling the residuals
// (rescaled by √(n/(n−3)) for the three fitted parameters) resamples
// times with rng. It needs at least four points.
func FitPowerLaw(x, loss []float64, resamples int, rng *rand.Rand) Fit {
	n := len(x)
	ly := make([]float64, n)
	for i, v := range loss {
		ly[i] = math.Log(v)
	}
	x0 := x[0]
	for _, v := range x {
		x0 = math.Min(x0, v)
	}
	lu := make([]float64, n) // ln(x/x0): A is fitted in units of x0
	for i, v := range x {
		lu[i] = math.Log(v / x0)
	}
	theta := fitLog(lu, ly, nil)
	f := Fit{E: math.Exp(theta[0]), Alpha: alphaOf(theta)}
	f.A = math.Exp(theta[1]) * math.Pow(x0, f.Alpha)
	pred := make([]float64, n)
	for i := range n {
		pred[i] = logLaw(theta, lu[i])
	}
	f.R2 = rSquared(ly, pred)
	f.PureAlpha, f.PureScale, f.PureR2 = pureLaw(x, ly)
	if resamples > 0 && n > 3 {
		scale := math.Sqrt(float64(n) / float64(n-3))
		resid := make([]float64, n)
		for i := range n {
			resid[i] = (ly[i] - pred[i]) * scale
		}
		alphas := make([]float64, 0, resamples)
		yb := make([]float64, n)
		for range resamples {
			for i := range n {
				yb[i] = pred[i] + resid[rng.IntN(n)]
			}
			alphas = append(alphas, alphaOf(fitLog(lu, yb, theta)))
		}
		sort.Float64s(alphas)
		f.AlphaLow = alphas[int(0.025*float64(resamples))]
		f.AlphaHigh = alphas[min(resamples-1, int(0.975*float64(resamples)))]
		f.Resamples = resamples
	}
	return f
}

// maxAlpha bounds the exponent: published exponents are below 1, and
// without a bound a few nearly flat points are fitted by a step (α → ∞).
const maxAlpha = 3

// alphaOf maps θ[2] to α in (0, maxAlpha).
func alphaOf(theta []float64) float64 { return maxAlpha / (1 + math.Exp(-theta[2])) }

// thetaOf is alphaOf's inverse.
func thetaOf(alpha float64) float64 { return -math.Log(maxAlpha/alpha - 1) }

// logLaw is ln(E + A·u^−α) for θ = (ln E, ln A, θ₂), α = alphaOf(θ), and
// lu = ln u.
func logLaw(theta []float64, lu float64) float64 {
	a, b := theta[0], theta[1]-alphaOf(theta)*lu
	// ln(e^a + e^b), computed stably.
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// fitLog minimises the squared log error over θ = (ln E, ln A, θ₂),
// starting from a grid (and from start, when given) and refining the best
// starting points with Nelder–Mead.
func fitLog(lu, ly []float64, start []float64) []float64 {
	obj := func(theta []float64) float64 {
		var s float64
		for i := range lu {
			d := ly[i] - logLaw(theta, lu[i])
			s += d * d
		}
		if math.IsNaN(s) {
			return math.Inf(1)
		}
		return s
	}
	ymin := math.Inf(1)
	first := ly[0]
	for i, v := range ly {
		ymin = math.Min(ymin, v)
		if lu[i] == 0 {
			first = v
		}
	}
	type cand struct {
		theta []float64
		f     float64
	}
	var cands []cand
	if start != nil {
		cands = append(cands, cand{append([]float64(nil), start...), obj(start)})
	}
	for _, alpha := range []float64{0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5} {
		for _, ef := range []float64{0.01, 0.5, 0.8, 0.95} {
			e := ef * math.Exp(ymin)
			a := math.Max(math.Exp(first)-e, 1e-3*math.Exp(first))
			th := []float64{math.Log(e), math.Log(a), thetaOf(alpha)}
			cands = append(cands, cand{th, obj(th)})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].f < cands[j].f })
	best := cands[0]
	for _, c := range cands[:min(3, len(cands))] {
		res, err := optimize.Minimize(optimize.Problem{Func: obj}, c.theta,
			&optimize.Settings{FuncEvaluations: 4000, Converger: &optimize.FunctionConverge{Absolute: 1e-14, Iterations: 200}},
			&optimize.NelderMead{})
		if err != nil || res == nil {
			continue
		}
		if res.F < best.f {
			best = cand{res.X, res.F}
		}
	}
	return best.theta
}

// rSquared is 1 − SS_res/SS_tot.
func rSquared(y, pred []float64) float64 {
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	var res, tot float64
	for i, v := range y {
		res += (v - pred[i]) * (v - pred[i])
		tot += (v - mean) * (v - mean)
	}
	if tot == 0 {
		return 0
	}
	return 1 - res/tot
}

// pureLaw fits ln L = c − α·ln x by ordinary least squares and returns
// α, e^c and R².
func pureLaw(x, ly []float64) (alpha, scale, r2 float64) {
	n := float64(len(x))
	var sx, sy, sxx, sxy float64
	for i, v := range x {
		lx := math.Log(v)
		sx += lx
		sy += ly[i]
		sxx += lx * lx
		sxy += lx * ly[i]
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return 0, 0, 0
	}
	slope := (n*sxy - sx*sy) / den
	c := (sy - slope*sx) / n
	pred := make([]float64, len(x))
	for i, v := range x {
		pred[i] = c + slope*math.Log(v)
	}
	return -slope, math.Exp(c), rSquared(ly, pred)
}
