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
	stepSize := float32(lr / bc1)
	invBC2 := float32(1 / math.Sqrt(bc2))
	b1, b2 := float32(o.Beta1), float32(o.Beta2)
	eps := float32(o.Eps)
	for i, p := range params {
		decay := float32(1)
		if o.DecayAll || p.decay {
			decay = float32(1 - lr*o.WeightDecay)
		}
		m, v, g, w := o.m[i], o.v[i], p.Grad, p.Data
		m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
		for j, gj := range g {
			mj := b1*m[j] + (1-b1)*gj
			vj := b2*v[j] + (1-b2)*gj*gj
			m[j], v[j] = mj, vj
			w[j] = w[j]*decay - stepSize*mj/(sqrt32(vj)*invBC2+eps)
		}
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

// clipGradNorm scales every gradient so that their global Euclidean norm
// is at most maxNorm (as torch.nn.utils.clip_grad_norm_), and returns the
// norm before clipping. maxNorm <= 0 only measures.
func clipGradNorm(params []*Param, maxNorm float64) float64 {
	var ss float64
	for _, p := range params {
		var s float64
		for _, g := range p.Grad {
			s += float64(g) * float64(g)
		}
		ss += s
	}
	n := math.Sqrt(ss)
	if maxNorm > 0 && n > maxNorm {
		c := float32(maxNorm / (n + 1e-6))
		for _, p := range params {
			for j := range p.Grad {
				p.Grad[j] *= c
			}
		}
	}
	return n
}
