package f32

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wordspace/wordspace/internal/cputime"
)

func randVec(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = r.Float32()*2 - 1
	}
	return v
}

// lengths covers every tail path of the kernels: empty, below 4, 4..7,
// 8..15, 16..31, the word2vec sizes, and long vectors.
var lengths = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 50, 100, 300, 1001}

func TestDot(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range lengths {
		x, y := randVec(r, n), randVec(r, n+3)
		var want float64
		for i := range x {
			want += float64(x[i]) * float64(y[i])
		}
		for name, got := range map[string]float32{"Dot": Dot(x, y), "generic": dotGeneric(x, y[:n])} {
			if math.Abs(float64(got)-want) > 1e-5*float64(n+1) {
				t.Errorf("%s n=%d: got %v, want %v", name, n, got, want)
			}
		}
	}
}

func TestDot64(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range lengths {
		x, y := randVec(r, n), randVec(r, n+1)
		var want float64
		for i := range x {
			want += float64(x[i]) * float64(y[i])
		}
		if got := Dot64(x, y); math.Abs(got-want) > 1e-14*float64(n+1) {
			t.Errorf("Dot64 n=%d: got %v, want %v", n, got, want)
		}
	}
	// Products that cancel in float32 survive in float64.
	x := []float32{1 << 24, 1, -(1 << 24)}
	if got := Dot64(x, []float32{1, 1, 1}); got != 1 {
		t.Errorf("Dot64 cancellation = %v, want 1", got)
	}
	if got := Norm([]float32{3, 4}); got != 5 {
		t.Errorf("Norm(3, 4) = %v", got)
	}
}

func TestAxpy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range lengths {
		x, y := randVec(r, n), randVec(r, n+3)
		want := append([]float32(nil), y...)
		for i := range x {
			want[i] += 0.37 * x[i]
		}
		Axpy(0.37, x, y)
		for i := range y {
			if math.Abs(float64(y[i]-want[i])) > 1e-6 {
				t.Fatalf("n=%d: y[%d] = %v, want %v", n, i, y[i], want[i])
			}
		}
	}
}

func TestAxpyPair(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range lengths {
		// The trainer's use: x and y are the same output row.
		out, in, neu := randVec(r, n), randVec(r, n), randVec(r, n)
		wantNeu := append([]float32(nil), neu...)
		wantOut := append([]float32(nil), out...)
		for i := range out {
			wantNeu[i] += 0.5 * out[i]
			wantOut[i] += -0.25 * in[i]
		}
		AxpyPair(0.5, out, neu, -0.25, in, out)
		for i := range out {
			if math.Abs(float64(neu[i]-wantNeu[i])) > 1e-6 || math.Abs(float64(out[i]-wantOut[i])) > 1e-6 {
				t.Fatalf("n=%d i=%d: got %v %v, want %v %v", n, i, neu[i], out[i], wantNeu[i], wantOut[i])
			}
		}
	}
}

func TestFastSigmoid(t *testing.T) {
	for x := float32(-8); x <= 8; x += 0.001 {
		exact := Sigmoid(x)
		if d := math.Abs(float64(FastSigmoid(x) - exact)); d > 0.004 {
			t.Fatalf("FastSigmoid(%v) = %v, exact %v", x, FastSigmoid(x), exact)
		}
		exactLog := math.Log(float64(exact))
		if d := math.Abs(float64(FastLogSigmoid(x)) - exactLog); d > 0.013 {
			t.Fatalf("FastLogSigmoid(%v) = %v, exact %v", x, FastLogSigmoid(x), exactLog)
		}
	}
}

var sink float32

func benchSizes(b *testing.B, f func(b *testing.B, n int)) {
	for _, n := range []int{100, 300} {
		b.Run(itoa(n), func(b *testing.B) { f(b, n) })
	}
}

func itoa(n int) string {
	if n == 100 {
		return "100"
	}
	return "300"
}

func BenchmarkDot(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x, y := randVec(r, n), randVec(r, n)
		b.SetBytes(int64(8 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			sink += Dot(x, y)
		}
	})
}

func BenchmarkDotGeneric(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x, y := randVec(r, n), randVec(r, n)
		b.SetBytes(int64(8 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			sink += dotGeneric(x, y)
		}
	})
}

func BenchmarkAxpy(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x, y := randVec(r, n), randVec(r, n)
		b.SetBytes(int64(8 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			Axpy(1e-6, x, y)
		}
	})
}

