package transformer

import (
	"context"
	"fmt"
	"math"

	"github.com/wordspace/wordspace/corpus"
)

// Data is a corpus turned into token ids for one model: each sentence
// becomes <bos> w1 … wn <eos>, and the sentences are split between a
// training stream and a held-out stream.
type Data struct {
	Train, HeldOut []int32
	// Words counts the corpus tokens read; Unknown how many of them the
	// model did not know (they became <unk>).
	Words, Unknown int64
}

// Encode reads src once and encodes it for m, holding out the fraction
// heldOut of the sentences, spread evenly through the corpus (sentence i
// is held out when ⌊(i+1)·f⌋ > ⌊i·f⌋), so that the held-out text samples
// every part of a corpus made of different sources.
func Encode(ctx context.Context, m *Model, src corpus.Source, heldOut float64) (*Data, error) {
	if !(heldOut >= 0 && heldOut < 1) {
		return nil, fmt.Errorf("transformer: held-out fraction %v out of range [0, 1)", heldOut)
	}
	d := &Data{}
	i := 0
	err := src.Sentences(ctx, func(tokens []string) error {
		dst := &d.Train
		if math.Floor(float64(i+1)*heldOut) > math.Floor(float64(i)*heldOut) {
			dst = &d.HeldOut
		}
		i++
		*dst = append(*dst, BosID)
		for _, w := range tokens {
			id, ok := m.index[w]
			if !ok {
				id = UnkID
				d.Unknown++
			}
			*dst = append(*dst, id)
		}
		*dst = append(*dst, EosID)
		d.Words += int64(len(tokens))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// heldOutWindows returns how many T-token windows evaluate a held-out
// stream of n tokens: windows start at 0, T, 2T, … and each predicts its
// next T tokens, so every token after the first is predicted once, except
// <bos> (which always follows <eos>). maxTokens > 0 caps the windows at
// about that many tokens, but never below one window.
func heldOutWindows(n, T, maxTokens int) int {
	w := (n - 1) / T
	if maxTokens > 0 {
		w = min(w, max(1, maxTokens/T))
	}
	return w
}

// Baselines returns the held-out perplexities of a unigram model
// (add-one smoothed) and an interpolated Witten–Bell bigram model, both
// estimated on d.Train, over exactly the targets the transformer's
// held-out evaluation scores (the first maxTokens predicted tokens of
// d.HeldOut in windows of the model's context, <bos> excluded; 0 for all).
func Baselines(d *Data, vocab, context, maxTokens int) (unigram, bigram float64) {
	uni := make([]float64, vocab)
	follow := make(map[int64]float64)
	types := make([]float64, vocab) // distinct followers of each token
	count := make([]float64, vocab) // times each token is followed
	var total float64
	for i, id := range d.Train {
		if id == BosID {
			continue
		}
		uni[id]++
		total++
		prev := d.Train[i-1]
		key := int64(prev)<<32 | int64(id)
		if follow[key] == 0 {
			types[prev]++
		}
		follow[key]++
		count[prev]++
	}
	puni := func(id int32) float64 { return (uni[id] + 1) / (total + float64(vocab)) }
	var lu, lb float64
	n := 0
	T := context
	w := heldOutWindows(len(d.HeldOut), T, maxTokens)
	for s := 0; s < w*T; s++ {
		id, prev := d.HeldOut[s+1], d.HeldOut[s]
		if id == BosID {
			continue
		}
		pu := puni(id)
		pb := pu
		if c := count[prev]; c > 0 {
			lam := c / (c + types[prev])
			pb = lam*follow[int64(prev)<<32|int64(id)]/c + (1-lam)*pu
		}
		lu -= math.Log(pu)
		lb -= math.Log(pb)
		n++
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	return math.Exp(lu / float64(n)), math.Exp(lb / float64(n))
}
