package gemm

import "fmt"

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices,
// where op(X) is X or its transpose. op(A) is m×k, op(B) is k×n, C is m×n;
// lda, ldb and ldc are the row strides of A, B and C as stored. When beta is
// zero C is only written, never read, so it may hold anything (NaN included).
//
// Sgemm is safe for concurrent use. Large products are split over up to
// GOMAXPROCS goroutines; it does not allocate once its pooled workspaces
// have grown to the sizes a program uses.
//
// Like the reference BLAS, Sgemm panics when the dimensions, strides or
// slice lengths are inconsistent: that is a bug in the caller, not bad input.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	check(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if (m == 1 || n == 1) && k > 0 && alpha != 0 {
		gemv(gemvThreads(m, n, k), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	sgemm(pick(n), threadsFor(m, n, k), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// check panics unless the arguments describe matrices that fit their slices.
func check(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	ar, ac := m, k // A as stored
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	need := func(name string, s []float32, rows, cols, ld int) {
		if ld < max(1, cols) {
			panic(fmt.Sprintf("gemm: ld%s=%d is less than the %d columns of %s", name, ld, cols, name))
		}
		if rows > 0 && cols > 0 && len(s) < (rows-1)*ld+cols {
			panic(fmt.Sprintf("gemm: %s has %d elements, a %d×%d matrix with stride %d needs %d", name, len(s), rows, cols, ld, (rows-1)*ld+cols))
		}
	}
	need("a", a, ar, ac, lda)
	need("b", b, br, bc, ldb)
	need("c", c, m, n, ldc)
}

// scaleC sets C = beta*C, writing zeros without reading C when beta is 0.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
