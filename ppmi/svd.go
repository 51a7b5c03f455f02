package ppmi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/james-bowman/sparse"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"

	"github.com/wordspace/wordspace/internal/f32"
	"github.com/wordspace/wordspace/internal/gemm"
)

// SVDOptions controls TruncatedSVD.
type SVDOptions struct {
	// Dim is the number k of singular triplets wanted; 0 means 100.
	Dim int
	// Oversample is how many random directions beyond Dim are used to
	// find the range; 0 means 10, Halko et al.'s advice. More gives more
	// accurate trailing triplets for slowly decaying spectra.
	Oversample int
	// PowerIters is the number of power iterations (A·Aᵀ applications),
	// each sharpening the gap between wanted and unwanted directions; 0
	// means 4, a negative value means none. With Tolerance set it is the
	// most that are made, and 0 means 50.
	PowerIters int
	// Tolerance, if positive, makes the iterations stop as soon as no
	// singular value estimate moved by more than Tolerance (relative)
	// in the last one. The error of the k-th value shrinks like
	// (σ[k+Oversample]/σ[k])^(2·iterations), so the largest values
	// converge within a few iterations while the last ones, where word
	// co-occurrence spectra are flat, need many more. Each check costs
	// about as much as one QR factorisation.
	Tolerance float64
	// Seed makes the random start reproducible: the same matrix, options
	// and Seed give the same result whatever Threads is.
	Seed uint64
	// Threads is the number of goroutines for the sparse products; 0
	// means GOMAXPROCS.
	Threads int
	// Progress, if not nil, is called after each sparse product with the
	// number done and the total, Stage StageSVD.
	Progress func(Progress)
}

// SVD is a truncated singular value decomposition A ≈ U·diag(Values)·Vᵀ.
type SVD struct {
	U      *mat.Dense // rows × k, orthonormal columns
	Values []float64  // k singular values, largest first
	V      *mat.Dense // columns × k, orthonormal columns

	// Iterations is the number of power iterations made.
	Iterations int
}

