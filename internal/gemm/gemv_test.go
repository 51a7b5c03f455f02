package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wordspace/wordspace/internal/cputime"
)

// TestGemv covers the matrix-vector paths (m == 1 or n == 1): every
// transpose combination, lengths around the unrolling and the column
// chunking, strided vectors and outputs, alpha and beta, split over
// goroutines or not.
func TestGemv(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	lengths := []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100, 301}
	i := 0
	for _, tr := range transCases {
		for _, long := range append(lengths, axpyChunk+5, 2*axpyChunk+100) {
			for _, k := range lengths {
				for _, rowVec := range []bool{true, false} {
					m, n := 1, long
					if !rowVec {
						m, n = long, 1
					}
					s := scalars[i%len(scalars)]
					pad := []int{0, 1, 4}[i%3]
					threads := 1 + i%3
					i++
					p := newProblem(rng, tr.a, tr.b, m, n, k, pad, s.alpha, s.beta)
					c := append([]float32(nil), p.c0...)
					if s.alpha == 0 {
						continue // Sgemm scales C without gemv; covered elsewhere
					}
					gemv(threads, p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
					p.verify(t, c)
					if t.Failed() {
						t.Fatalf("threads %d", threads)
					}
				}
			}
		}
	}
}

// TestLevel2Kernels compares the multi-row dot and axpy kernels this build
// uses with the plain Go loops.
func TestLevel2Kernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, k := range []int{1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 300} {
		for _, pad := range []int{0, 3} {
			ld := k + pad
			rows := randSlice(rng, 4*ld)
			x := randSlice(rng, k)
			var got, want [4]float32
			dotRows4(k, rows, ld, x, &got)
			dotRows4Go(k, rows, ld, x, &want)
			for r := range got {
				if d := got[r] - want[r]; d > 1e-5 || d < -1e-5 {
					t.Errorf("dotRows4 k=%d ld=%d: row %d = %g, want %g", k, ld, r, got[r], want[r])
				}
			}
			w := [4]float32{0.5, -1, 2, 0.25}
			y0 := randSlice(rng, k)
			yg := append([]float32(nil), y0...)
			yw := append([]float32(nil), y0...)
			axpyRows4(k, &w, rows, ld, yg)
			axpyRows4Go(k, &w, rows, ld, yw)
			for j := range yg {
				if d := yg[j] - yw[j]; d > 1e-5 || d < -1e-5 {
					t.Errorf("axpyRows4 n=%d ld=%d: y[%d] = %g, want %g", k, ld, j, yg[j], yw[j])
				}
			}
		}
	}
}

func BenchmarkGemv(b *testing.B) {
	shapes := []benchShape{
		{"mostsimilar/1x1000000x300", false, true, 1, 1_000_000, 300}, // one query against a 1M×300 vocabulary
		{"rowsum/1x30000x100", false, false, 1, 30000, 100},
		{"column/30000x1x100", false, false, 30000, 1, 100},
		{"columnT/30000x1x100", true, false, 30000, 1, 100},
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for _, s := range shapes {
		lda, ldb := s.k, s.n
		if s.transA {
			lda = s.m
		}
		if s.transB {
			ldb = s.k
		}
		a := randSlice(rng, s.m*s.k)
		bm := randSlice(rng, s.k*s.n)
		c := randSlice(rng, s.m*s.n)
		for _, im := range impls {
			b.Run(fmt.Sprintf("%s/%s", s.name, im.name), func(b *testing.B) {
				cpu0 := cputime.Process().Seconds()
				for b.Loop() {
					im.fn(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
				}
				reportFlops(b, 2*float64(s.m)*float64(s.n)*float64(s.k), cpu0)
				b.ReportMetric(4*float64(s.m*s.k+s.k*s.n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
	}
}
