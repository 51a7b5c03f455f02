package rank

import (
	"slices"
	"testing"
)

func TestAverage(t *testing.T) {
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
		if got := Average(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Average(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
