package word2vec

import (
	"slices"
	"testing"
)

// TestKernelRows checks that every word's kernel layout is its Huffman
// path with the code-0 nodes (label 1) first, in path order within each
// group, and that the longest path is recorded.
func TestKernelRows(t *testing.T) {
	for _, counts := range [][]int64{{5, 3}, {9, 7, 4, 4, 2, 1, 1}, {100, 50, 20, 10, 5, 3, 2, 1, 1, 1}} {
		h := newHuffman(counts)
		longest := 0
		for w := range len(counts) {
			codes, points := h.path(int32(w))
			longest = max(longest, len(codes))
			var want []int32
			npos := 0
			for k, c := range codes {
				if c == 0 {
					want = append(want, points[k])
					npos++
				}
			}
			for k, c := range codes {
				if c == 1 {
					want = append(want, points[k])
				}
			}
			rows, n := h.kernelRows(int32(w))
			if !slices.Equal(rows, want) || n != npos {
				t.Errorf("counts %v word %d: kernel rows %v (%d positive), want %v (%d)", counts, w, rows, n, want, npos)
			}
		}
		if h.longest != longest || longest == 0 {
			t.Errorf("counts %v: longest %d, want %d", counts, h.longest, longest)
		}
	}
}
