package transformer

import (
	"archive/zip"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npy"

	"github.com/wordspace/wordspace/internal/testenv"
)

// crosscheckScript finds ../shared/bench/transformer_crosscheck.py and
// checks that PyTorch is installed (see internal/testenv).
func crosscheckScript(t *testing.T) (python, script string) {
	t.Helper()
	if testing.Short() {
		t.Skip("the PyTorch comparison is skipped with -short")
	}
	script = testenv.SharedFile(t, "bench/transformer_crosscheck.py")
	return testenv.PythonModules(t, "torch", "numpy"), script
}

// readRef loads every float array of a reference .npz as float64.
func readRef(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]float64{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		r, err := npy.NewReader(rc)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Trim(r.Header.Descr.Type, "'") == "<f8" {
			var v []float64
			if err := r.Read(&v); err != nil {
				t.Fatal(err)
			}
			out[strings.TrimSuffix(f.Name, ".npy")] = v
		}
		rc.Close()
	}
	return out
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// maxErr returns max|got-want| and max|want|; got and want must be of the
// same length (see refArray).
func maxErr(got []float32, want []float64) (float64, float64) {
	if len(got) != len(want) {
		panic("maxErr: lengths differ")
	}
	var e, m float64
	for i, w := range want {
		e = math.Max(e, math.Abs(float64(got[i])-w))
		m = math.Max(m, math.Abs(w))
	}
	return e, m
}

