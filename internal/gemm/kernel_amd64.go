//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// tileAVX2 is the 6×16 AVX2/FMA micro-kernel: twelve 8-wide accumulators
// hold the tile, the packed B row is loaded as two vectors and each A value
// broadcast, so every k step is 12 FMAs for 8 loads.
//
//go:noescape
func tileAVX2(kc int, a, b, c *float32, ldc int, alpha, beta float32, load int)

// tileAVX512 is the same design with 16-wide zmm registers: a 6×32 tile,
// twice the work per instruction.
//
//go:noescape
func tileAVX512(kc int, a, b, c *float32, ldc int, alpha, beta float32, load int)

var avx512Kernel = &kernel{
	name: "avx512-6x32",
	mr:   6, nr: 32,
	kc: 192, mc: 120, nc: 3072,
	tile: tileAVX512,
}

var avx2Kernel = &kernel{
	name: "avx2-6x16",
	mr:   6, nr: 16,
	kc: 256, mc: 120, nc: 3072,
	tile: tileAVX2,
}

// kernels lists the micro-kernels this machine can run, fastest first.
var kernels = func() []*kernel {
	var ks []*kernel
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx512Kernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	return append(ks, goKernel)
}()
