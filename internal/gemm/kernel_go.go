package gemm

import "unsafe"

// goKernel is the portable micro-kernel: a 4×4 tile whose sixteen
// accumulators fit the registers of common 64-bit CPUs. It is used where no
// assembly kernel applies (other architectures, the purego build tag, CPUs
// without AVX2 and FMA).
var goKernel = &kernel{
	name: "go4x4",
	mr:   4, nr: 4,
	kc: 256, mc: 64, nc: 1024,
	tile: tileGo4x4,
}

func tileGo4x4(kc int, a, b, c *float32, ldc int, alpha, beta float32, load int) {
	ap := unsafe.Slice(a, 4*kc)
	bp := unsafe.Slice(b, 4*kc)
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	var c20, c21, c22, c23 float32
	var c30, c31, c32, c33 float32
	for p := 0; p < kc; p++ {
		av := ap[4*p : 4*p+4 : 4*p+4]
		bv := bp[4*p : 4*p+4 : 4*p+4]
		a0, a1, a2, a3 := av[0], av[1], av[2], av[3]
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	cs := unsafe.Slice(c, 3*ldc+4)
	store := func(row []float32, v0, v1, v2, v3 float32) {
		row = row[:4:4]
		if load == 0 {
			row[0], row[1], row[2], row[3] = alpha*v0, alpha*v1, alpha*v2, alpha*v3
			return
		}
		row[0] = alpha*v0 + beta*row[0]
		row[1] = alpha*v1 + beta*row[1]
		row[2] = alpha*v2 + beta*row[2]
		row[3] = alpha*v3 + beta*row[3]
	}
	store(cs[0:], c00, c01, c02, c03)
	store(cs[ldc:], c10, c11, c12, c13)
	store(cs[2*ldc:], c20, c21, c22, c23)
	store(cs[3*ldc:], c30, c31, c32, c33)
}
