package gemm

import (
	"runtime"

	"github.com/wordspace/wordspace/internal/f32"
)

// Products with m == 1 or n == 1 are matrix-vector products. Packing buys
// nothing there (every element of the matrix is used once), so they take a
// path of their own: either dot products of the matrix rows with the vector
// (the rows are contiguous) or a weighted sum of the rows, accumulated in
// cache-sized column chunks. Both read the matrix once, sequentially; they
// are bound by memory bandwidth, so large ones are split over goroutines.

// gemvFlops is the smallest matrix-vector product (in multiply-adds) split
// across goroutines.
const gemvFlops = 1 << 16

func gemvThreads(m, n, k int) int {
	if m*n*k < gemvFlops {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// axpyChunk is how many output columns a weighted row sum accumulates at a
// time: 16 KiB, so that the partial sums stay in L1 while the rows stream
// past.
const axpyChunk = 4096

// gemv computes a product with m == 1 or n == 1 (and k ≥ 1, alpha ≠ 0).
func gemv(threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	w := workspaces.Get().(*workspace)
	defer workspaces.Put(w)
	if m == 1 {
		// c[0, :] = alpha·x·op(B) + beta·c, x = op(A)[0, :].
		stride := 1
		if transA {
			stride = lda
		}
		x := vector(&w.x, a, k, stride)
		if transB {
			// op(B)[:, j] is row j of B.
			dots(threads, n, k, b, ldb, x, alpha, beta, c, 1)
		} else {
			axpys(w, threads, k, n, b, ldb, x, alpha, beta, c)
		}
		return
	}
	// n == 1: c[:, 0] = alpha·op(A)·y + beta·c, y = op(B)[:, 0].
	stride := ldb
	if transB {
		stride = 1
	}
	y := vector(&w.x, b, k, stride)
	if !transA {
		dots(threads, m, k, a, lda, y, alpha, beta, c, ldc)
		return
	}
	if ldc == 1 {
		axpys(w, threads, k, m, a, lda, y, alpha, beta, c)
		return
	}
	// Strided output column: accumulate into a contiguous copy.
	t := grow(w.t, m)
	w.t = t
	if beta != 0 {
		for i := range t {
			t[i] = c[i*ldc]
		}
	}
	axpys(w, threads, k, m, a, lda, y, alpha, beta, t)
	for i, v := range t {
		c[i*ldc] = v
	}
}

// vector returns the k-vector v[p] = s[p*stride], copying it into *buf
// only when it is not contiguous.
func vector(buf *[]float32, s []float32, k, stride int) []float32 {
	if stride == 1 {
		return s[:k]
	}
	v := grow(*buf, k)
	*buf = v
	for p := range v {
		v[p] = s[p*stride]
	}
	return v
}

// dots sets c[i*ldc] = alpha·(r_i·x) + beta·c[i*ldc] for the rows
// r_i = rows[i*ld : i*ld+k], i < count, over up to threads goroutines.
func dots(threads, count, k int, rows []float32, ld int, x []float32, alpha, beta float32, c []float32, ldc int) {
	threads = min(threads, maxThreads, count/64)
	if threads <= 1 {
		dotsRange(0, count, k, rows, ld, x, alpha, beta, c, ldc)
		return
	}
	j := jobs.Get().(*job)
	*j = job{kind: jobDots, k: k, a: rows, lda: ld, x: x, alpha: alpha, beta: beta, c: c, ldc: ldc,
		total: count, chunks: chunksFor(threads, count, 256)}
	j.launch(threads)
}

func dotsRange(lo, hi, k int, rows []float32, ld int, x []float32, alpha, beta float32, c []float32, ldc int) {
	x = x[:k]
	store := func(i int, v float32) {
		if beta == 0 {
			c[i*ldc] = alpha * v
		} else {
			c[i*ldc] = alpha*v + beta*c[i*ldc]
		}
	}
	i := lo
	var out [4]float32
	for ; i+4 <= hi; i += 4 {
		_ = rows[(i+3)*ld+k-1]
		dotRows4(k, rows[i*ld:], ld, x, &out)
		store(i, out[0])
		store(i+1, out[1])
		store(i+2, out[2])
		store(i+3, out[3])
	}
	for ; i < hi; i++ {
		store(i, f32.Dot(rows[i*ld:i*ld+k], x))
	}
}

// axpys sets y = alpha·Σ_p x[p]·r_p + beta·y for the rows
// r_p = rows[p*ld : p*ld+n], p < k, over up to threads goroutines, each
// taking a range of column chunks.
func axpys(w *workspace, threads, k, n int, rows []float32, ld int, x []float32, alpha, beta float32, y []float32) {
	y = y[:n]
	scaleC(1, n, beta, y, n)
	if alpha != 1 {
		wx := grow(w.w, k)
		w.w = wx
		for p, v := range x[:k] {
			wx[p] = alpha * v
		}
		x = wx
	}
	chunks := (n + axpyChunk - 1) / axpyChunk
	threads = min(threads, maxThreads, chunks)
	if threads <= 1 {
		axpysRange(0, n, k, rows, ld, x, y)
		return
	}
	j := jobs.Get().(*job)
	*j = job{kind: jobAxpys, n: n, k: k, a: rows, lda: ld, x: x, c: y,
		total: chunks, chunks: chunksFor(threads, chunks, 1)}
	j.launch(threads)
}

// axpysRange adds Σ_p x[p]·r_p[j] to y[j] for lo ≤ j < hi, a cache-sized
// chunk of columns at a time, four rows per pass over the chunk.
func axpysRange(lo, hi, k int, rows []float32, ld int, x, y []float32) {
	x = x[:k]
	for j0 := lo; j0 < hi; j0 += axpyChunk {
		n := min(axpyChunk, hi-j0)
		yc := y[j0 : j0+n]
		p := 0
		for ; p+4 <= k; p += 4 {
			_ = rows[(p+3)*ld+j0+n-1]
			axpyRows4(n, (*[4]float32)(x[p:p+4]), rows[p*ld+j0:], ld, yc)
		}
		for ; p < k; p++ {
			f32.Axpy(x[p], rows[p*ld+j0:p*ld+j0+n], yc)
		}
	}
}

// dotRows4Go sets out[r] = rows[r*ld : r*ld+k]·x for r < 4.
func dotRows4Go(k int, rows []float32, ld int, x []float32, out *[4]float32) {
	x = x[:k]
	r0, r1, r2, r3 := rows[:k], rows[ld:ld+k], rows[2*ld:2*ld+k], rows[3*ld:3*ld+k]
	var s0, s1, s2, s3 float32
	for p, v := range x {
		s0 += r0[p] * v
		s1 += r1[p] * v
		s2 += r2[p] * v
		s3 += r3[p] * v
	}
	*out = [4]float32{s0, s1, s2, s3}
}

// axpyRows4Go adds w[0]·r0 + w[1]·r1 + w[2]·r2 + w[3]·r3 to y, where
// r_i = rows[i*ld : i*ld+n].
func axpyRows4Go(n int, w *[4]float32, rows []float32, ld int, y []float32) {
	y = y[:n]
	r0, r1, r2, r3 := rows[:n], rows[ld:ld+n], rows[2*ld:2*ld+n], rows[3*ld:3*ld+n]
	w0, w1, w2, w3 := w[0], w[1], w[2], w[3]
	for j := range y {
		y[j] += w0*r0[j] + w1*r1[j] + w2*r2[j] + w3*r3[j]
	}
}
