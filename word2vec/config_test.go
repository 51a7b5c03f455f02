package word2vec

import (
	"math"
	"testing"
)

// TestDefaults checks how the settings left at zero resolve: the starting
// range by model and the final learning rate by epochs.
func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		name              string
		in                Config
		initRange, minAlp float64
	}{
		{"skip-gram", Config{Alpha: 0.025, Epochs: 5}, 2, 0.0025},
		{"CBOW", Config{CBOW: true, Alpha: 0.05, Epochs: 5}, 1, 0.005},
		{"two epochs", Config{Alpha: 0.025, Epochs: 2}, 2, 0.00625},
		{"set", Config{Alpha: 0.025, Epochs: 2, InitRange: 0.5, MinAlpha: 1e-6}, 0.5, 1e-6},
	} {
		c := tc.in.withDefaults()
		if c.InitRange != tc.initRange || math.Abs(c.MinAlpha-tc.minAlp) > 1e-12 {
			t.Errorf("%s: InitRange %v, MinAlpha %v; want %v, %v", tc.name, c.InitRange, c.MinAlpha, tc.initRange, tc.minAlp)
		}
	}
}
