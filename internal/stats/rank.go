// Package stats holds the correlation coefficients wordspace reports:
// Pearson's, and Spearman's on ranks that share ties as scipy does, so
// that the figures match the Python tools. A coefficient is NaN when it is
// undefined (a side without variance); callers turn that into their
// package's ErrUndefined.
package stats

import (
	"cmp"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Ranks returns the 1-based rank of each value in x; tied values share
// the average of the ranks they span, as scipy.stats.rankdata's default
// method does, so Spearman correlations match the Python tools.
func Ranks(x []float64) []float64 {
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

// Pearson returns the Pearson correlation coefficient of x and y, which
// must have the same length. It is NaN when either has no variance.
func Pearson(x, y []float64) float64 {
	return stat.Correlation(x, y, nil)
}

// Spearman returns Spearman's rank correlation coefficient of x and y:
// the Pearson correlation of their ranks, tied values sharing the average
// of their ranks (as scipy.stats.spearmanr does). It is NaN when either
// has no variance.
func Spearman(x, y []float64) float64 {
	return stat.Correlation(Ranks(x), Ranks(y), nil)
}
