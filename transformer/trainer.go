package transformer

// trainer is one optimisation loop's state: the workspace, the optimiser
// and the clipping threshold. step allocates nothing.
type trainer struct {
	m    *Model
	ws   *workspace
	opt  *AdamW
	clip float64
}

func newTrainer(m *Model, batch, workers int, opt *AdamW, clip float64) *trainer {
	return &trainer{m: m, ws: newWorkspace(m, batch, m.cfg.Context, workers, true), opt: opt, clip: clip}
}

// step trains on ws.ids/ws.tgt with learning rate lr and returns the loss
// and the gradient norm before clipping.
func (tr *trainer) step(lr float64) (loss, gradNorm float64) {
	loss = tr.ws.gradStep(true)
	gradNorm = clipGradNorm(tr.m.params, tr.clip)
	tr.opt.Step(tr.m.params, lr)
	tr.m.changed()
	return loss, gradNorm
}

func (tr *trainer) close() { tr.ws.close() }
