// Package gemm is the one matrix-multiplication kernel wordspace uses:
// embed's batched nearest-neighbour search, analogy evaluation and the
// transformer's forward and backward passes all multiply through Sgemm, so
// making it fast speeds all of them up.
//
// It exists because gonum's pure-Go Sgemm, which it replaced, reaches about
// 4–9 GFLOP/s on the project's shapes, a few percent of what two cores can
// do (about 170 GFLOP/s with AVX2, twice that with AVX-512). The design is
// the GotoBLAS/BLIS one:
//
//   - an assembly micro-kernel keeps a 6×16 tile of C in twelve AVX2
//     registers (6×32 in twelve AVX-512 registers where the CPU has them)
//     and updates it with one FMA per register per k step;
//   - blocks of A and B are first packed into contiguous micro-panels
//     (assembly copies and 8×8 register transposes), so the kernel's loads
//     are sequential whatever the transposes and strides, and blocked so
//     that a B micro-panel stays in L1, an A block in L2 and a B block in
//     L3;
//   - products of more than about 2M multiply-adds are cut into bands of C
//     that the caller and long-lived worker goroutines take from a shared
//     counter, so a goroutine delayed by a busy machine takes fewer bands
//     instead of holding up the call;
//   - products with m == 1 or n == 1 are matrix-vector products and take a
//     bandwidth-bound path of their own (four rows at a time, split over
//     goroutines when large);
//   - workspaces and job records come from pools: in steady state a call
//     allocates nothing.
//
// A portable Go kernel takes over on CPUs without AVX2 and FMA, on other
// architectures and with the purego build tag.
//
// BenchmarkSgemm measures the project's shapes against gonum in the same
// run. On 2 shared, busy cores (Intel, AVX-512), best of 3 passes, GFLOP/s
// ours (AVX-512 kernel; AVX2 kernel) against gonum: transformer projection
// 512×64·64×192 110 (66) vs 6.5; output projection 512×64·(5000×64)ᵀ 76
// (47) vs 4.9; its weight gradient (5000×512)ᵀ·512×64 41 (26) vs 4.5;
// nearest-neighbour block 1000×300·(1024×300)ᵀ 122 (73) vs 12.6; square
// 512 103 (65) vs 4.5. The micro-kernels alone reach 167 (AVX-512) and 87
// (AVX2) GFLOP per CPU-second, the peak of one core.
package gemm
