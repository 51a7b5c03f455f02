package bias

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/wordspace/wordspace/internal/cputime"
)

// loop runs f b.N times (via b.Loop) and reports CPU ns per call.
func loop(b *testing.B, f func()) {
	start := cputime.Process()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	b.ReportMetric(float64(cputime.Process()-start)/float64(n), "cpu-ns/op")
}

// BenchmarkWEATExact8x8 is a whole WEAT with 8+8 targets and 8+8
// attributes in 300 dimensions: lookups, 256 cosines and the exact count
// over all 12,870 partitions. Target: under 20 ms.
func BenchmarkWEATExact8x8(b *testing.B) {
	test, words := randomTest(b, 8, 8, 8, 8, 300, 1)
	e := randomEmbeddings(b, words, 300, 1)
	ctx := context.Background()
	var r *WEATResult
	loop(b, func() {
		var err error
		if r, err = WEAT(ctx, e, test, WEATOptions{}); err != nil {
			b.Fatal(err)
		}
	})
	if !r.Permutation.Exact || r.Permutation.Partitions != 12870 {
		b.Fatalf("not exact: %+v", r.Permutation)
	}
	b.ReportMetric(r.PValue, "p")
}

// BenchmarkCountAtLeast measures the exact count alone when the observed
// sum is the median, the case where the fewest subtrees can be settled
// without walking them.
func BenchmarkCountAtLeast(b *testing.B) {
	for _, c := range []struct {
		name string
		n, k int
	}{{"8+8", 16, 8}, {"10+10", 20, 10}, {"11+11", 22, 11}} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(2, 3))
			v := make([]float64, c.n)
			for i := range v {
				v[i] = rng.NormFloat64()
			}
			var total float64
			for _, x := range v {
				total += x
			}
			threshold := total * float64(c.k) / float64(c.n) // about half the subsets reach it
			var count float64
			loop(b, func() {
				count, _ = countAtLeast(context.Background(), v, c.k, threshold, 1e-12)
			})
			b.ReportMetric(count/binomial(c.n, c.k), "p")
			b.ReportMetric(binomial(c.n, c.k), "partitions")
		})
	}
}

// BenchmarkWEATMonteCarlo25x25 is a whole WEAT with 25+25 targets and
// 25+25 attributes in 300 dimensions and 10^5 random partitions. Target:
// under 1 s.
func BenchmarkWEATMonteCarlo25x25(b *testing.B) {
	test, words := randomTest(b, 25, 25, 25, 25, 300, 1)
	e := randomEmbeddings(b, words, 300, 1)
	ctx := context.Background()
	opt := WEATOptions{Permutations: 100_000, Seed: 1}
	var r *WEATResult
	loop(b, func() {
		var err error
		if r, err = WEAT(ctx, e, test, opt); err != nil {
			b.Fatal(err)
		}
	})
	if r.Permutation.Exact || r.Permutation.Draws != 100_000 {
		b.Fatalf("not Monte-Carlo: %+v", r.Permutation)
	}
}
