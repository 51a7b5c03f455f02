package transformer

import "math"

// trainer is one optimisation loop's state: the workspace, the optimiser
// and the clipping threshold. step allocates nothing.
type trainer struct {
	m    *Model
	ws   *workspace
	opt  *AdamW
	clip float64

	// The optimiser and the gradient norm run over all weights as one
	// flat index space [0, total), cut into chunks of flatChunk for the
	// pool; offsets[i] is where parameter i starts.
	offsets []int
	total   int
	sumSq   []float64 // per chunk, added in order: deterministic
	clipBy  float32
	fnAdam  func(lo, hi int)
	fnSumSq func(lo, hi int)
	fnScale func(lo, hi int)
}

const flatChunk = 1 << 14

func newTrainer(m *Model, batch, workers int, opt *AdamW, clip float64) *trainer {
	tr := &trainer{m: m, ws: newWorkspace(m, batch, m.cfg.Context, workers, true), opt: opt, clip: clip}
	for _, p := range m.params {
		tr.offsets = append(tr.offsets, tr.total)
		tr.total += len(p.Data)
	}
	tr.sumSq = make([]float64, (tr.total+flatChunk-1)/flatChunk)
	tr.fnAdam = func(lo, hi int) { tr.flat(lo, hi, func(i int, p *Param, a, b int) { tr.opt.update(i, p, a, b) }) }
	tr.fnSumSq = func(lo, hi int) {
		for c := lo; c < hi; c++ {
			var s float64
			tr.flat(c, c+1, func(_ int, p *Param, a, b int) {
				for _, g := range p.Grad[a:b] {
					s += float64(g) * float64(g)
				}
			})
			tr.sumSq[c] = s
		}
	}
	tr.fnScale = func(lo, hi int) {
		tr.flat(lo, hi, func(_ int, p *Param, a, b int) {
			for j := a; j < b; j++ {
				p.Grad[j] *= tr.clipBy
			}
		})
	}
	return tr
}

// flat calls fn for the pieces of parameters that chunks [lo, hi) of the
// flat index space cover.
func (tr *trainer) flat(lo, hi int, fn func(i int, p *Param, a, b int)) {
	start, end := lo*flatChunk, min(hi*flatChunk, tr.total)
	for i, p := range tr.m.params {
		off := tr.offsets[i]
		a, b := max(start, off), min(end, off+len(p.Data))
		if a < b {
			fn(i, p, a-off, b-off)
		}
	}
}

// step trains on ws.ids/ws.tgt with learning rate lr and returns the loss
// and the gradient norm before clipping.
func (tr *trainer) step(lr float64) (loss, gradNorm float64) {
	loss = tr.ws.gradStep(true)
	chunks := len(tr.sumSq)
	pool := tr.ws.pool
	pool.run(chunks, tr.fnSumSq)
	var ss float64
	for _, s := range tr.sumSq {
		ss += s
	}
	gradNorm = math.Sqrt(ss)
	if tr.clip > 0 && gradNorm > tr.clip {
		tr.clipBy = float32(tr.clip / (gradNorm + 1e-6))
		pool.run(chunks, tr.fnScale)
	}
	tr.opt.begin(tr.m.params, lr)
	pool.run(chunks, tr.fnAdam)
	tr.m.changed()
	return loss, gradNorm
}

func (tr *trainer) close() { tr.ws.close() }
