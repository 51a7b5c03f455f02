package transformer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// wellConditioned sets weights the way transformer_crosscheck.py's
// random_weights does: O(1) activations, gains away from 1, non-zero
// biases, so that every term of the gradient matters.
func wellConditioned(m *Model, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	for _, p := range m.params {
		for i := range p.Data {
			z := rng.NormFloat64()
			switch {
			case isGain(p.Name):
				p.Data[i] = float32(1 + 0.1*z)
			case len(p.Shape) == 1:
				p.Data[i] = float32(0.1 * z)
			case p.Name == "tok_emb" || p.Name == "pos_emb" || p.Name == "tok_static":
				p.Data[i] = float32(0.3 * z)
			default:
				p.Data[i] = float32(z / math.Sqrt(float64(p.Shape[0])))
			}
		}
	}
	m.changed()
}

func testWords(n int) []string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("w%d", i)
	}
	return w
}

func randomBatch(ws *workspace, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 5))
	for i := range ws.ids {
		ws.ids[i] = int32(rng.IntN(ws.V))
	}
	for i := range ws.tgt {
		ws.tgt[i] = int32(rng.IntN(ws.V))
	}
	ws.tgt[1] = -1 // an ignored position
}

// TestGradients compares the hand-written backward pass with central
// differences, tensor by tensor, on a tiny configuration with O(1)
// activations. The forward pass is float32, so the loss carries a rounding
// noise near 1e-6 and single coordinates (whose derivatives are tiny)
// cannot be checked to 1e-3. Each tensor is instead perturbed along whole
// unit directions: its own gradient direction ĝ (a missing, extra or
// mis-scaled term changes that slope) and two mixtures (ĝ + r̂)/√2 with
// random r (which also catch errors orthogonal to ĝ). The difference
// quotients use Richardson extrapolation, (4·D(h/2) − D(h))/3 with
// h = 0.005, whose truncation error is O(h^4). Tolerance: relative error
// below 1e-3 of the analytic slope. Tensors whose gradient is zero in
// exact arithmetic (the key bias: softmax ignores a shift shared by a
// row) must have a gradient and a numeric slope below 1e-4 of the largest
// gradient norm.
func TestGradients(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		k    int // factorised embedding of inner dimension k
	}{
		{"tied", Config{DModel: 8, Heads: 2, Layers: 2, DFF: 16, Context: 6, Seed: 1}, 0},
		{"untied-factorised-dropout", Config{DModel: 8, Heads: 2, Layers: 2, DFF: 12, Context: 5, Untied: true, Dropout: 0.2, Seed: 2}, 5},
		// The .npz variants. Sinusoidal positions are checked with one block:
		// in a second one, this tiny model's attention gradients fall below
		// what float32 differences can resolve (PyTorch's float64 crosscheck
		// covers deeper models).
		{"sinusoidal-tanh-eps", Config{DModel: 8, Heads: 2, Layers: 1, DFF: 16, Context: 6, SinusoidalPositions: true, TanhGELU: true, LayerNormEps: 1e-3, Seed: 3}, 0},
		{"tanh-eps", Config{DModel: 8, Heads: 2, Layers: 2, DFF: 16, Context: 6, TanhGELU: true, LayerNormEps: 1e-6, Seed: 4}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := newModel(c.cfg, testWords(17), c.k)
			if err != nil {
				t.Fatal(err)
			}
			wellConditioned(m, 3)
			for _, workers := range []int{1, 2} {
				ws := newWorkspace(m, 2, c.cfg.Context, workers, true)
				randomBatch(ws, 4)
				lossAt := func() float64 {
					ws.dropStep = 0
					m.changed()
					ws.forward(true)
					l, _ := ws.lossAndGrad()
					return l
				}
				ws.dropStep = 0
				m.changed()
				ws.gradStep(true)
				grads := map[string][]float32{}
				gmax := 0.0
				for _, p := range m.params {
					grads[p.Name] = append([]float32(nil), p.Grad...)
					gmax = math.Max(gmax, norm(p.Grad))
				}
				rng := rand.New(rand.NewPCG(7, 7))
				for _, p := range m.params {
					g := grads[p.Name]
					gnorm := norm(g)
					ghat := make([]float64, len(g))
					for i, v := range g {
						ghat[i] = float64(v) / max(gnorm, 1e-30)
					}
					dirs := [][]float64{ghat}
					for range 2 {
						u := unitRandom(rng, len(g))
						for i := range u {
							u[i] = (u[i] + ghat[i]) / math.Sqrt2
						}
						dirs = append(dirs, u)
					}
					if strings.HasSuffix(p.Name, ".bk") {
						dirs = [][]float64{unitRandom(rng, len(g))}
					}
					orig := append([]float32(nil), p.Data...)
					for di, u := range dirs {
						slope := func(h float64) float64 {
							for i := range p.Data {
								p.Data[i] = orig[i] + float32(h*u[i])
							}
							lp := lossAt()
							for i := range p.Data {
								p.Data[i] = orig[i] - float32(h*u[i])
							}
							lm := lossAt()
							copy(p.Data, orig)
							return (lp - lm) / (2 * h)
						}
						const h = 0.005
						num := (4*slope(h/2) - slope(h)) / 3
						ana := 0.0
						for i, v := range g {
							ana += float64(v) * u[i]
						}
						if strings.HasSuffix(p.Name, ".bk") {
							if gnorm > 1e-4*gmax || math.Abs(num) > 1e-4*gmax {
								t.Errorf("workers %d: %s: gradient norm %.3g and slope %.3g, want ~0", workers, p.Name, gnorm, num)
							}
							continue
						}
						if rel := math.Abs(num-ana) / math.Abs(ana); !(rel < 1e-3) {
							t.Errorf("workers %d: %s direction %d: analytic %.6g, numeric %.6g, relative error %.2g", workers, p.Name, di, ana, num, rel)
						}
					}
					m.changed()
				}
				ws.close()
			}
		})
	}
}

func unitRandom(rng *rand.Rand, n int) []float64 {
	u := make([]float64, n)
	s := 0.0
	for i := range u {
		u[i] = rng.NormFloat64()
		s += u[i] * u[i]
	}
	for i := range u {
		u[i] /= math.Sqrt(s)
	}
	return u
}

func norm(x []float32) float64 {
	s := 0.0
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s)
}
