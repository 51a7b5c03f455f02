package gemm

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it, so that the kernel's loads are sequential whatever the strides
// and transposes of the caller's matrices. Micro-panels at the edges are
// padded with zeros to full width; the kernel then needs no edge cases.

// packA packs the mc×kc block of op(A) starting at row i0, column p0 into
// dst as ceil(mc/mr) micro-panels; panel r holds, for each p, the mr values
// op(A)[i0+r*mr : i0+(r+1)*mr, p0+p].
func packA(dst []float32, transA bool, a []float32, lda, i0, p0, mc, kc, mr int) {
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		d := dst[ir*kc : ir*kc+mr*kc]
		if transA {
			// op(A)[i][p] = a[p*lda+i]: each p contributes a contiguous run.
			for p := 0; p < kc; p++ {
				src := a[(p0+p)*lda+i0+ir:][:rows]
				out := d[p*mr : p*mr+mr]
				copy(out, src)
				clear(out[rows:])
			}
			continue
		}
		// op(A)[i][p] = a[i*lda+p]: gather mr rows, each read sequentially.
		for r := 0; r < rows; r++ {
			src := a[(i0+ir+r)*lda+p0:][:kc]
			for p, v := range src {
				d[p*mr+r] = v
			}
		}
		if rows < mr {
			for p := 0; p < kc; p++ {
				clear(d[p*mr+rows : p*mr+mr])
			}
		}
	}
}

// packB packs the kc×nc block of op(B) starting at row p0, column j0 into
// dst as ceil(nc/nr) micro-panels; panel j holds, for each p, the nr values
// op(B)[p0+p, j0+j*nr : j0+(j+1)*nr].
func packB(dst []float32, transB bool, b []float32, ldb, p0, j0, kc, nc, nr int) {
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+nr*kc]
		if !transB {
			for p := 0; p < kc; p++ {
				src := b[(p0+p)*ldb+j0+jr:][:cols]
				out := d[p*nr : p*nr+nr]
				copy(out, src)
				clear(out[cols:])
			}
			continue
		}
		// op(B)[p][j] = b[j*ldb+p]: a transpose, reading each row of B
		// sequentially.
		for j := 0; j < cols; j++ {
			src := b[(j0+jr+j)*ldb+p0:][:kc]
			for p, v := range src {
				d[p*nr+j] = v
			}
		}
		if cols < nr {
			for p := 0; p < kc; p++ {
				clear(d[p*nr+cols : p*nr+nr])
			}
		}
	}
}
