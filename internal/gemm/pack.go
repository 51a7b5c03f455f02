package gemm

// Packing copies a block of op(A) or op(B) into the order the micro-kernel
// reads it, so that the kernel's loads are sequential whatever the strides
// and transposes of the caller's matrices. Micro-panels at the edges are
// padded with zeros to full width.
//
// Both operands reduce to two shapes of copy. A micro-panel of width w
// holds, for each of kc steps p, w consecutive values. Either those w values
// are contiguous in the source (op(A) transposed, op(B) not): copyRuns; or
// they are one element from each of w source rows (op(A) not transposed,
// op(B) transposed): interleave.

// packA packs the mc×kc block of op(A) starting at row i0, column p0 into
// dst as ceil(mc/mr) micro-panels; panel r holds, for each p, the mr values
// op(A)[i0+r*mr : i0+(r+1)*mr, p0+p].
func packA(dst []float32, transA bool, a []float32, lda, i0, p0, mc, kc, mr int) {
	if transA {
		copyBlock(dst, a[p0*lda+i0:], lda, kc, mr, mc)
		return
	}
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		d := dst[ir*kc : ir*kc+mr*kc]
		if transA {
			copyRuns(d, a[p0*lda+i0+ir:], lda, kc, mr, rows)
		} else {
			interleave(d, a[(i0+ir)*lda+p0:], lda, kc, mr, rows)
		}
	}
}

// packB packs the kc×nc block of op(B) starting at row p0, column j0 into
// dst as ceil(nc/nr) micro-panels; panel j holds, for each p, the nr values
// op(B)[p0+p, j0+j*nr : j0+(j+1)*nr].
func packB(dst []float32, transB bool, b []float32, ldb, p0, j0, kc, nc, nr int) {
	if !transB {
		copyBlock(dst, b[p0*ldb+j0:], ldb, kc, nr, nc)
		return
	}
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		d := dst[jr*kc : jr*kc+nr*kc]
		if transB {
			interleave(d, b[(j0+jr)*ldb+p0:], ldb, kc, nr, cols)
		} else {
			copyRuns(d, b[p0*ldb+j0+jr:], ldb, kc, nr, cols)
		}
	}
}

// copyBlockGo packs the kc×cols block src (stride ld) into ceil(cols/w)
// micro-panels of width w: d[(q*kc+p)*w + j] = src[p*ld + q*w + j].
func copyBlockGo(d, src []float32, ld, kc, w, cols int) {
	for q := 0; q*w < cols; q++ {
		copyRuns(d[q*w*kc:(q+1)*w*kc], src[q*w:], ld, kc, w, min(w, cols-q*w))
	}
}

// copyRunsGo sets d[p*w+j] = src[p*ld+j] for p < kc, j < n, and pads each run
// with zeros to width w.
func copyRunsGo(d, src []float32, ld, kc, w, n int) {
	for p := 0; p < kc; p++ {
		out := d[p*w : p*w+w]
		copy(out, src[p*ld:p*ld+n])
		clear(out[n:])
	}
}

// interleaveGo sets d[p*w+r] = src[r*ld+p] for r < n, p < kc: a transpose of
// n rows of length kc, padded with zero rows to width w.
func interleaveGo(d, src []float32, ld, kc, w, n int) {
	r := 0
	for ; r+4 <= n; r += 4 {
		r0 := src[r*ld:][:kc]
		r1 := src[(r+1)*ld:][:kc]
		r2 := src[(r+2)*ld:][:kc]
		r3 := src[(r+3)*ld:][:kc]
		for p := range r0 {
			o := d[p*w+r : p*w+r+4 : p*w+r+4]
			o[0], o[1], o[2], o[3] = r0[p], r1[p], r2[p], r3[p]
		}
	}
	for ; r < n; r++ {
		row := src[r*ld:][:kc]
		for p, v := range row {
			d[p*w+r] = v
		}
	}
	if n < w {
		for p := 0; p < kc; p++ {
			clear(d[p*w+n : p*w+w])
		}
	}
}