func BenchmarkAxpyGeneric(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x, y := randVec(r, n), randVec(r, n)
		b.SetBytes(int64(8 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			axpyGeneric(1e-6, x, y)
		}
	})
}

func BenchmarkAxpyPair(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x, u, z := randVec(r, n), randVec(r, n), randVec(r, n)
		b.SetBytes(int64(12 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			AxpyPair(1e-6, x, u, -1e-6, z, x)
		}
	})
}

func BenchmarkAxpyPairGeneric(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x, u, z := randVec(r, n), randVec(r, n), randVec(r, n)
		b.SetBytes(int64(12 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			axpyPairGeneric(1e-6, x, u, -1e-6, z, x)
		}
	})
}

func BenchmarkSigmoid(b *testing.B) {
	x := float32(-7)
	defer cputime.Clock(b)()
	for b.Loop() {
		sink += Sigmoid(x)
		x += 0.001
		if x > 7 {
			x = -7
		}
	}
}

func BenchmarkFastSigmoid(b *testing.B) {
	x := float32(-7)
	defer cputime.Clock(b)()
	for b.Loop() {
		sink += FastSigmoid(x)
		x += 0.001
		if x > 7 {
			x = -7
		}
	}
}

func TestSGNSStep(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, d := range []int{1, 3, 4, 7, 8, 12, 16, 17, 31, 32, 33, 100, 300} {
		for ri, scale := range []float32{0.1, 1, 10, 0.5, 0.2, 2, 0.3} { // 10 saturates the sigmoid
			// Every group size of the kernel's three-row passes, a repeated
			// row, and more rows than fit on the stack.
			rows := [][]int32{{3, 0, 5, 3, 1}, {2}, {4, 1}, {0, 1, 2}, {5, 4, 3, 2}, {1, 2, 3, 4, 5, 0, 1}, nil}[ri]
			if rows == nil {
				for i := range 40 {
					rows = append(rows, int32(i%6))
				}
			}
			out := randVec(r, 6*d)
			x := randVec(r, d)
			for i := range out {
				out[i] *= scale
			}
			out2, x2 := append([]float32(nil), out...), append([]float32(nil), x...)
			neu, g := make([]float32, d), randVec(r, len(rows)) // g is scratch: garbage in is fine
			loss := SGNSStep(x, out, rows, 0.025, g)
			want := sgnsGeneric(x2, out2, rows, 1, 0.025, x2, false, make([]float32, len(rows)))
			_ = neu
			if math.Abs(float64(loss-want)) > 1e-4*math.Max(1, math.Abs(float64(want))) {
				t.Errorf("d=%d scale=%v: loss %v, want %v", d, scale, loss, want)
			}
			for i := range out {
				if math.Abs(float64(out[i]-out2[i])) > 1e-5 {
					t.Fatalf("d=%d scale=%v: out[%d] = %v, want %v", d, scale, i, out[i], out2[i])
				}
			}
			for i := range x {
				if math.Abs(float64(x[i]-x2[i])) > 1e-5 {
					t.Fatalf("d=%d scale=%v: x[%d] = %v, want %v", d, scale, i, x[i], x2[i])
				}
			}
		}
	}
}

