package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/wordspace/wordspace/internal/cputime"
)

// benchShape is a product the project actually runs (or a reference
// square), as Sgemm's arguments.
type benchShape struct {
	name           string
	transA, transB bool
	m, n, k        int
}

// benchShapes: the transformer's products at the "tiny" (512 tokens,
// d_model 64, d_ff 256, vocabulary 5000, 4 heads, context 32) and "small"
// (1024 tokens, d_model 128, d_ff 512, vocabulary 20000, context 64) sizes,
// forward and backward; embed's batched nearest-neighbour block; analogy
// evaluation against a 30,000-word vocabulary; squares for reference.
var benchShapes = []benchShape{
	{"tiny/qkv", false, false, 512, 192, 64},        // X·Wqkv
	{"tiny/qkv-dW", true, false, 64, 192, 512},      // Xᵀ·dY
	{"tiny/qkv-dX", false, true, 512, 64, 192},      // dY·Wᵀ
	{"tiny/ff1", false, false, 512, 256, 64},        // X·W1
	{"tiny/ff2", false, false, 512, 64, 256},        // H·W2
	{"tiny/ff2-dW", true, false, 256, 64, 512},      // Hᵀ·dY
	{"tiny/logits", false, true, 512, 5000, 64},     // X·Eᵀ
	{"tiny/logits-dX", false, false, 512, 64, 5000}, // dLogits·E
	{"tiny/logits-dW", true, false, 5000, 64, 512},  // dLogitsᵀ·X
	{"tiny/attn-QK", false, true, 32, 32, 16},       // one head: Q·Kᵀ
	{"tiny/attn-PV", false, false, 32, 16, 32},      // one head: P·V
	{"small/qkv", false, false, 1024, 384, 128},     //
	{"small/qkv-dW", true, false, 128, 384, 1024},   //
	{"small/ff1", false, false, 1024, 512, 128},     //
	{"small/ff2", false, false, 1024, 128, 512},     //
	{"small/logits", false, true, 1024, 20000, 128}, //
	{"small/logits-dX", false, false, 1024, 128, 20000},
	{"small/logits-dW", true, false, 20000, 128, 1024},
	{"small/attn-QK", false, true, 64, 64, 32},
	{"small/attn-PV", false, false, 64, 32, 64},
	{"nearest/1000x1024x300", false, true, 1000, 1024, 300}, // embed.Nearest block
	{"analogy/1000x30000x100", false, true, 1000, 30000, 100},
	{"square/256", false, false, 256, 256, 256},
	{"square/512", false, false, 512, 512, 512},
	{"square/1024", false, false, 1024, 1024, 1024},
}

type sgemmFunc func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

func gonumSgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	gonum.Implementation{}.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

type impl struct {
	name string
	fn   sgemmFunc
}

// impls: Sgemm itself, then each other assembly kernel this machine can run
// (so that the AVX2 kernel is measured on AVX-512 machines too), then
// gonum, all in the same run.
var impls = func() []impl {
	list := []impl{{"wordspace", Sgemm}}
	for _, kn := range kernels[1:] {
		if kn == goKernel {
			continue
		}
		list = append(list, impl{kn.name, func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			sgemm(kn, threadsFor(m, n, k), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		}})
	}
	return append(list, impl{"gonum", gonumSgemm})
}()

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// BenchmarkSgemm reports GFLOP/s (2mnk per product) for each shape, ours
// and gonum's in the same run.
func BenchmarkSgemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range benchShapes {
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
			b.Run(s.name+"/"+im.name, func(b *testing.B) {
				cpu0 := cputime.Process().Seconds()
				for b.Loop() {
					im.fn(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, bm, ldb, 0, c, s.n)
				}
				reportFlops(b, 2*float64(s.m)*float64(s.n)*float64(s.k), cpu0)
			})
		}
	}
}

// BenchmarkNearest1M is embed.Nearest's whole job for 1000 queries over a
// 1,000,000×300 vocabulary: 977 products of 1000×300 by (1024×300)ᵀ.
func BenchmarkNearest1M(b *testing.B) {
	const words, dim, queries, block = 1_000_000, 300, 1000, 1024
	rng := rand.New(rand.NewPCG(2, 2))
	vocab := randSlice(rng, words*dim)
	q := randSlice(rng, queries*dim)
	scores := make([]float32, queries*block)
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			cpu0 := cputime.Process().Seconds()
			for b.Loop() {
				for start := 0; start < words; start += block {
					n := min(block, words-start)
					im.fn(false, true, queries, n, dim, 1, q, dim, vocab[start*dim:], dim, 0, scores, n)
				}
			}
			reportFlops(b, 2*float64(words)*dim*queries, cpu0)
		})
	}
}

// reportFlops reports GFLOP/s of wall-clock time and GFLOP per CPU-second
// (see cpuSeconds) for b.N operations of flops each, since cpu0.
func reportFlops(b *testing.B, flops, cpu0 float64) {
	total := flops * float64(b.N) / 1e9
	b.ReportMetric(total/b.Elapsed().Seconds(), "GFLOP/s")
	if cpu := cputime.Process().Seconds() - cpu0; cpu > 0 {
		b.ReportMetric(total/cpu, "GFLOP/cpu-s")
	}
}

// BenchmarkKernel runs each micro-kernel alone on packed panels that stay
// in L1: the ceiling for everything above it (one goroutine).
func BenchmarkKernel(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, kn := range kernels {
		const kc = 256
		ap := randSlice(rng, kn.mr*kc)
		bp := randSlice(rng, kn.nr*kc)
		c := make([]float32, kn.mr*kn.nr)
		b.Run(kn.name, func(b *testing.B) {
			cpu0 := cputime.Process().Seconds()
			for b.Loop() {
				kn.tile(kc, &ap[0], &bp[0], &c[0], kn.nr, 1, 0, 0)
			}
			reportFlops(b, 2*float64(kn.mr*kn.nr*kc), cpu0)
		})
	}
}

// BenchmarkThreshold times products around the size where splitting over
// two goroutines starts to pay (parallelFlops), serial and split.
func BenchmarkThreshold(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, s := range [][3]int{{32, 32, 32}, {48, 48, 48}, {64, 64, 32}, {64, 64, 64}, {96, 96, 64}, {128, 128, 64}, {128, 128, 128}, {256, 64, 64}, {512, 64, 64}} {
		m, n, k := s[0], s[1], s[2]
		a := randSlice(rng, m*k)
		bm := randSlice(rng, k*n)
		c := make([]float32, m*n)
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%dx%dx%d/t%d", m, n, k, threads), func(b *testing.B) {
				cpu0 := cputime.Process().Seconds()
				for b.Loop() {
					sgemm(pick(n), threads, false, false, m, n, k, 1, a, k, bm, n, 0, c, n)
				}
				reportFlops(b, 2*float64(m*n*k), cpu0)
			})
		}
	}
}
