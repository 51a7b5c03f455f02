package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// problem is one product with its operands laid out as stored, strides and
// all; c0 is C before the call.
type problem struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c0       []float32
	lda, ldb, ldc  int
	want, tol      []float64 // reference result and tolerance, computed once
}

func (p *problem) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d alpha=%g beta=%g lda=%d ldb=%d ldc=%d",
		p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.beta, p.lda, p.ldb, p.ldc)
}

// newProblem fills A and B with values in [-1, 1), C with values in
// [-1, 1) (or NaN when beta is 0, which must never be read), and the stride
// padding of every matrix with a sentinel that must survive the call.
func newProblem(rng *rand.Rand, transA, transB bool, m, n, k, pad int, alpha, beta float32) *problem {
	p := &problem{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	p.lda, p.ldb, p.ldc = max(1, ac)+pad, max(1, bc)+pad, max(1, n)+pad
	fill := func(rows, cols, ld int, inside func() float32) []float32 {
		s := make([]float32, rows*ld)
		for i := range s {
			if i%ld < cols {
				s[i] = inside()
			} else {
				s[i] = sentinel
			}
		}
		return s
	}
	uniform := func() float32 { return rng.Float32()*2 - 1 }
	p.a = fill(ar, ac, p.lda, uniform)
	p.b = fill(br, bc, p.ldb, uniform)
	if beta == 0 {
		p.c0 = fill(m, n, p.ldc, func() float32 { return float32(math.NaN()) })
	} else {
		p.c0 = fill(m, n, p.ldc, uniform)
	}
	return p
}

const sentinel = 12345.678

func (p *problem) opA(i, l int) float64 {
	if p.transA {
		return float64(p.a[l*p.lda+i])
	}
	return float64(p.a[i*p.lda+l])
}

func (p *problem) opB(l, j int) float64 {
	if p.transB {
		return float64(p.b[j*p.ldb+l])
	}
	return float64(p.b[l*p.ldb+j])
}

// reference computes C in float64 with its tolerance: the worst-case
// float32 rounding bound of a length-k sum, (k+2)·ε·(|alpha|·Σ|a||b| +
// |beta||c|), so it holds for any summation order while a wrong element,
// index or scaling is still far outside it.
func (p *problem) reference() {
	if p.want != nil {
		return
	}
	const eps = 1.0 / (1 << 24)
	p.want = make([]float64, p.m*p.n)
	p.tol = make([]float64, p.m*p.n)
	for row := 0; row < p.m; row++ {
		for col := 0; col < p.n; col++ {
			var sum, mag float64
			for l := 0; l < p.k; l++ {
				x := p.opA(row, l) * p.opB(l, col)
				sum += x
				mag += math.Abs(x)
			}
			want := float64(p.alpha) * sum
			bound := math.Abs(float64(p.alpha)) * mag
			if p.beta != 0 {
				c := float64(p.c0[row*p.ldc+col])
				want += float64(p.beta) * c
				bound += math.Abs(float64(p.beta) * c)
			}
			p.want[row*p.n+col] = want
			p.tol[row*p.n+col] = float64(p.k+2)*eps*bound + 1e-30
		}
	}
}

// verify compares c, the result of running p, with the float64 reference,
// and checks that the stride padding of C was left alone.
func (p *problem) verify(t *testing.T, c []float32) {
	t.Helper()
	p.reference()
	bad := 0
	for i := range c {
		row, col := i/p.ldc, i%p.ldc
		if row >= p.m || col >= p.n {
			if c[i] != p.c0[i] {
				t.Errorf("%v: element %d outside C changed from %g to %g", p, i, p.c0[i], c[i])
				return
			}
			continue
		}
		want, tol := p.want[row*p.n+col], p.tol[row*p.n+col]
		if got := float64(c[i]); !(math.Abs(got-want) <= tol) {
			t.Errorf("%v: C[%d,%d] = %g, want %g (tolerance %.3g)", p, row, col, got, want, tol)
			if bad++; bad > 5 {
				return
			}
		}
	}
}

// run computes p with the given kernel and goroutine count and verifies it.
func (p *problem) run(t *testing.T, kn *kernel, threads int) {
	t.Helper()
	c := append([]float32(nil), p.c0...)
	sgemm(kn, threads, p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
	p.verify(t, c)
}

var transCases = []struct{ a, b bool }{{false, false}, {false, true}, {true, false}, {true, true}}

var scalars = []struct{ alpha, beta float32 }{
	{1, 0}, {1, 1}, {-0.5, 0}, {2, -1.5}, {0.25, 1}, {1, 0.5}, {0, 2}, {0, 0},
}

// TestSmallShapes runs every m, n in 1..37 against a set of k including 0
// and sizes around the register tiles, with every transpose combination and
// a rotating choice of alpha, beta and stride padding, on every kernel.
func TestSmallShapes(t *testing.T) {
	ks := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 37}
	rng := rand.New(rand.NewPCG(1, 2))
	i := 0
	for _, tr := range transCases {
		for m := 1; m <= 37; m++ {
			for n := 1; n <= 37; n++ {
				for _, k := range ks {
					s := scalars[i%len(scalars)]
					pad := []int{0, 0, 1, 3, 17}[i%5]
					i++
					p := newProblem(rng, tr.a, tr.b, m, n, k, pad, s.alpha, s.beta)
					for _, kn := range kernels {
						p.run(t, kn, 1+i%3)
						if t.Failed() {
							t.Fatalf("kernel %s", kn.name)
						}
					}
				}
			}
		}
	}
}

// TestBlocking uses shapes larger than the cache blocks so that every loop
// of the blocked algorithm runs more than once with partial last blocks,
// serially and split over goroutines.
func TestBlocking(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := map[[3]int]bool{{301, 290, 300}: true}
	for _, kn := range kernels {
		shapes[[3]int{kn.mc*2 + 5, kn.nr*3 + 1, kn.kc*2 + 3}] = true
		shapes[[3]int{kn.mr*2 + 1, kn.nc + kn.nr + 3, kn.kc + 1}] = true
	}
	si := 0
	for sh := range shapes {
		for _, tr := range transCases {
			s := scalars[si%len(scalars)]
			si++
			p := newProblem(rng, tr.a, tr.b, sh[0], sh[1], sh[2], si%3, s.alpha, s.beta)
			for _, kn := range kernels {
				for _, threads := range []int{1, 2, 3} {
					t.Run(fmt.Sprintf("%s/%v%v/%dx%dx%d/t%d", kn.name, tr.a, tr.b, sh[0], sh[1], sh[2], threads), func(t *testing.T) {
						p.run(t, kn, threads)
					})
				}
			}
		}
	}
}

// TestSgemmEntry checks the exported entry point, which picks the kernel
// and the goroutine count itself, on shapes on both sides of the
// parallel threshold.
func TestSgemmEntry(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][3]int{{1, 1, 1}, {1, 300, 64}, {300, 1, 64}, {64, 64, 64}, {200, 190, 70}, {512, 64, 64}, {64, 512, 64}} {
		for _, tr := range transCases {
			p := newProblem(rng, tr.a, tr.b, sh[0], sh[1], sh[2], 2, 1.5, 0.5)
			c := append([]float32(nil), p.c0...)
			Sgemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
			p.verify(t, c)
		}
	}
}

