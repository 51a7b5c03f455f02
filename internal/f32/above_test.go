package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The plain loops the kernels must agree with.
func indexSumAboveGo(x, y []float32, t float32) int {
	for i := range x {
		if x[i]+y[i] > t {
			return i
		}
	}
	return -1
}

func indexProductAboveGo(x, y []float32, t float32) int {
	for i := range x {
		if x[i]*y[i] > t {
			return i
		}
	}
	return -1
}

func TestIndexAbove(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	nan := float32(math.NaN())
	for n := 0; n <= 70; n++ {
		for trial := 0; trial < 60; trial++ {
			x, y := make([]float32, n), make([]float32, n+3)
			for i := range x {
				x[i], y[i] = float32(rng.Float64()), float32(rng.Float64())
				if rng.IntN(20) == 0 {
					x[i] = nan
				}
			}
			// Thresholds that about one entry beats, or that one entry ties.
			ts := float32(1.5 + rng.Float64()/2)
			tp := float32(0.5 + rng.Float64()/2)
			if trial%4 == 0 && n > 0 {
				k := rng.IntN(n)
				ts, tp = x[k]+y[k], x[k]*y[k]
			}
			if got, want := IndexSumAbove(x, y, ts), indexSumAboveGo(x, y, ts); got != want {
				t.Fatalf("IndexSumAbove n=%d t=%v: %d, want %d", n, ts, got, want)
			}
			if got, want := IndexProductAbove(x, y, tp), indexProductAboveGo(x, y, tp); got != want {
				t.Fatalf("IndexProductAbove n=%d t=%v: %d, want %d", n, tp, got, want)
			}
		}
	}
	if IndexSumAbove(nil, nil, 0) != -1 || IndexProductAbove([]float32{2}, []float32{3}, 5) != 0 {
		t.Error("edge cases")
	}
}

func BenchmarkIndexAbove(b *testing.B) {
	const n = 4096
	x, y := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], y[i] = float32(i%7)/7, float32(i%5)/5
	}
	for _, c := range []struct {
		name string
		fn   func(x, y []float32, t float32) int
	}{{"Sum", IndexSumAbove}, {"SumGo", indexSumAboveGo}, {"Product", IndexProductAbove}, {"ProductGo", indexProductAboveGo}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(2 * 4 * n)
			for b.Loop() {
				c.fn(x, y, 5)
			}
		})
	}
}
