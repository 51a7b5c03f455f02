package f32

import (
	"math"
	"testing"
)

func TestExpAccuracy(t *testing.T) {
	worst := 0.0
	for x := -87.0; x <= 88.5; x += 0.001 {
		got := float64(Exp(float32(x)))
		want := math.Exp(float64(float32(x)))
		if rel := math.Abs(got-want) / want; rel > worst {
			worst = rel
		}
	}
	if worst > 4e-7 {
		t.Errorf("worst relative error %.3g, want <= 4e-7", worst)
	}
}

func TestExpEdges(t *testing.T) {
	cases := []struct {
		x    float32
		want float32
	}{
		{float32(math.Inf(-1)), 0},
		{-1000, 0},
		{0, 1},
		{1000, float32(math.Inf(1))},
		{float32(math.Inf(1)), float32(math.Inf(1))},
	}
	for _, c := range cases {
		if got := Exp(c.x); got != c.want {
			t.Errorf("Exp(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := Exp(float32(math.NaN())); got == got {
		t.Errorf("Exp(NaN) = %v, want NaN", got)
	}
}

func TestExpShiftSum(t *testing.T) {
	x := []float32{1, 2, 3, float32(math.Inf(-1)), 0.5}
	m := Max(x)
	s := ExpShiftSum(x, m)
	want := math.Exp(-2) + math.Exp(-1) + 1 + math.Exp(-2.5)
	if math.Abs(s-want) > 1e-6 {
		t.Errorf("sum = %v, want %v", s, want)
	}
	if x[3] != 0 || math.Abs(float64(x[2])-1) > 1e-7 {
		t.Errorf("x = %v", x)
	}
}

func BenchmarkExpShiftSum(b *testing.B) {
	x := make([]float32, 5000)
	for i := range x {
		x[i] = float32(i%97) / 10
	}
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		ExpShiftSum(x, 10)
		for i := range x {
			x[i] = float32(i%97) / 10
		}
	}
}

func BenchmarkMathExp(b *testing.B) {
	x := make([]float32, 5000)
	for i := range x {
		x[i] = float32(i%97) / 10
	}
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		for i := range x {
			x[i] = float32(math.Exp(float64(x[i] - 10)))
		}
		for i := range x {
			x[i] = float32(i%97) / 10
		}
	}
}