func TestBadArguments(t *testing.T) {
	a := make([]float32, 6)
	cases := []struct {
		name string
		call func()
	}{
		{"negative m", func() { Sgemm(false, false, -1, 2, 2, 1, a, 2, a, 2, 0, a, 2) }},
		{"lda too small", func() { Sgemm(false, false, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) }},
		{"a too short", func() { Sgemm(false, false, 3, 2, 3, 1, a, 3, a, 2, 0, a, 2) }},
		{"b too short transposed", func() { Sgemm(false, true, 2, 3, 3, 1, a, 3, a[:5], 3, 0, a, 3) }},
		{"c too short", func() { Sgemm(false, false, 2, 3, 1, 1, a, 1, a, 3, 0, a[:5], 3) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tc.call()
		})
	}
	// Empty products are fine with empty slices.
	Sgemm(false, false, 0, 0, 0, 1, nil, 1, nil, 1, 0, nil, 1)
	Sgemm(true, true, 0, 5, 3, 1, nil, 1, make([]float32, 15), 3, 0, nil, 5)
}

// TestNoAllocs: once the pools are warm, a product allocates nothing,
// serial or parallel, so training loops built on it do not either.
func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	for _, sh := range [][3]int{{32, 32, 16}, {1, 1000, 300}, {1000, 1, 300}, {512, 192, 64}, {300, 1024, 300}} {
		m, n, k := sh[0], sh[1], sh[2]
		a := make([]float32, m*k)
		b := make([]float32, k*n)
		c := make([]float32, m*n)
		for _, tr := range transCases {
			lda, ldb := k, n
			if tr.a {
				lda = m
			}
			if tr.b {
				ldb = k
			}
			f := func() { Sgemm(tr.a, tr.b, m, n, k, 1, a, lda, b, ldb, 0.5, c, n) }
			f()
			if allocs := testing.AllocsPerRun(20, f); allocs != 0 {
				t.Errorf("%dx%dx%d trans %v %v: %v allocations per call", m, n, k, tr.a, tr.b, allocs)
			}
		}
	}
}

func FuzzSgemm(f *testing.F) {
	f.Add(false, false, uint8(3), uint8(5), uint8(7), uint8(0), uint8(0), uint8(1))
	f.Add(true, true, uint8(37), uint8(17), uint8(1), uint8(2), uint8(1), uint8(2))
	f.Add(false, true, uint8(6), uint8(16), uint8(0), uint8(1), uint8(3), uint8(0))
	f.Fuzz(func(t *testing.T, transA, transB bool, m, n, k, pad, scal, threads uint8) {
		rng := rand.New(rand.NewPCG(uint64(m)<<16|uint64(n)<<8|uint64(k), uint64(pad)))
		s := scalars[int(scal)%len(scalars)]
		p := newProblem(rng, transA, transB, int(m%80), int(n%80), int(k), int(pad%20), s.alpha, s.beta)
		for _, kn := range kernels {
			p.run(t, kn, 1+int(threads%4))
		}
	})
}

// TestConcurrent runs products large enough to be split over goroutines
// from several goroutines at once, as the transformer and the batched
// nearest-neighbour search do: jobs and workspaces are shared through
// pools and must not leak between calls.
func TestConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	var probs []*problem
	for i, sh := range [][3]int{{97, 131, 70}, {200, 33, 64}, {1, 5000, 40}, {3000, 1, 40}, {64, 64, 64}} {
		tr := transCases[i%4]
		p := newProblem(rng, tr.a, tr.b, sh[0], sh[1], sh[2], i%2, 1, float32(i%2))
		p.reference()
		probs = append(probs, p)
	}
	done := make(chan struct{})
	for g := 0; g < 6; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for r := 0; r < 8; r++ {
				p := probs[(g+r)%len(probs)]
				c := append([]float32(nil), p.c0...)
				Sgemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
				p.verify(t, c)
			}
		}()
	}
	for g := 0; g < 6; g++ {
		<-done
	}
}
