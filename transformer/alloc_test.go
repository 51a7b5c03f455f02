package transformer

import "testing"

// TestTrainStepAllocs checks that a training step allocates nothing of its
// own (the sizes keep internal/gemm on its serial path, which allocates
// nothing either), with one and with two goroutines.
func TestTrainStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	for _, workers := range []int{1, 2} {
		m, err := New(Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 8, Dropout: 0.1, Seed: 1}, testWords(40))
		if err != nil {
			t.Fatal(err)
		}
		tr := newTrainer(m, 3, workers, NewAdamW(0.01), 1)
		randomBatch(tr.ws, 1)
		tr.step(1e-3)
		if n := testing.AllocsPerRun(20, func() { tr.step(1e-3) }); n != 0 {
			t.Errorf("%d workers: %v allocations per step, want 0", workers, n)
		}
		ws := newWorkspace(m, 3, 8, workers, false)
		randomBatch(ws, 1)
		if n := testing.AllocsPerRun(20, func() { ws.evalLoss() }); n != 0 {
			t.Errorf("%d workers: %v allocations per evaluation, want 0", workers, n)
		}
		tr.close()
		ws.close()
	}
}
