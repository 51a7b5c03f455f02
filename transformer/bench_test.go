package transformer

import (
	"runtime"
	"testing"
)

var benchConfigs = []struct {
	name  string
	cfg   Config
	batch int
}{
	{"tiny", Tiny(), 16},
	{"small", Small(), 16},
}

func benchModel(b *testing.B, cfg Config) *Model {
	cfg.Seed = 1
	m, err := New(cfg, testWords(cfg.Vocab))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkTrainStep times one full training step (forward, fused loss,
// backward, gradient clipping, AdamW) on a batch of random token windows,
// the configurations of ../shared/bench/transformer-vs-torch.sh.
func BenchmarkTrainStep(b *testing.B) {
	for _, c := range benchConfigs {
		b.Run(c.name, func(b *testing.B) {
			m := benchModel(b, c.cfg)
			tr := newTrainer(m, c.batch, runtime.GOMAXPROCS(0), NewAdamW(0.01), 1)
			defer tr.close()
			randomBatch(tr.ws, 1)
			tr.step(3e-4)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				tr.step(3e-4)
			}
			b.ReportMetric(float64(b.N*tr.ws.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkForward times a forward pass returning every layer's hidden
// states (no logits), as torch_ref.py's infer mode does.
func BenchmarkForward(b *testing.B) {
	for _, c := range benchConfigs {
		b.Run(c.name, func(b *testing.B) {
			m := benchModel(b, c.cfg)
			ws := newWorkspace(m, c.batch, m.cfg.Context, runtime.GOMAXPROCS(0), false)
			defer ws.close()
			randomBatch(ws, 1)
			ws.forward(false)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				ws.forward(false)
			}
			b.ReportMetric(float64(b.N*ws.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
