package inspect

import (
	"context"
	"fmt"
	"math"

	"github.com/wordspace/wordspace/transformer"
)

// decodeScores decodes the hidden states (one row per position) through
// the model's final LayerNorm and output layer and returns, per position,
// the cross-entropy of the target (nats) and whether the target is the
// top-scoring token. Positions with a negative target get loss 0 and are
// not correct.
func decodeScores(m *transformer.Model, states [][]float32, tgt []int32) (loss []float64, correct []bool) {
	V := len(m.Tokens())
	x := make([]float32, 0, len(states)*len(states[0]))
	for _, h := range states {
		x = append(x, h...)
	}
	logits := make([]float32, len(states)*V)
	m.Decode(logits, x)
	loss = make([]float64, len(states))
	correct = make([]bool, len(states))
	for p, t := range tgt {
		if t < 0 {
			continue
		}
		row := logits[p*V : (p+1)*V]
		best, mx := 0, row[0]
		for v, z := range row {
			if z > mx {
				best, mx = v, z
			}
		}
		var s float64
		for _, z := range row {
			s += math.Exp(float64(z - mx))
		}
		loss[p] = float64(mx-row[t]) + math.Log(s)
		correct[p] = best == int(t)
	}
	return loss, correct
}

// positionLoss is decodeScores' loss alone.
func positionLoss(m *transformer.Model, states [][]float32, tgt []int32) []float64 {
	loss, _ := decodeScores(m, states, tgt)
	return loss
}

// LensLayer is how well the residual stream after one block predicts the
// next word when decoded directly.
type LensLayer struct {
	// Layer is 0 for the input (token + position embedding) and l for
	// the residual stream after block l.
	Layer int
	// Accuracy is the share of positions whose top-scoring token is the
	// next word; Loss the mean cross-entropy in nats; Perplexity exp(Loss).
	Accuracy, Loss, Perplexity float64
}

// LensReport is the outcome of Lens.
type LensReport struct {
	Layers []LensLayer
	// Predictions counts the positions scored: every position of every
	// text whose next token is known (<bos> is never a target).
	Predictions int
}

// LensOptions configures Lens. The zero value is usable.
type LensOptions struct {
	// Threads is the number of goroutines (0: GOMAXPROCS).
	Threads int
}

// Lens scores the logit lens on texts: at every layer l = 0..Layers the
// residual stream is decoded as if it were the last (transformer.Model's
// Decode: final LayerNorm, then the output embedding) and its prediction
// of the next token is scored. The last layer is the model's own
// prediction, so its loss is the model's held-out loss on these texts.
func Lens(ctx context.Context, m *transformer.Model, texts []Text, opt LensOptions) (*LensReport, error) {
	L := m.Config().Layers
	type sums struct {
		loss    []float64
		correct []int
		n       int
	}
	total := sums{loss: make([]float64, L+1), correct: make([]int, L+1)}
	err := mapOrdered(ctx, len(texts), opt.Threads, func(i int) (sums, error) {
		s := sums{loss: make([]float64, L+1), correct: make([]int, L+1)}
		r, err := m.Contextualize(texts[i].Words, transformer.ContextOptions{})
		if err != nil {
			return s, err
		}
		tgt := targets(m, texts[i])
		for _, t := range tgt {
			if t >= 0 {
				s.n++
			}
		}
		for l := 0; l <= L; l++ {
			loss, ok := decodeScores(m, r.Layers[l], tgt)
			for p, t := range tgt {
				if t >= 0 {
					s.loss[l] += loss[p]
					if ok[p] {
						s.correct[l]++
					}
				}
			}
		}
		return s, nil
	}, func(_ int, s sums) {
		for l := range s.loss {
			total.loss[l] += s.loss[l]
			total.correct[l] += s.correct[l]
		}
		total.n += s.n
	})
	if err != nil {
		return nil, err
	}
	if total.n == 0 {
		return nil, fmt.Errorf("inspect: logit lens: no next token to predict: %w", ErrNoText)
	}
	rep := &LensReport{Predictions: total.n}
	for l := 0; l <= L; l++ {
		loss := total.loss[l] / float64(total.n)
		rep.Layers = append(rep.Layers, LensLayer{Layer: l, Accuracy: float64(total.correct[l]) / float64(total.n),
			Loss: loss, Perplexity: math.Exp(loss)})
	}
	return rep, nil
}
