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

// TestExpShiftSumVector exercises the eight-wide path (and its scalar
// tail) against math.Exp over the whole float32 range.
func TestExpShiftSumVector(t *testing.T) {
	for _, n := range []int{1, 7, 8, 9, 64, 1003} {
		x := make([]float32, n)
		for i := range x {
			x[i] = -100 + 185*float32(i)/float32(max(1, n-1))
		}
		if n > 3 {
			x[2] = float32(math.Inf(-1))
		}
		orig := append([]float32(nil), x...)
		const shift = 5
		sum := ExpShiftSum(x, shift)
		want := 0.0
		for i, v := range orig {
			w := math.Exp(float64(v - shift)) // the argument rounded to float32, as Exp sees it
			if float64(v)-shift < -87.33654 {
				w = 0
			}
			want += w
			if got := float64(x[i]); math.Abs(got-w) > 4e-7*w || (w == 0 && got != 0) {
				t.Errorf("n=%d: exp(%v-%v) = %v, want %v", n, v, shift, got, w)
			}
		}
		if math.Abs(sum-want) > 1e-6*want {
			t.Errorf("n=%d: sum %v, want %v", n, sum, want)
		}
	}
}
