package explain

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFitPowerLaw(t *testing.T) {
	x := []float64{3e3, 1e4, 3e4, 1e5, 3e5, 1e6, 3e6}
	tests := []struct {
		E, A, alpha, noise float64
	}{
		{E: 3.2, A: 40, alpha: 0.3, noise: 0},
		{E: 1.69, A: 406, alpha: 0.34, noise: 0},
		{E: 0.5, A: 8, alpha: 0.08, noise: 0},
		{E: 4, A: 20, alpha: 0.25, noise: 0.005},
	}
	for _, tc := range tests {
		rng := rand.New(rand.NewPCG(1, 2))
		loss := make([]float64, len(x))
		for i, v := range x {
			loss[i] = (tc.E + tc.A*math.Pow(v, -tc.alpha)) * math.Exp(tc.noise*rng.NormFloat64())
		}
		f := FitPowerLaw(x, loss, 100, rng)
		tol := 0.01 // relative
		if tc.noise > 0 {
			tol = 0.3
		}
		if math.Abs(f.Alpha-tc.alpha)/tc.alpha > tol {
			t.Errorf("%+v: alpha %v", tc, f.Alpha)
		}
		if tc.noise == 0 {
			if math.Abs(f.E-tc.E)/tc.E > 1e-2 || f.R2 < 0.9999 {
				t.Errorf("%+v: E %v, A %v, R² %v", tc, f.E, f.A, f.R2)
			}
			if f.AlphaHigh-f.AlphaLow > 1e-3 {
				t.Errorf("%+v: exact data, interval [%v, %v]", tc, f.AlphaLow, f.AlphaHigh)
			}
		} else if !(f.AlphaLow <= tc.alpha && tc.alpha <= f.AlphaHigh) || f.AlphaHigh-f.AlphaLow < 1e-3 {
			t.Errorf("%+v: interval [%v, %v] misses the true alpha or is empty", tc, f.AlphaLow, f.AlphaHigh)
		}
		for i, v := range x {
			if d := math.Abs(f.At(v)-loss[i]) / loss[i]; d > 3*tc.noise+1e-3 {
				t.Errorf("%+v: fit at %v is %v, loss %v", tc, v, f.At(v), loss[i])
			}
		}
	}
	// A pure power law: E goes to zero and both fits agree.
	var loss []float64
	for _, v := range x {
		loss = append(loss, 12*math.Pow(v, -0.076))
	}
	f := FitPowerLaw(x, loss, 0, nil)
	if math.Abs(f.PureAlpha-0.076) > 1e-9 || math.Abs(f.PureScale-12) > 1e-9 || math.Abs(f.PureR2-1) > 1e-9 || math.Abs(f.Alpha-0.076) > 2e-3 {
		t.Errorf("pure law: alpha %v (pure %v, R² %v), E %v", f.Alpha, f.PureAlpha, f.PureR2, f.E)
	}
}

func TestScalingVerdict(t *testing.T) {
	ladder := func(losses ...float64) []ScalePoint {
		ps := make([]ScalePoint, len(losses))
		for i, l := range losses {
			ps[i] = ScalePoint{DModel: 16 << i, Loss: l}
		}
		return ps
	}
	good := Fit{Alpha: 0.3, AlphaLow: 0.1, AlphaHigh: 0.5, R2: 0.98}
	loose := Fit{Alpha: 0.3, AlphaLow: 0.005, AlphaHigh: 0.9, R2: 0.98}
	for _, tc := range []struct {
		name    string
		sizes   []ScalePoint
		sizeFit Fit
		want    Verdict
	}{
		{"falls at every rung", ladder(6, 5.5, 5.2, 5.0), good, Held},
		{"rises at the last rung", ladder(6, 5.5, 5.0, 5.1), good, HeldWeakly},
		{"interval reaches zero", ladder(6, 5.5, 5.2, 5.0), loose, HeldWeakly},
		{"flat", ladder(6, 5.99, 5.98, 5.97), good, NotSeen},
	} {
		s := &Scaling{Sizes: tc.sizes, SizeFit: tc.sizeFit, Data: ladder(6, 5.6, 5.3, 5.1), DataFit: good}
		if got, _, _ := s.verdict(); got != tc.want {
			t.Errorf("%s: verdict %v, want %v", tc.name, got, tc.want)
		}
	}
}
