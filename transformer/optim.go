package transformer

import (
	"math"
)

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter), updating
// exactly as PyTorch's torch.optim.AdamW does:
//
//	p ← p·(1 − lr·wd)
//	m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
//	p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
type AdamW struct {
	Beta1, Beta2, Eps, WeightDecay float64
	// DecayAll applies weight decay to every tensor, as PyTorch does for a
	// single parameter group; by default only matrices and embeddings
	// decay, not biases or layer-norm gains.
	DecayAll bool

	t    int
	m, v [][]float32
	cur  adamStep
	lr   float64
}

// NewAdamW returns an optimiser with PyTorch's defaults (β1 0.9, β2 0.999,
// ε 1e-8) and the given weight decay.
func NewAdamW(weightDecay float64) *AdamW {
	return &AdamW{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: weightDecay}
}

// Steps returns the number of updates made so far.
func (o *AdamW) Steps() int { return o.t }

// Step updates params from their gradients with learning rate lr.
func (o *AdamW) Step(params []*Param, lr float64) {
	o.begin(params, lr)
	for i := range params {
		o.update(i, params[i], 0, len(params[i].Data))
	}
}

// adamStep holds the per-step constants of one update.
type adamStep struct {
	lr, stepSize, invBC2 float32
}

// begin advances the step count and precomputes the bias corrections.
func (o *AdamW) begin(params []*Param, lr float64) {
	if o.m == nil {
		o.m = make([][]float32, len(params))
		o.v = make([][]float32, len(params))
		for i, p := range params {
			o.m[i] = make([]float32, len(p.Data))
			o.v[i] = make([]float32, len(p.Data))
		}
	}
	o.t++
	bc1 := 1 - math.Pow(o.Beta1, float64(o.t))
	bc2 := 1 - math.Pow(o.Beta2, float64(o.t))
	o.cur = adamStep{lr: float32(lr), stepSize: float32(lr / bc1), invBC2: float32(1 / math.Sqrt(bc2))}
	o.lr = lr
}

// update applies the current step to elements [lo, hi) of parameter i.
func (o *AdamW) update(i int, p *Param, lo, hi int) {
	decay := float32(1)
	if o.DecayAll || p.decay {
		decay = float32(1 - o.lr*o.WeightDecay)
	}
	b1, b2, eps := float32(o.Beta1), float32(o.Beta2), float32(o.Eps)
	stepSize, invBC2 := o.cur.stepSize, o.cur.invBC2
	m, v, g, w := o.m[i][lo:hi], o.v[i][lo:hi], p.Grad[lo:hi], p.Data[lo:hi]
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	for j, gj := range g {
		mj := b1*m[j] + (1-b1)*gj
		vj := b2*v[j] + (1-b2)*gj*gj
		m[j], v[j] = mj, vj
		w[j] = w[j]*decay - stepSize*mj/(sqrt32(vj)*invBC2+eps)
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// Schedule is a learning rate that rises linearly from 0 to Peak over
// Warmup steps, then follows a cosine down to Min at step Total (and stays
// there).
type Schedule struct {
	Peak, Min     float64
	Warmup, Total int
}

// At returns the learning rate for step (counting from 0).
func (s Schedule) At(step int) float64 {
	if step < s.Warmup {
		return s.Peak * float64(step+1) / float64(s.Warmup)
	}
	if step >= s.Total || s.Total <= s.Warmup {
		return s.Min
	}
	frac := float64(step-s.Warmup) / float64(s.Total-s.Warmup)
	return s.Min + 0.5*(s.Peak-s.Min)*(1+math.Cos(math.Pi*frac))
}
