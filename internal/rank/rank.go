// Package rank turns values into ranks, the step shared by every rank
// correlation (Spearman) in wordspace.
package rank

import (
	"cmp"
	"slices"
)

// Average returns the 1-based rank of each value in x; tied values share
// the average of the ranks they span, as scipy.stats.rankdata's default
// method does, so Spearman correlations match the Python tools.
func Average(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}
