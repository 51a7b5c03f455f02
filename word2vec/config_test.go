package word2vec

import (
	"errors"
	"math"
	"testing"
)

// TestDefaults checks how the settings left at zero resolve: the starting
// range by model and the final learning rate by epochs.
func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		in                     Config
		initRange, minAlp, exp float64
	}{
		{"skip-gram", Config{Alpha: 0.025, Epochs: 5}, 2, 0.0025, 0.75},
		{"CBOW", Config{CBOW: true, Alpha: 0.05, Epochs: 5}, 1, 0.005, 0.75},
		{"two epochs", Config{Alpha: 0.025, Epochs: 2}, 2, 0.00625, 0.75},
		{"set", Config{Alpha: 0.025, Epochs: 2, InitRange: 0.5, MinAlpha: 1e-6, NoiseExponent: 1}, 0.5, 1e-6, 1},
		{"subwords: fastText's", Config{Alpha: 0.025, Epochs: 5, MaxN: 6}, 1, 2.5e-6, 0.5},
		{"subwords, CBOW", Config{CBOW: true, Alpha: 0.05, Epochs: 5, MaxN: 6}, 1, 5e-6, 0.5},
		{"subwords, set", Config{Alpha: 0.025, Epochs: 5, MaxN: 6, InitRange: 2, MinAlpha: 1e-3, NoiseExponent: 0.75}, 2, 1e-3, 0.75},
	} {
		c, err := tc.in.Resolved()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if c.InitRange != tc.initRange || math.Abs(c.MinAlpha-tc.minAlp) > 1e-12 || c.NoiseExponent != tc.exp {
			t.Errorf("%s: InitRange %v, MinAlpha %v, NoiseExponent %v; want %v, %v, %v",
				tc.name, c.InitRange, c.MinAlpha, c.NoiseExponent, tc.initRange, tc.minAlp, tc.exp)
		}
	}
	for _, exp := range []float64{math.NaN(), math.Inf(1), 11, -11} {
		if err := (Config{NoiseExponent: exp}).Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("NoiseExponent %v: error %v, want ErrConfig", exp, err)
		}
	}
}