// TestSGNSStepMatchesDefinition checks the generic kernel, and the one
// SGNSStep dispatches to (the assembly where it runs), against the formula
// written out with the exact sigmoid.
func TestSGNSStepMatchesDefinition(t *testing.T) {
	kernels := map[string]func(x, out []float32, rows []int32, npos int, alpha float32, g []float32) float32{
		"generic": func(x, out []float32, rows []int32, npos int, alpha float32, g []float32) float32 {
			return sgnsGeneric(x, out, rows, npos, alpha, x, false, g)
		},
		"LogisticStep": LogisticStep,
		"SGNSStep": func(x, out []float32, rows []int32, npos int, alpha float32, g []float32) float32 {
			if npos != 1 {
				return LogisticStep(x, out, rows, npos, alpha, g)
			}
			return SGNSStep(x, out, rows, alpha, g)
		},
	}
	for name, step := range kernels {
		for _, tc := range []struct {
			rows []int32
			npos int
		}{{[]int32{2, 0}, 1}, {[]int32{2, 0, 3, 1}, 2}, {[]int32{3, 1, 0}, 0}, {[]int32{1, 3, 2}, 3}} {
			r := rand.New(rand.NewPCG(9, 10))
			d := 10
			rows := tc.rows
			out, x := randVec(r, 4*d), randVec(r, d)
			wantOut, wantX := append([]float32(nil), out...), append([]float32(nil), x...)
			neu := make([]float32, d)
			var wantLoss float64
			for j, row := range rows {
				y := wantOut[int(row)*d : int(row)*d+d]
				var f float64
				for i := range y {
					f += float64(x[i]) * float64(y[i])
				}
				s := 1 / (1 + math.Exp(-f))
				label := 0.0
				if j < tc.npos {
					label = 1
				}
				if label == 1 {
					wantLoss -= math.Log(s)
				} else {
					wantLoss -= math.Log(1 - s)
				}
				g := float32((label - s) * 0.1)
				for i := range y {
					neu[i] += g * y[i]
					y[i] += g * x[i]
				}
			}
			for i := range wantX {
				wantX[i] += neu[i]
			}
			loss := step(x, out, rows, tc.npos, 0.1, make([]float32, len(rows)))
			if math.Abs(float64(loss)-wantLoss) > 0.02 {
				t.Errorf("%s npos %d: loss %v, want %v", name, tc.npos, loss, wantLoss)
			}
			for i := range out {
				if math.Abs(float64(out[i]-wantOut[i])) > 1e-3 {
					t.Errorf("%s npos %d: out[%d] = %v, want %v", name, tc.npos, i, out[i], wantOut[i])
				}
			}
			for i := range x {
				if math.Abs(float64(x[i]-wantX[i])) > 1e-3 {
					t.Errorf("%s npos %d: x[%d] = %v, want %v", name, tc.npos, i, x[i], wantX[i])
				}
			}
		}
	}
}

func TestSGNSGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, d := range []int{5, 100} {
		out, x := randVec(r, 4*d), randVec(r, d)
		out2, x2 := append([]float32(nil), out...), append([]float32(nil), x...)
		neu, neu2 := make([]float32, d), make([]float32, d)
		rows := []int32{1, 3, 0}
		SGNSGradient(x, out, rows, 0.05, make([]float32, 3), neu)
		sgnsGeneric(x2, out2, rows, 1, 0.05, neu2, true, make([]float32, len(rows)))
		for i := range x {
			if x[i] != x2[i] {
				t.Fatalf("d=%d: SGNSGradient changed x", d)
			}
			if math.Abs(float64(neu[i]-neu2[i])) > 1e-5 {
				t.Fatalf("d=%d: neu[%d] = %v, want %v", d, i, neu[i], neu2[i])
			}
		}
	}
}

func BenchmarkSGNSStep(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	d := 100
	out, x, neu := randVec(r, 6*d), randVec(r, d), make([]float32, d)
	for i := range out {
		out[i] *= 0.01
	}
	rows := []int32{0, 1, 2, 3, 4, 5}
	defer cputime.Clock(b)()
	for b.Loop() {
		sink += SGNSStep(x, out, rows, 1e-6, neu[:6])
	}
}

func BenchmarkSGNSStepGoLoop(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	d := 100
	out, x, neu := randVec(r, 6*d), randVec(r, d), make([]float32, d)
	for i := range out {
		out[i] *= 0.01
	}
	rows := []int32{0, 1, 2, 3, 4, 5}
	defer cputime.Clock(b)()
	for b.Loop() {
		clear(neu)
		label := float32(1)
		for _, row := range rows {
			y := out[int(row)*d : int(row)*d+d]
			f := Dot(x, y)
			s, ls := FastSigmoidLog(f)
			sink += (1-label)*f - ls
			g := (label - s) * 1e-6
			AxpyPair(g, y, neu, g, x, y)
			label = 0
		}
		Axpy(1, neu, x)
	}
}

// TestPrefetch checks that the prefetch hints accept every length,
// including empty slices and lengths that end mid cache line, and change
// nothing.
func TestPrefetch(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 300} {
		x := make([]float32, n)
		u := make([]uint32, n)
		c := make([]int8, n)
		for i := range x {
			x[i], u[i], c[i] = float32(i), uint32(i), int8(i)
		}
		Prefetch(x)
		Prefetch(u)
		Prefetch(c)
		for i := range x {
			if x[i] != float32(i) || u[i] != uint32(i) || c[i] != int8(i) {
				t.Fatalf("n = %d: element %d changed", n, i)
			}
		}
	}
}
