package ppmi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/james-bowman/sparse"
	"gonum.org/v1/gonum/mat"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/internal/f32"
)

// topicText returns a corpus with structure: every line is about one of a
// few topics and draws its content words from that topic's own Zipfian
// list, mixed with shared function words. Its PPMI matrix has the kind of
// spectrum real text gives: a few large singular values, then a slowly
// decaying tail.
func topicText(seed uint64, lines int) string {
	const (
		function = 40
		topics   = 12
		perTopic = 60
		vocab    = 500
	)
	rng := rand.New(rand.NewPCG(seed, 3))
	fz := rand.NewZipf(rng, 1.2, 1, function-1)
	tz := rand.NewZipf(rng, 1.1, 2, perTopic-1)
	words := make([][]int, topics)
	for t := range words {
		words[t] = rng.Perm(vocab - function)[:perTopic]
	}
	var sb strings.Builder
	for range lines {
		t := rng.IntN(topics)
		for k := range 5 + rng.IntN(20) {
			if k > 0 {
				sb.WriteByte(' ')
			}
			if rng.Float64() < 0.4 {
				fmt.Fprintf(&sb, "f%d", fz.Uint64())
			} else {
				fmt.Fprintf(&sb, "w%d", function+words[t][tz.Uint64()])
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// smallPPMI returns the PPMI matrix of a topical corpus: the kind of
// matrix TruncatedSVD is for, small enough for a dense SVD.
func smallPPMI(t testing.TB) *sparse.CSR {
	t.Helper()
	text := corpus.FromString(topicText(11, 6000))
	vocab := vocabOf(t, text, 2)
	c, err := Count(context.Background(), text, vocab, CountOptions{Window: 5, Weighting: Linear})
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.PPMI(PMIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// randomSparse returns an r×c matrix with about density·r·c non-zeros.
func randomSparse(seed uint64, r, c int, density float64) *sparse.CSR {
	rng := rand.New(rand.NewPCG(seed, 2))
	d := sparse.NewDOK(r, c)
	for i := range r {
		for j := range c {
			if rng.Float64() < density {
				d.Set(i, j, rng.ExpFloat64())
			}
		}
	}
	return d.ToCSR()
}

// TestTruncatedSVDMatchesDense compares the singular values with gonum's
// dense SVD. The top values converge in a few power iterations; the last
// of the k, where the spectrum is flat, need the Tolerance mode, and
// random matrices, flat throughout, need it for all of them.
func TestTruncatedSVDMatchesDense(t *testing.T) {
	ppmi := smallPPMI(t)
	tests := []struct {
		name  string
		m     *sparse.CSR
		opts  SVDOptions
		check int // how many of the top values must agree
	}{
		{"ppmi defaults", ppmi, SVDOptions{Dim: 20}, 12},
		{"ppmi tolerance", ppmi, SVDOptions{Dim: 20, Tolerance: 1e-6}, 20},
		{"random tall", randomSparse(1, 300, 120, 0.05), SVDOptions{Dim: 10, Oversample: 20, Tolerance: 1e-6, PowerIters: 200}, 10},
		{"random wide", randomSparse(2, 90, 250, 0.08), SVDOptions{Dim: 10, Oversample: 20, Tolerance: 1e-6, PowerIters: 200}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, c := tt.m.Dims()
			var dense mat.SVD
			if !dense.Factorize(tt.m.ToDense(), mat.SVDThin) {
				t.Fatal("dense SVD failed")
			}
			want := dense.Values(nil)
			tt.opts.Seed, tt.opts.Threads = 1, 2
			got, err := TruncatedSVD(context.Background(), tt.m, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			k := tt.opts.Dim
			if len(got.Values) != k {
				t.Fatalf("%d values, want %d", len(got.Values), k)
			}
			worst, worstAll := 0.0, 0.0
			for i, v := range got.Values {
				rel := math.Abs(v-want[i]) / want[i]
				worstAll = max(worstAll, rel)
				if i >= tt.check {
					continue
				}
				worst = max(worst, rel)
				if rel >= 1e-4 {
					t.Errorf("σ%d = %.8g, dense SVD says %.8g (relative error %.2g)", i+1, v, want[i], rel)
				}
			}
			t.Logf("%d×%d, nnz %d, %d iterations: worst relative error of the top %d values %.2g, of all %d %.2g",
				r, c, tt.m.NNZ(), got.Iterations, tt.check, worst, k, worstAll)
			// Singular vectors: orthonormal, and A·v = σ·u.
			var utu mat.Dense
			utu.Mul(got.U.T(), got.U)
			for i := range k {
				for j := range k {
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(utu.At(i, j)-want) > 1e-9 {
						t.Fatalf("UᵀU[%d,%d] = %v", i, j, utu.At(i, j))
					}
				}
			}
			var av mat.Dense
			av.Mul(tt.m, got.V)
			for j := range tt.check {
				var res, norm float64
				for i := range r {
					d := av.At(i, j) - got.Values[j]*got.U.At(i, j)
					res += d * d
					norm += av.At(i, j) * av.At(i, j)
				}
				if math.Sqrt(res/norm) > 1e-3 {
					t.Errorf("component %d: |Av − σu|/|Av| = %.2g", j, math.Sqrt(res/norm))
				}
			}
		})
	}
}

func TestTruncatedSVDDeterministic(t *testing.T) {
	m := smallPPMI(t)
	a, err := TruncatedSVD(context.Background(), m, SVDOptions{Dim: 8, Seed: 5, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := TruncatedSVD(context.Background(), m, SVDOptions{Dim: 8, Seed: 5, Threads: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(a.U, b.U) || !mat.Equal(a.V, b.V) {
		t.Error("the result depends on the number of threads")
	}
	for j := range 8 {
		// The sign convention: largest component of each V column positive.
		col := mat.Col(nil, j, a.V)
		big := 0.0
		for _, x := range col {
			if math.Abs(x) > math.Abs(big) {
				big = x
			}
		}
		if big < 0 {
			t.Errorf("column %d of V has a negative largest component", j)
		}
	}
}

func TestTruncatedSVDErrors(t *testing.T) {
	m := randomSparse(3, 20, 10, 0.3)
	ctx := context.Background()
	for _, o := range []SVDOptions{{Dim: 0}, {Dim: 11}, {Dim: 3, Oversample: -1}} {
		if _, err := TruncatedSVD(ctx, m, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	nan := randomSparse(3, 20, 10, 0.3)
	nan.RawMatrix().Data[0] = math.Inf(1)
	if _, err := TruncatedSVD(ctx, nan, SVDOptions{Dim: 2}); err == nil {
		t.Error("Inf entry: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := TruncatedSVD(cancelled, m, SVDOptions{Dim: 2}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

func TestMulCSR(t *testing.T) {
	a := randomSparse(4, 37, 23, 0.2)
	const l = 5
	rng := rand.New(rand.NewPCG(1, 1))
	b := make([]float64, 23*l)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	var want mat.Dense
	want.Mul(a.ToDense(), mat.NewDense(23, l, b))
	for _, threads := range []int{1, 2, 7, 64} {
		c := make([]float64, 37*l)
		for i := range c {
			c[i] = math.NaN() // must be overwritten
		}
		mulCSR(a, b, c, l, threads, daxpy)
		if !mat.EqualApprox(mat.NewDense(37, l, c), &want, 1e-12) {
			t.Errorf("%d threads: wrong product", threads)
		}
	}
}

func BenchmarkMulCSR(b *testing.B) {
	a := smallPPMI(b)
	r, c := a.Dims()
	const l = 110
	x := make([]float32, c*l)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	y := make([]float32, r*l)
	b.ResetTimer()
	for range b.N {
		mulCSR(a, x, y, l, 1, f32.Axpy)
	}
	b.ReportMetric(float64(2*a.NNZ()*l)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func TestOrthonormalize(t *testing.T) {
	const r, l = 200, 12
	rng := rand.New(rand.NewPCG(9, 9))
	full := make([]float64, r*l)
	for i := range full {
		full[i] = rng.NormFloat64()
	}
	// Rank 4: every column a mix of the first four, so Cholesky QR breaks
	// down and Householder QR takes over.
	deficient := make([]float64, r*l)
	for i := range r {
		for j := range l {
			for b := range 4 {
				deficient[i*l+j] += full[i*l+b] * float64((j+1)*(b+2)%7-3)
			}
		}
	}
	// Badly scaled but full rank: columns from 1 to 1e4.
	scaled := make([]float64, r*l)
	for i := range r {
		for j := range l {
			scaled[i*l+j] = full[i*l+j] * math.Pow(10, float64(j)/3)
		}
	}
	for name, x := range map[string][]float64{"gaussian": full, "rank 4": deficient, "scaled": scaled} {
		for _, passes := range []int{1, 2} {
			q := append([]float64(nil), x...)
			if err := orthonormalize(q, make([]float64, r*l), r, l, passes); err != nil {
				t.Fatal(err)
			}
			qm := mat.NewDense(r, l, q)
			var qtq mat.Dense
			qtq.Mul(qm.T(), qm)
			worst := 0.0
			for i := range l {
				for j := range l {
					want := 0.0
					if i == j {
						want = 1
					}
					worst = max(worst, math.Abs(qtq.At(i, j)-want))
				}
			}
			if worst > 1e-10 {
				t.Errorf("%s, %d passes: |QᵀQ − I| = %.2g", name, passes, worst)
			}
			if name == "rank 4" {
				continue
			}
			// Same column space: X = Q·(QᵀX).
			xm := mat.NewDense(r, l, x)
			var qtx, back mat.Dense
			qtx.Mul(qm.T(), xm)
			back.Mul(qm, &qtx)
			if !mat.EqualApprox(&back, xm, 1e-8*mat.Norm(xm, 2)) {
				t.Errorf("%s, %d passes: Q does not span X", name, passes)
			}
		}
	}
}

// TestOrthonormalize32 checks the float32 pass used inside the power
// iterations: the result spans the same space and is well conditioned,
// also when the columns differ in length by orders of magnitude (the
// scaled Gram matrix handles that) or are dependent (float64 fallback).
func TestOrthonormalize32(t *testing.T) {
	const r, l = 300, 16
	rng := rand.New(rand.NewPCG(5, 5))
	base := make([]float64, r*l)
	for i := range base {
		base[i] = rng.NormFloat64()
	}
	cases := map[string]func(i, j int) float64{
		"gaussian": func(i, j int) float64 { return base[i*l+j] },
		"scaled":   func(i, j int) float64 { return base[i*l+j] * math.Pow(10, float64(j)/4) },
		"rank 5": func(i, j int) float64 {
			v := 0.0
			for b := range 5 {
				v += base[i*l+b] * float64((j*3+b)%5-2)
			}
			return v
		},
	}
	for name, f := range cases {
		x := make([]float32, r*l)
		x64 := mat.NewDense(r, l, nil)
		for i := range r {
			for j := range l {
				x[i*l+j] = float32(f(i, j))
				x64.Set(i, j, float64(x[i*l+j]))
			}
		}
		if err := orthonormalize32(x, make([]float32, r*l), r, l); err != nil {
			t.Fatal(err)
		}
		q := mat.NewDense(r, l, nil)
		for i := range r {
			for j := range l {
				q.Set(i, j, float64(x[i*l+j]))
			}
		}
		var sv mat.SVD
		sv.Factorize(q, mat.SVDNone)
		s := sv.Values(nil)
		if name != "rank 5" && (s[0] > 1.01 || s[l-1] < 0.99) {
			t.Errorf("%s: singular values of Q from %v to %v, want about 1", name, s[l-1], s[0])
		}
		if name == "rank 5" {
			continue
		}
		var qtx, back mat.Dense
		qtx.Mul(q.T(), x64)
		back.Mul(q, &qtx)
		if !mat.EqualApprox(&back, x64, 1e-4*mat.Norm(x64, 2)) {
			t.Errorf("%s: Q does not span X", name)
		}
	}
}
