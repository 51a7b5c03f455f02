package f32

import (
	"math"
	"math/rand/v2"
	"testing"
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
		for b.Loop() {
			axpyPairGeneric(1e-6, x, u, -1e-6, z, x)
		}
	})
}

func BenchmarkSigmoid(b *testing.B) {
	x := float32(-7)
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
	for b.Loop() {
		sink += FastSigmoid(x)
		x += 0.001
		if x > 7 {
			x = -7
		}
	}
}
