package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGoKernelMatchesAsm runs the Go micro-kernel and every assembly kernel
// this build has on the same random products, with sizes that are not
// multiples of the register tiles, and compares the results element by
// element: each may differ from the exact product only by float32
// rounding in its own summation order, so the two differ by at most twice
// that bound. (TestSmallShapes and TestBlocking check every kernel, the Go
// one included, against a float64 reference; TestPack and
// TestLevel2Kernels compare the other assembly routines with their Go
// loops. Under -tags purego only the Go kernel exists and this is skipped.)
func TestGoKernelMatchesAsm(t *testing.T) {
	var asm []*kernel
	for _, k := range kernels {
		if k != goKernel {
			asm = append(asm, k)
		}
	}
	if len(asm) == 0 {
		t.Skip("this build has no assembly kernel to compare with (purego tag, another architecture, or a CPU without AVX2/FMA)")
	}
	rng := rand.New(rand.NewPCG(41, 42))
	shapes := [][3]int{{1, 1, 1}, {5, 17, 3}, {7, 33, 9}, {13, 15, 257}, {29, 47, 31}, {61, 70, 100}, {125, 97, 259}}
	for _, sh := range shapes {
		for _, tr := range transCases {
			for _, s := range scalars[:4] {
				p := newProblem(rng, tr.a, tr.b, sh[0], sh[1], sh[2], 3, s.alpha, s.beta)
				p.reference()
				run := func(kn *kernel) []float32 {
					c := append([]float32(nil), p.c0...)
					sgemm(kn, 1, p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
					return c
				}
				cg := run(goKernel)
				for _, kn := range asm {
					ca := run(kn)
					for row := range p.m {
						for col := range p.n {
							g, a := cg[row*p.ldc+col], ca[row*p.ldc+col]
							if tol := 2 * p.tol[row*p.n+col]; !(math.Abs(float64(g)-float64(a)) <= tol) {
								t.Fatalf("%v: C[%d,%d]: go %g, %s %g (tolerance %.3g)", p, row, col, g, kn.name, a, tol)
							}
						}
					}
				}
			}
		}
	}
}
