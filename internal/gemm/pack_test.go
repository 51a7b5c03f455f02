package gemm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPack compares the packing routines this build uses (assembly on
// amd64) with the plain Go loops, over panel widths, lengths, strides and
// partial panels. The destination starts as NaN: every element of the
// panel must be written.
func TestPack(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, w := range []int{4, 6, 16, 24, 32} {
		for _, n := range []int{1, w - 1, w} {
			for _, kc := range []int{1, 7, 8, 9, 16, 23, 64, 257} {
				for _, pad := range []int{0, 5} {
					// copyRuns: kc runs of n values, stride ld.
					ld := n + pad
					src := randSlice(rng, kc*ld)
					want := nanSlice(kc * w)
					got := nanSlice(kc * w)
					copyRunsGo(want, src, ld, kc, w, n)
					copyRuns(got, src, ld, kc, w, n)
					if !slices.Equal(got, want) {
						t.Errorf("copyRuns w=%d n=%d kc=%d ld=%d differs", w, n, kc, ld)
					}
					// interleave: n rows of kc values, stride ld.
					ld = kc + pad
					src = randSlice(rng, n*ld)
					want = nanSlice(kc * w)
					got = nanSlice(kc * w)
					interleaveGo(want, src, ld, kc, w, n)
					interleave(got, src, ld, kc, w, n)
					if !slices.Equal(got, want) {
						t.Errorf("interleave w=%d n=%d kc=%d ld=%d differs", w, n, kc, ld)
					}
					for p := 0; p < kc; p++ {
						for r := 0; r < w; r++ {
							v := float32(0)
							if r < n {
								v = src[r*ld+p]
							}
							if want[p*w+r] != v {
								t.Fatalf("interleaveGo w=%d n=%d kc=%d: d[%d] = %g, want %g", w, n, kc, p*w+r, want[p*w+r], v)
							}
						}
					}
				}
			}
		}
	}
}

// TestCopyBlock checks the block packer against its definition, with
// partial last panels and NaN-filled destinations.
func TestCopyBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, w := range []int{4, 6, 16, 32} {
		for _, cols := range []int{1, w - 1, w, w + 1, 3*w + 2, 20 * w} {
			for _, kc := range []int{1, 7, 64, 193} {
				ld := cols + 3
				src := randSlice(rng, kc*ld)
				panels := (cols + w - 1) / w
				d := nanSlice(panels * w * kc)
				copyBlock(d, src, ld, kc, w, cols)
				for q := 0; q < panels; q++ {
					for p := 0; p < kc; p++ {
						for j := 0; j < w; j++ {
							want := float32(0)
							if q*w+j < cols {
								want = src[p*ld+q*w+j]
							}
							if got := d[(q*kc+p)*w+j]; got != want {
								t.Fatalf("w=%d cols=%d kc=%d: panel %d row %d col %d = %g, want %g", w, cols, kc, q, p, j, got, want)
							}
						}
					}
				}
			}
		}
	}
}

func nanSlice(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(math.NaN())
	}
	return s
}
