package f32

import (
	"math"
	"testing"
)

func TestErf(t *testing.T) {
	worst := 0.0
	for x := -6.0; x <= 6; x += 1e-3 {
		if e := math.Abs(float64(Erf(float32(x))) - math.Erf(float64(float32(x)))); e > worst {
			worst = e
		}
	}
	if worst > 4e-7 {
		t.Errorf("worst absolute error %.3g, want < 4e-7", worst)
	}
}

// TestGELU checks both the eight-wide and the scalar paths against float64.
func TestGELU(t *testing.T) {
	for _, n := range []int{3, 8, 13, 1000} {
		x := make([]float32, n)
		for i := range x {
			x[i] = -12 + 24*float32(i)/float32(n-1)
		}
		y := make([]float32, n)
		GELU(y, x)
		dy := make([]float32, n)
		for i := range dy {
			dy[i] = 1.5
		}
		GELUBackward(dy, x)
		for i, v := range x {
			xv := float64(v)
			want := 0.5 * xv * (1 + math.Erf(xv/math.Sqrt2))
			if math.Abs(float64(y[i])-want) > 1e-6*math.Max(1, math.Abs(xv)) {
				t.Errorf("n=%d: GELU(%v) = %v, want %v", n, v, y[i], want)
			}
			dwant := 1.5 * (0.5*(1+math.Erf(xv/math.Sqrt2)) + xv*math.Exp(-xv*xv/2)/math.Sqrt(2*math.Pi))
			if math.Abs(float64(dy[i])-dwant) > 2e-6 {
				t.Errorf("n=%d: GELU'(%v)·1.5 = %v, want %v", n, v, dy[i], dwant)
			}
		}
	}
}

func BenchmarkGELU(b *testing.B) {
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(i%200)/50 - 2
	}
	y := make([]float32, len(x))
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		GELU(y, x)
	}
}

func BenchmarkGELUBackward(b *testing.B) {
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(i%200)/50 - 2
	}
	y := make([]float32, len(x))
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		GELUBackward(y, x)
	}
}