// TruncatedSVD returns the Dim largest singular triplets of a, computed
// with the randomised algorithm of Halko, Martinsson and Tropp (2011,
// algorithms 4.4 and 5.1): Y = A·Ω for a Gaussian n × (Dim+Oversample)
// block Ω, PowerIters rounds of Y = A·orth(Aᵀ·orth(Y)), Q = orth(Y), and
// the SVD of the small matrix Qᵀ·A. The only operations on a are sparse ×
// dense products; QR and the small SVD are gonum's LAPACK routines. The
// signs are fixed so that the largest component of every column of V is
// positive.
func TruncatedSVD(ctx context.Context, a *sparse.CSR, opts SVDOptions) (*SVD, error) {
	if a == nil {
		return nil, errors.New("ppmi: nil matrix")
	}
	if err := checkCSR(a, false); err != nil {
		return nil, err
	}
	if err := checkFinite(a); err != nil {
		return nil, err
	}
	m, n := a.Dims()
	k := opts.Dim
	if k == 0 {
		k = 100
	}
	if k < 0 || k > min(m, n) {
		return nil, fmt.Errorf("ppmi: cannot take %d singular values of a %d×%d matrix", k, m, n)
	}
	over := opts.Oversample
	if over == 0 {
		over = 10
	}
	if over < 0 {
		return nil, fmt.Errorf("ppmi: oversampling %d is negative", over)
	}
	l := min(k+over, m, n)
	iters := opts.PowerIters
	tol := opts.Tolerance
	if math.IsNaN(tol) || tol < 0 {
		return nil, fmt.Errorf("ppmi: tolerance %v is negative", tol)
	}
	if iters == 0 {
		iters = 4
		if tol > 0 {
			iters = 50
		}
	}
	iters = max(iters, 0)
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	if m > math.MaxInt/l || n > math.MaxInt/l {
		return nil, fmt.Errorf("ppmi: %d×%d matrix with %d directions is too large", m, n, l)
	}

	at := a.ToCSC().T().(*sparse.CSR) // Aᵀ stored by rows, for Aᵀ·X
	total, done := 2*iters+2, 0
	step := func() error {
		done++
		if opts.Progress != nil {
			opts.Progress(Progress{StageSVD, int64(done), int64(total)})
		}
		return ctx.Err()
	}

	// The power iterations run in float32, which halves the memory traffic
	// of the sparse products and lets the orthonormalisation use the fast
	// float32 matrix product: they only have to find the right subspace.
	// The final basis, the last product and the small SVD are float64, so
	// the singular values come out to double precision on that subspace.
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed5eed))
	z32 := make([]float32, n*l) // starts as the Gaussian Ω
	for i := range z32 {
		z32[i] = float32(rng.NormFloat64())
	}
	y32 := make([]float32, m*l)
	tmp32 := make([]float32, max(m, n)*l)
	mulCSR(a, z32, y32, l, threads, f32.Axpy)
	if err := step(); err != nil {
		return nil, err
	}
	var prev, cur []float64
	it := 0
	for ; it < iters; it++ {
		if err := orthonormalize32(y32, tmp32, m, l); err != nil {
			return nil, err
		}
		mulCSR(at, y32, z32, l, threads, f32.Axpy)
		if err := step(); err != nil {
			return nil, err
		}
		if tol > 0 {
			// z = Aᵀ·Q = Bᵀ: its singular values estimate those of A.
			cur = gramValues(z32, n, l, k, cur)
			if prev != nil && converged(prev, cur, tol) {
				it++
				break
			}
			prev, cur = cur, prev
		}
		if err := orthonormalize32(z32, tmp32, n, l); err != nil {
			return nil, err
		}
		mulCSR(a, z32, y32, l, threads, f32.Axpy)
		if err := step(); err != nil {
			return nil, err
		}
	}
	// The final basis: a float32 pass leaves it orthonormal to about 1e-3,
	// so one float64 Cholesky QR pass, whose error grows with the square of
	// the condition number, makes it orthonormal to working precision.
	if err := orthonormalize32(y32, tmp32, m, l); err != nil {
		return nil, err
	}
	q := make([]float64, m*l) // m × l, orthonormal columns spanning the range of A
	for i, v := range y32 {
		q[i] = float64(v)
	}
	y32, z32, tmp32 = nil, nil, nil
	if err := orthonormalize(q, make([]float64, m*l), m, l, 1); err != nil {
		return nil, err
	}
	z := make([]float64, n*l)
	mulCSR(at, q, z, l, threads, daxpy) // z = Aᵀ·Q = Bᵀ, n × l
	done = total - 1
	if err := step(); err != nil {
		return nil, err
	}

	// Bᵀ = Ub·S·Vbᵀ, so A ≈ Q·B = (Q·Vb)·S·Ubᵀ.
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(n, l, z), mat.SVDThin) {
		return nil, errors.New("ppmi: the small SVD did not converge")
	}
	values := svd.Values(nil)[:k]
	var ub, vb mat.Dense
	svd.UTo(&ub)
	svd.VTo(&vb)
	v := mat.DenseCopyOf(ub.Slice(0, n, 0, k))
	u := mat.NewDense(m, k, nil)
	u.Mul(mat.NewDense(m, l, q), vb.Slice(0, l, 0, k))
	fixSigns(u, v)
	return &SVD{U: u, Values: values, V: v, Iterations: it}, nil
}

// gramValues returns the k largest singular values of the r × l matrix x
// as the square roots of the eigenvalues of xᵀx, computed in float64,
// reusing dst.
func gramValues(x []float32, r, l, k int, dst []float64) []float64 {
	x64 := make([]float64, len(x))
	for i, v := range x {
		x64[i] = float64(v)
	}
	xg := blas64.General{Rows: r, Cols: l, Stride: l, Data: x64}
	g := blas64.General{Rows: l, Cols: l, Stride: l, Data: make([]float64, l*l)}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, xg, xg, 0, g)
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(l, g.Data), false) {
		return nil
	}
	ev := eig.Values(nil) // ascending
	dst = dst[:0]
	for i := range k {
		dst = append(dst, math.Sqrt(max(ev[l-1-i], 0)))
	}
	return dst
}