// TestPyTorchCrosscheck writes random weights and token ids, runs
// ../shared/bench/transformer_crosscheck.py (PyTorch and numpy in float64)
// and compares every layer's hidden states and the logits (within 1e-4
// of max(1, largest magnitude)), every parameter's gradient (within 1e-3
// of the tensor's largest gradient) and the weights after one AdamW step.
func TestPyTorchCrosscheck(t *testing.T) {
	python, script := crosscheckScript(t)
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"micro-tied", Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 8, Seed: 11}},
		{"micro-untied", Config{DModel: 16, Heads: 4, Layers: 3, DFF: 24, Context: 7, Untied: true, Seed: 12}},
		// The format's variants: sinusoidal positions, tanh GELU, another
		// LayerNorm epsilon, alone and together.
		{"micro-sinusoidal", Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 8, SinusoidalPositions: true, Seed: 13}},
		{"micro-tanh-gelu", Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 8, TanhGELU: true, Seed: 14}},
		{"micro-ln-eps", Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 8, LayerNormEps: 1e-3, Seed: 15}},
		{"micro-all-variants", Config{DModel: 16, Heads: 4, Layers: 3, DFF: 24, Context: 7, Untied: true,
			SinusoidalPositions: true, TanhGELU: true, LayerNormEps: 1e-6, Seed: 16}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // most of the time is Python starting up
			dir := t.TempDir()
			m, err := New(c.cfg, testWords(47))
			if err != nil {
				t.Fatal(err)
			}
			wellConditioned(m, 21)
			wpath := filepath.Join(dir, "w.npz")
			if err := m.SaveNPZ(wpath); err != nil {
				t.Fatal(err)
			}
			// The weights PyTorch reads are the ones the test uses: load them back.
			m, err = LoadNPZ(wpath)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Config(); got.SinusoidalPositions != c.cfg.SinusoidalPositions || got.TanhGELU != c.cfg.TanhGELU ||
				got.LayerNormEps != max(c.cfg.LayerNormEps, defaultLNEps*boolf(c.cfg.LayerNormEps == 0)) {
				t.Fatalf("the .npz read back as %+v", got)
			}
			B, T := 2, c.cfg.Context
			ws := newWorkspace(m, B, T, 2, true)
			defer ws.close()
			randomBatch(ws, 31)
			ids := make([][]int64, B)
			for b := range ids {
				ids[b] = make([]int64, T)
				for t := range T {
					ids[b][t] = int64(ws.ids[b*T+t])
					if t+1 < T {
						ws.tgt[b*T+t] = ws.ids[b*T+t+1]
					} else {
						ws.tgt[b*T+t] = -1
					}
				}
			}
			ipath := filepath.Join(dir, "ids.npy")
			f, err := os.Create(ipath)
			if err != nil {
				t.Fatal(err)
			}
			if err := npy.Write(f, ids); err != nil {
				t.Fatal(err)
			}
			f.Close()
			rpath := filepath.Join(dir, "ref.npz")
			out, err := exec.Command(python, script, "forward", "--weights", wpath, "--ids", ipath, "--out", rpath, "--grads").CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			ref := readRef(t, rpath)

			loss := ws.gradStep(false)
			// refArray returns the reference array name, which must hold n
			// values: a missing or short array must fail the test, not
			// compare nothing.
			refArray := func(name string, n int) []float64 {
				t.Helper()
				want, ok := ref[name]
				if !ok || len(want) != n {
					t.Fatalf("%s: reference has %d values (present: %v), Go %d", name, len(want), ok, n)
				}
				return want
			}
			check := func(name string, got []float32, tol float64, relative bool) {
				t.Helper()
				want := refArray(name, len(got))
				e, mx := maxErr(got, want)
				scale := math.Max(1, mx)
				if relative {
					scale = mx
				}
				if !(e <= tol*scale) {
					t.Errorf("%s: max error %.3g, largest magnitude %.3g (tolerance %.0e)", name, e, mx, tol)
				}
				t.Logf("%-28s max abs err %.2e (max |ref| %.3g)", name, e, mx)
			}
			for l := 0; l <= c.cfg.Layers; l++ {
				check("hidden."+strconv.Itoa(l), ws.x[l], 1e-4, false)
			}
			check("hidden.final", ws.hf, 1e-4, false)
			logits := make([]float32, B*T*ws.V)
			ws.logitsInto(logits)
			check("logits", logits, 1e-4, false)
			if want := refArray("loss", 1)[0]; math.Abs(loss-want) > 1e-5*want {
				t.Errorf("loss %.9f, reference %.9f", loss, want)
			}
			// Gradients: within 1e-3 of the tensor's largest reference
			// gradient. The key biases' gradients are zero in exact
			// arithmetic (softmax ignores a shift shared by a row): float32
			// leaves rounding noise there, measured instead against 1e-4 of
			// the largest gradient of the model.
			gmax := 0.0
			for _, p := range m.params {
				_, mx := maxErr(p.Grad, refArray("grad."+p.Name, len(p.Grad)))
				gmax = math.Max(gmax, mx)
			}
			for _, p := range m.params {
				name := "grad." + p.Name
				e, mx := maxErr(p.Grad, refArray(name, len(p.Grad)))
				scale := math.Max(mx, 1e-4*gmax)
				if !(e <= 1e-3*scale) {
					t.Errorf("%s: max error %.3g, largest reference %.3g (tolerance 1e-3 relative)", name, e, mx)
				}
				t.Logf("%-28s max rel err %.2e (max |ref| %.3g)", name, e/scale, mx)
			}
			// One AdamW step, decay on every tensor as in the reference.
			// Where a reference gradient is below 1e-5 of the tensor's
			// largest, its sign (and so Adam's first step, ±lr) is rounding
			// noise in float32; those elements are not compared.
			opt := NewAdamW(0.01)
			opt.DecayAll = true
			before := map[string][]float32{}
			for _, p := range m.params {
				before[p.Name] = append([]float32(nil), p.Data...)
			}
			opt.Step(m.params, 1e-3)
			for _, p := range m.params {
				want, g := refArray("adamw1."+p.Name, len(p.Data)), refArray("grad."+p.Name, len(p.Data))
				worst := 0.0
				for i, w := range want {
					if math.Abs(g[i]) < 1e-5*gmax {
						continue
					}
					d := math.Abs((float64(p.Data[i]) - float64(before[p.Name][i])) - (w - float64(before[p.Name][i])))
					worst = math.Max(worst, d)
				}
				if !(worst <= 1e-3*1e-3) {
					t.Errorf("adamw1.%s: update differs by %.3g (lr 1e-3)", p.Name, worst)
				}
			}
		})
	}
}
