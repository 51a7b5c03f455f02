package transformer

import (
	"math"
	"testing"
)

// TestTrainerClipsAndMatchesSerialAdamW checks the chunked, pooled
// clipping and optimiser step against AdamW.Step on a copy of the model.
func TestTrainerClipsAndMatchesSerialAdamW(t *testing.T) {
	cfg := Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 8, Seed: 4}
	a, err := New(cfg, testWords(3000)) // big enough for several chunks
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(cfg, testWords(3000))
	if err != nil {
		t.Fatal(err)
	}
	tr := newTrainer(a, 2, 2, NewAdamW(0.01), 0.05)
	defer tr.close()
	randomBatch(tr.ws, 3)
	_, norm := tr.step(1e-3)
	if !(norm > 0.05) {
		t.Fatalf("gradient norm %v: the test needs one above the clip", norm)
	}
	var ss float64
	for _, p := range a.params {
		for _, g := range p.Grad {
			ss += float64(g) * float64(g)
		}
	}
	if got := math.Sqrt(ss); math.Abs(got-0.05) > 1e-4 {
		t.Errorf("clipped gradient norm %v, want 0.05", got)
	}
	// The same step, serially: clip by hand, then AdamW.Step.
	ws := newWorkspace(b, 2, 8, 1, true)
	defer ws.close()
	copy(ws.ids, tr.ws.ids)
	copy(ws.tgt, tr.ws.tgt)
	ws.gradStep(true)
	c := float32(0.05 / (norm + 1e-6))
	for _, p := range b.params {
		for j := range p.Grad {
			p.Grad[j] *= c
		}
	}
	opt := NewAdamW(0.01)
	opt.Step(b.params, 1e-3)
	for i, p := range a.params {
		q := b.params[i]
		for j := range p.Data {
			if d := math.Abs(float64(p.Data[j] - q.Data[j])); d > 1e-6 {
				t.Fatalf("%s[%d]: pooled %v, serial %v", p.Name, j, p.Data[j], q.Data[j])
			}
		}
	}
}