// converged reports whether no value moved by more than tol, relative.
func converged(prev, cur []float64, tol float64) bool {
	if len(prev) != len(cur) || len(cur) == 0 {
		return false
	}
	for i := range cur {
		if math.Abs(cur[i]-prev[i]) > tol*cur[i] {
			return false
		}
	}
	return true
}

func checkFinite(a *sparse.CSR) error {
	for _, v := range a.RawMatrix().Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("ppmi: matrix holds %v", v)
		}
	}
	return nil
}

// mulCSR sets c = a·b, where b is a.cols × l and c is a.rows × l, both
// dense row-major. Row i of c is the sum of the rows of b picked by the
// non-zeros of row i of a, added by axpy, so every product reads each row
// of b as one contiguous run; rows of c are shared out among goroutines in
// blocks of equal non-zero count, and each is computed by one goroutine in
// a fixed order, so the result does not depend on threads.
func mulCSR[T float32 | float64](a *sparse.CSR, b, c []T, l, threads int, axpy func(alpha T, x, y []T)) {
	raw := a.RawMatrix()
	rows := raw.I
	nnz := len(raw.Data)
	var wg sync.WaitGroup
	start := 0
	for t := range threads {
		end := rows
		if t < threads-1 {
			target := nnz / threads * (t + 1)
			end = start
			for end < rows && raw.Indptr[end] < target {
				end++
			}
		}
		lo, hi := start, end
		start = end
		if lo >= hi {
			continue
		}
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				ci := c[i*l : (i+1)*l]
				clear(ci)
				for p := raw.Indptr[i]; p < raw.Indptr[i+1]; p++ {
					j := raw.Ind[p]
					axpy(T(raw.Data[p]), b[j*l:(j+1)*l], ci)
				}
			}
		})
	}
	wg.Wait()
}

// daxpy is y += alpha·x in float64, through gonum's assembly kernel.
func daxpy(alpha float64, x, y []float64) {
	gonum.Implementation{}.Daxpy(len(x), alpha, x, 1, y, 1)
}

// orthonormalize32 replaces the r × l row-major matrix x by a well
// conditioned basis of its column space, which is all the power
// iterations need: one pass of Cholesky QR with the Gram matrix scaled to
// unit diagonal (so that columns of very different lengths do not make it
// ill-conditioned), the products in float32 through internal/gemm and the
// small l × l factorisation in float64. When the Gram matrix is too
// ill-conditioned for float32 it takes the float64 path instead.
func orthonormalize32(x, tmp []float32, r, l int) error {
	g32 := make([]float32, l*l)
	gemm.Sgemm(true, false, l, l, r, 1, x, l, x, l, 0, g32, l)
	d := make([]float64, l)
	ok := true
	for i := range l {
		gi := float64(g32[i*l+i])
		if !(gi > 0) || math.IsInf(gi, 0) {
			ok = false
			break
		}
		d[i] = 1 / math.Sqrt(gi)
	}
	if ok {
		g := make([]float64, l*l)
		for i := range l {
			for j := i; j < l; j++ {
				g[i*l+j] = float64(g32[i*l+j]) * d[i] * d[j]
			}
		}
		var t blas64.Triangular
		t, ok = lapack64.Potrf(blas64.Symmetric{N: l, Stride: l, Data: g, Uplo: blas.Upper})
		for i := 0; ok && i < l; i++ {
			// The scaled factor has a unit-length first row; a tiny
			// diagonal entry means near dependence that float32 cannot
			// resolve.
			ok = g[i*l+i] > 1e-2
		}
		ok = ok && lapack64.Trtri(t)
		if ok {
			m := g32 // reuse: m = D·R⁻¹, upper triangular
			clear(m)
			for i := range l {
				for j := i; j < l; j++ {
					m[i*l+j] = float32(d[i] * g[i*l+j])
				}
			}
			gemm.Sgemm(false, false, r, l, l, 1, x, l, m, l, 0, tmp[:r*l], l)
			copy(x, tmp[:r*l])
			return nil
		}
	}
	x64 := make([]float64, r*l)
	for i, v := range x {
		x64[i] = float64(v)
	}
	if err := orthonormalize(x64, make([]float64, r*l), r, l, 1); err != nil {
		return err
	}
	for i, v := range x64 {
		x[i] = float32(v)
	}
	return nil
}

