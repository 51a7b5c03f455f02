// Package gemm is the one matrix-multiplication kernel wordspace uses:
// embed's batched nearest-neighbour search, analogy evaluation and the
// transformer's forward and backward passes all multiply through Sgemm, so
// making it fast speeds all of them up.
//
// It exists because the pure-Go Sgemm in gonum, which it replaced, reaches
// about 4–10 GFLOP/s on the project's shapes, a few percent of what the
// machine can do. This package follows the GotoBLAS/BLIS design:
//
//   - an assembly micro-kernel keeps a 6×16 tile of C in twelve AVX2
//     registers and updates it with FMAs, one k step at a time;
//   - blocks of A and B are packed into contiguous micro-panels first, so
//     the kernel's loads are sequential whatever the transposes and strides,
//     and blocked so that a B micro-panel stays in L1, an A block in L2 and
//     a B block in L3;
//   - large products are split into bands of C over up to GOMAXPROCS
//     goroutines (long-lived workers, so no allocation per call);
//   - packed buffers come from a pool: in steady state a call allocates
//     nothing.
//
// A portable Go kernel takes over on CPUs without AVX2 and FMA, on other
// architectures and with the purego build tag.
//
// Measured with BenchmarkSgemm on 2 cores (shared, noisy), GFLOP/s, this
// package against gonum in the same run: transformer projections
// 512×64·64×192 58 vs 7; output projection 512×64·(5000×64)ᵀ 46 vs 9;
// nearest-neighbour block 1000×300·(1024×300)ᵀ 61 vs 11; square 512 63 vs 6.
package gemm
