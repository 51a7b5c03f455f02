package f32

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The kernels have two implementations: assembly (amd64 with AVX2/FMA)
// and plain Go (other processors and the purego build). The tests below
// run both on the same random inputs, for every length up to a few times
// the vector width and some long ones, so that the tails, where the
// lengths are not multiples of the width, are covered. The Go kernels are
// also what the rest of the package's tests exercise under -tags purego,
// which .ci/run runs.

// genericLengths are 0..67 (every tail of the 4-, 8- and 16-wide loops
// several times over) and a few long vectors.
func genericLengths() []int {
	var ns []int
	for n := 0; n <= 67; n++ {
		ns = append(ns, n)
	}
	return append(ns, 100, 255, 256, 257, 300, 1001)
}

func needAsm(t *testing.T, have bool) {
	t.Helper()
	if !have {
		t.Skip("this build has no assembly kernel to compare with (purego tag, another architecture, or a CPU without AVX2/FMA): the Go kernels are the ones the other tests run")
	}
}

// close32 reports whether a and b agree within tol relative to scale.
func close32(a, b float32, tol, scale float64) bool {
	return math.Abs(float64(a)-float64(b)) <= tol*math.Max(scale, 1e-30)
}

func TestDotGenericMatchesAsm(t *testing.T) {
	needAsm(t, useAsm)
	r := rand.New(rand.NewPCG(21, 22))
	for _, n := range genericLengths() {
		for range 20 {
			x, y := randVec(r, n), randVec(r, n)
			var mag float64
			for i := range x {
				mag += math.Abs(float64(x[i]) * float64(y[i]))
			}
			g, a := dotGeneric(x, y), dotAsm(x, y)
			// Both sum n products in float32 in different orders.
			if !close32(g, a, 4e-7*float64(n+1), mag) {
				t.Fatalf("n=%d: generic %v, assembly %v (Σ|xy| %v)", n, g, a, mag)
			}
		}
	}
}

func TestAxpyGenericMatchesAsm(t *testing.T) {
	needAsm(t, useAsm)
	r := rand.New(rand.NewPCG(23, 24))
	for _, n := range genericLengths() {
		x, y := randVec(r, n), randVec(r, n+5) // y longer: only len(x) elements change
		alpha := r.Float32()*4 - 2
		yg, ya := append([]float32(nil), y...), append([]float32(nil), y...)
		axpyGeneric(alpha, x, yg[:n])
		axpyAsm(alpha, x, ya[:n])
		for i := range y {
			if i >= n {
				if yg[i] != y[i] || ya[i] != y[i] {
					t.Fatalf("n=%d: element %d past the end changed", n, i)
				}
				continue
			}
			// FMA rounds once, the Go loop twice.
			if !close32(yg[i], ya[i], 2.5e-7, math.Abs(float64(y[i]))+math.Abs(float64(alpha*x[i]))) {
				t.Fatalf("n=%d: y[%d] generic %v, assembly %v", n, i, yg[i], ya[i])
			}
		}
	}
}

func TestAxpyPairGenericMatchesAsm(t *testing.T) {
	needAsm(t, useAsm)
	r := rand.New(rand.NewPCG(25, 26))
	for _, n := range genericLengths() {
		for _, alias := range []bool{false, true} {
			x, u, z, y := randVec(r, n), randVec(r, n), randVec(r, n), randVec(r, n)
			a, b := r.Float32()*2-1, r.Float32()*2-1
			run := func(kernel func(a float32, x, u []float32, b float32, z, y []float32)) (u2, y2 []float32) {
				xc, uc, zc, yc := append([]float32(nil), x...), append([]float32(nil), u...), append([]float32(nil), z...), append([]float32(nil), y...)
				if alias { // the trainer's use: x is y, z is u
					kernel(a, yc, uc, b, uc, yc)
				} else {
					kernel(a, xc, uc, b, zc, yc)
				}
				return uc, yc
			}
			ug, yg := run(axpyPairGeneric)
			ua, ya := run(axpyPairAsm)
			for i := range n {
				if !close32(ug[i], ua[i], 2.5e-7, 4) || !close32(yg[i], ya[i], 2.5e-7, 4) {
					t.Fatalf("n=%d alias=%v i=%d: generic (%v, %v), assembly (%v, %v)", n, alias, i, ug[i], yg[i], ua[i], ya[i])
				}
			}
		}
	}
}