// orthonormalize replaces the r × l row-major matrix x (r ≥ l) by an
// orthonormal basis of its column space: the Q of its thin QR
// factorisation. It uses Cholesky QR, Q = X·R⁻¹ with RᵀR = XᵀX, whose work
// is all matrix products; two passes (CholeskyQR2, Fukaya et al. 2014) make
// Q orthonormal to working precision, one leaves an error of about
// ε·cond(x)². When XᵀX is too ill-conditioned (condition of x beyond about
// 10⁶) it falls back to Householder QR. tmp is scratch as large as x.
func orthonormalize(x, tmp []float64, r, l, passes int) error {
	for range passes {
		if !choleskyQR(x, tmp, r, l) {
			householderQR(x, r, l)
			break
		}
	}
	for _, v := range x {
		if math.IsNaN(v) {
			return errors.New("ppmi: orthonormalisation produced NaN")
		}
	}
	return nil
}

// choleskyQR sets x = x·R⁻¹ where RᵀR = xᵀx, reporting false (x
// unchanged) if R is singular or too ill-conditioned.
func choleskyQR(x, tmp []float64, r, l int) bool {
	xg := blas64.General{Rows: r, Cols: l, Stride: l, Data: x}
	g := blas64.General{Rows: l, Cols: l, Stride: l, Data: make([]float64, l*l)}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, xg, xg, 0, g)
	t, ok := lapack64.Potrf(blas64.Symmetric{N: l, Stride: l, Data: g.Data, Uplo: blas.Upper})
	if !ok {
		return false
	}
	lo, hi := math.Inf(1), 0.0
	for i := range l {
		d := math.Abs(g.Data[i*l+i])
		lo, hi = min(lo, d), max(hi, d)
	}
	if !(lo > 1e-6*hi) {
		return false
	}
	if !lapack64.Trtri(t) {
		return false
	}
	for i := range l { // Potrf and Trtri leave the lower triangle alone
		clear(g.Data[i*l : i*l+i])
	}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, xg, g, 0, blas64.General{Rows: r, Cols: l, Stride: l, Data: tmp})
	copy(x, tmp)
	return true
}

// householderQR replaces x by the Q of its Householder QR factorisation.
// (mat.QR only forms the full r × r Q, far too big here, so the LAPACK
// routines are called directly.)
func householderQR(x []float64, r, l int) {
	g := blas64.General{Rows: r, Cols: l, Stride: l, Data: x}
	tau := make([]float64, l)
	q1, q2 := []float64{0}, []float64{0}
	lapack64.Geqrf(g, tau, q1, -1)
	lapack64.Orgqr(g, tau, q2, -1)
	work := make([]float64, max(int(q1[0]), int(q2[0]), l))
	lapack64.Geqrf(g, tau, work, len(work))
	lapack64.Orgqr(g, tau, work, len(work))
}

// fixSigns flips each pair of singular vectors so that the largest
// component of the column of v is positive, making the result independent
// of the sign conventions of the LAPACK routines.
func fixSigns(u, v *mat.Dense) {
	rv, k := v.Dims()
	ru, _ := u.Dims()
	for j := range k {
		best, sign := 0.0, 1.0
		for i := range rv {
			if x := v.At(i, j); math.Abs(x) > best {
				best, sign = math.Abs(x), math.Copysign(1, x)
			}
		}
		if sign < 0 {
			for i := range rv {
				v.Set(i, j, -v.At(i, j))
			}
			for i := range ru {
				u.Set(i, j, -u.At(i, j))
			}
		}
	}
}
