package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRows(t *testing.T) {
	const d, n = 13, 50
	r := rand.New(rand.NewPCG(1, 1))
	mat := make([]float32, n*d)
	for i := range mat {
		mat[i] = r.Float32() - 0.5
	}
	rows := []int32{3, 7, 3, 49, 0}
	dst := make([]float32, d)
	MeanRows(dst, mat, rows)
	for k := range d {
		var s float64
		for _, i := range rows {
			s += float64(mat[int(i)*d+k])
		}
		if want := s / float64(len(rows)); math.Abs(float64(dst[k])-want) > 1e-6 {
			t.Errorf("MeanRows[%d] = %v, want %v", k, dst[k], want)
		}
	}
	MeanRows(dst, mat, nil)
	for _, x := range dst {
		if x != 0 {
			t.Fatal("MeanRows of no rows is not zero")
		}
	}
	before := append([]float32(nil), mat...)
	v := make([]float32, d)
	for i := range v {
		v[i] = float32(i)
	}
	AddToRows(mat, rows, v)
	for i := range n {
		times := 0
		for _, r := range rows {
			if int(r) == i {
				times++
			}
		}
		for k := range d {
			if want := before[i*d+k] + float32(times)*v[k]; math.Abs(float64(mat[i*d+k]-want)) > 1e-5 {
				t.Fatalf("row %d[%d] = %v, want %v", i, k, mat[i*d+k], want)
			}
		}
	}
}

func BenchmarkMeanAddRows(b *testing.B) {
	const d, n = 100, 1 << 16
	mat := make([]float32, n*d)
	r := rand.New(rand.NewPCG(1, 1))
	rows := make([]int32, 20)
	dst := make([]float32, d)
	for b.Loop() {
		for i := range rows {
			rows[i] = int32(r.IntN(n))
		}
		MeanRows(dst, mat, rows)
		AddToRows(mat, rows, dst)
	}
}