func TestSGNSGenericMatchesAsm(t *testing.T) {
	needAsm(t, useAsm)
	r := rand.New(rand.NewPCG(27, 28))
	for _, d := range genericLengths()[1:] { // the kernel needs d > 0
		for _, tc := range []struct {
			gradient bool
			npos     int
		}{{false, 1}, {true, 1}, {false, 3}, {true, 4}, {false, 0}, {true, 6}} {
			gradient, npos := tc.gradient, tc.npos
			const n = 7
			out, x := randVec(r, n*d), randVec(r, d)
			rows := []int32{int32(r.IntN(n)), int32(r.IntN(n)), int32(r.IntN(n)), int32(r.IntN(n)), int32(r.IntN(n)), int32(r.IntN(n))}
			outG, xG := append([]float32(nil), out...), append([]float32(nil), x...)
			outA, xA := append([]float32(nil), out...), append([]float32(nil), x...)
			dstG, dstA := xG, xA
			if gradient {
				dstG, dstA = randVec(r, d), make([]float32, d) // garbage in: the kernel must zero it
				copy(dstA, dstG)
			}
			lg := sgnsGeneric(xG, outG, rows, npos, 0.05, dstG, gradient, make([]float32, len(rows)))
			la := sgnsAsm(xA, outA, rows, make([]float32, len(rows)), dstA, 0.05, &sigLogTable[0], gradient, npos)
			if !close32(lg, la, 1e-5, math.Max(1, math.Abs(float64(lg)))) {
				t.Fatalf("d=%d gradient=%v npos=%d: loss generic %v, assembly %v", d, gradient, npos, lg, la)
			}
			for i := range out {
				if !close32(outG[i], outA[i], 1e-5, 1) {
					t.Fatalf("d=%d gradient=%v: out[%d] generic %v, assembly %v", d, gradient, i, outG[i], outA[i])
				}
			}
			for i := range d {
				if !close32(xG[i], xA[i], 1e-5, 1) || !close32(dstG[i], dstA[i], 1e-5, 1) {
					t.Fatalf("d=%d gradient=%v: element %d generic (%v, %v), assembly (%v, %v)", d, gradient, i, xG[i], dstG[i], xA[i], dstA[i])
				}
			}
		}
	}
}

// TestExpShiftSumBlockMatchesScalar compares the eight-wide exponential
// with the scalar Exp it stands in for.
func TestExpShiftSumBlockMatchesScalar(t *testing.T) {
	if k, _ := expShiftSumBlock(make([]float32, 8), 0); k == 0 {
		needAsm(t, false)
	}
	r := rand.New(rand.NewPCG(29, 30))
	for _, n := range genericLengths() {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(r.Float64()*120 - 100)
		}
		const shift = 3
		vec := append([]float32(nil), x...)
		k, sum := expShiftSumBlock(vec, shift)
		if k != n&^7 {
			t.Fatalf("n=%d: the block did %d elements, want %d", n, k, n&^7)
		}
		var want float64
		for i := range k {
			e := Exp(x[i] - shift)
			want += float64(e)
			if !close32(vec[i], e, 5e-7, float64(e)) {
				t.Fatalf("n=%d: exp(%v-%v) block %v, scalar %v", n, x[i], shift, vec[i], e)
			}
		}
		if math.Abs(sum-want) > 1e-6*want {
			t.Fatalf("n=%d: block sum %v, scalar %v", n, sum, want)
		}
	}
}

// TestGELUBlockMatchesScalar compares the eight-wide GELU and its
// derivative with the scalar loops of GELU and GELUBackward.
func TestGELUBlockMatchesScalar(t *testing.T) {
	if geluBlock(make([]float32, 8), make([]float32, 8)) == 0 {
		needAsm(t, false)
	}
	r := rand.New(rand.NewPCG(31, 32))
	for _, n := range genericLengths() {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(r.Float64()*16 - 8)
		}
		y := make([]float32, n)
		k := geluBlock(y, x)
		if k != n&^7 {
			t.Fatalf("n=%d: the block did %d elements, want %d", n, k, n&^7)
		}
		dy := make([]float32, n)
		for i := range dy {
			dy[i] = 1
		}
		if kb := geluBackwardBlock(dy, x); kb != k {
			t.Fatalf("n=%d: the backward block did %d elements, want %d", n, kb, k)
		}
		for i := range k {
			v := x[i]
			want := 0.5 * v * (1 + Erf(v*invSqrt2))
			cdf := 0.5 * (1 + Erf(v*invSqrt2))
			dwant := cdf + v*invSqrt2Pi*Exp(-0.5*v*v)
			if !close32(y[i], want, 1e-6, math.Max(1, math.Abs(float64(v)))) || !close32(dy[i], dwant, 1e-6, 1) {
				t.Fatalf("n=%d: x=%v: block (%v, %v), scalar (%v, %v)", n, v, y[i], dy[i], want, dwant)
			}
		}
	}
}
