package f32

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wordspace/wordspace/internal/cputime"
)

func TestDotInt8(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range lengths {
		x := randVec(r, n)
		y := make([]int8, n+5)
		for i := range y {
			y[i] = int8(r.IntN(256) - 128)
		}
		var want float64
		for i := range x {
			want += float64(x[i]) * float64(y[i])
		}
		for name, got := range map[string]float32{"DotInt8": DotInt8(x, y), "generic": dotInt8Generic(x, y[:n])} {
			if math.Abs(float64(got)-want) > 1e-5*128*float64(n+1) {
				t.Errorf("%s n=%d: got %v, want %v", name, n, got, want)
			}
		}
	}
}

func TestQuantize(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range lengths {
		x := randVec(r, n)
		codes := make([]int8, n)
		scale := Quantize(codes, x)
		var m float32
		for _, v := range x {
			m = max(m, float32(math.Abs(float64(v))))
		}
		for i, v := range x {
			if d := math.Abs(float64(scale*float32(codes[i]) - v)); d > float64(m)/254*1.0001 {
				t.Fatalf("n=%d: x[%d] = %v comes back as %v", n, i, v, scale*float32(codes[i]))
			}
			if math.Abs(float64(v)) == float64(m) && codes[i] != 127 && codes[i] != -127 {
				t.Fatalf("n=%d: the largest magnitude %v has code %d", n, v, codes[i])
			}
		}
	}
	codes := []int8{5, 5}
	if s := Quantize(codes, []float32{0, 0}); s != 0 || codes[0] != 0 || codes[1] != 0 {
		t.Errorf("zero vector: scale %v, codes %v", s, codes)
	}
}

func BenchmarkDotInt8(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x := randVec(r, n)
		y := make([]int8, n)
		Quantize(y, randVec(r, n))
		b.SetBytes(int64(5 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			sink += DotInt8(x, y)
		}
	})
}

func BenchmarkDotInt8Generic(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		r := rand.New(rand.NewPCG(1, 1))
		x := randVec(r, n)
		y := make([]int8, n)
		Quantize(y, randVec(r, n))
		b.SetBytes(int64(5 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			sink += dotInt8Generic(x, y)
		}
	})
}

func TestDotCodes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range append(lengths, 1<<16) {
		x := make([]int8, n)
		y := make([]int8, n+3)
		for i := range x {
			x[i] = int8(r.IntN(256) - 128)
		}
		for i := range y {
			y[i] = int8(r.IntN(256) - 128)
		}
		var want int64
		for i := range x {
			want += int64(x[i]) * int64(y[i])
		}
		if got := DotCodes(x, y); int64(got) != want {
			t.Errorf("DotCodes n=%d: got %d, want %d", n, got, want)
		}
		if got := dotCodesGeneric(x, y[:n]); int64(got) != want {
			t.Errorf("generic n=%d: got %d, want %d", n, got, want)
		}
	}
	// The extremes: 1<<16 products of -128·-128 reach 1<<30.
	x := make([]int8, 1<<16)
	for i := range x {
		x[i] = -128
	}
	if got := DotCodes(x, x); got != 1<<30 {
		t.Errorf("DotCodes of -128s: got %d, want %d", got, 1<<30)
	}
}

var sinkInt int32

func BenchmarkDotCodes(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		x, y := make([]int8, n), make([]int8, n)
		r := rand.New(rand.NewPCG(1, 1))
		Quantize(x, randVec(r, n))
		Quantize(y, randVec(r, n))
		b.SetBytes(int64(2 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			sinkInt += DotCodes(x, y)
		}
	})
}

func BenchmarkDotCodesGeneric(b *testing.B) {
	benchSizes(b, func(b *testing.B, n int) {
		x, y := make([]int8, n), make([]int8, n)
		r := rand.New(rand.NewPCG(1, 1))
		Quantize(x, randVec(r, n))
		Quantize(y, randVec(r, n))
		b.SetBytes(int64(2 * n))
		defer cputime.Clock(b)()
		for b.Loop() {
			sinkInt += dotCodesGeneric(x, y)
		}
	})
}
