package parallel

import (
	"sync/atomic"
	"testing"
)

func TestRowsCoversEveryRowOnce(t *testing.T) {
	for _, tc := range []struct{ n, dim int }{{0, 100}, {1, 1}, {10, 100}, {1000, 1 << 12}, {12345, 300}} {
		seen := make([]atomic.Int32, tc.n)
		Rows(tc.n, tc.dim, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d dim=%d: row %d visited %d times", tc.n, tc.dim, i, c)
			}
		}
	}
}
