package stats

import (
	"math"
	"slices"
	"testing"
)

func TestRanks(t *testing.T) {
	tests := []struct {
		in, want []float64
	}{
		{nil, []float64{}},
		{[]float64{5}, []float64{1}},
		{[]float64{3, 1, 2}, []float64{3, 1, 2}},
		// scipy.stats.rankdata([10, 20, 10, 30, 20, 10]) = [2, 4.5, 2, 6, 4.5, 2]
		{[]float64{10, 20, 10, 30, 20, 10}, []float64{2, 4.5, 2, 6, 4.5, 2}},
		{[]float64{1, 1, 2}, []float64{1.5, 1.5, 3}},
		{[]float64{-1, -1, -1, -1}, []float64{2.5, 2.5, 2.5, 2.5}},
	}
	for _, tt := range tests {
		if got := Ranks(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Ranks(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCorrelations(t *testing.T) {
	// scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic
	if got := Spearman([]float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}); math.Abs(got-0.8207826816681233) > 1e-12 {
		t.Errorf("Spearman with a tie: %v", got)
	}
	if got := Spearman([]float64{3, 1, 2}, []float64{30, 10, 20}); math.Abs(got-1) > 1e-12 {
		t.Errorf("Spearman of the same order: %v", got)
	}
	// scipy.stats.pearsonr([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]).statistic
	if got := Pearson([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 5, 4, 5}); math.Abs(got-0.7745966692414834) > 1e-12 {
		t.Errorf("Pearson: %v", got)
	}
	for _, f := range []func(x, y []float64) float64{Pearson, Spearman} {
		if got := f([]float64{1, 2, 3}, []float64{4, 4, 4}); !math.IsNaN(got) {
			t.Errorf("a side without variance gave %v, want NaN", got)
		}
	}
}
