package inspect

import (
	"errors"

	"github.com/wordspace/wordspace/transformer"
)

// Text is a stretch of words a model reads after <bos>, and Next, the
// token that follows it in the source ("<eos>" at the end of a sentence,
// empty when unknown): the target of the prediction at the last word.
type Text struct {
	Words []string
	Next  string
}

// Sentences cuts an encoded token stream (such as transformer.Data's
// HeldOut: <bos> w1 … wn <eos> per sentence) into at most max texts of at
// least minWords words, one per sentence, in order. A sentence longer
// than the model's context minus one is cut to fit and its Next is the
// first word left out.
func Sentences(m *transformer.Model, stream []int32, max, minWords int) []Text {
	tokens := m.Tokens()
	limit := m.Config().Context - 1
	var out []Text
	for i := 0; i < len(stream) && len(out) < max; {
		if stream[i] != transformer.BosID {
			i++
			continue
		}
		j := i + 1
		for j < len(stream) && stream[j] != transformer.EosID && stream[j] != transformer.BosID {
			j++
		}
		words := stream[i+1 : j]
		next := ""
		if j < len(stream) {
			next = tokens[stream[j]]
		}
		if len(words) > limit {
			next = tokens[words[limit]]
			words = words[:limit]
		}
		if len(words) >= minWords {
			t := Text{Words: make([]string, len(words)), Next: next}
			for k, id := range words {
				t.Words[k] = tokens[id]
			}
			out = append(out, t)
		}
		i = j
	}
	return out
}

// targets returns the token ids a model predicts at each position of text
// (position p predicts word p+1; the last position predicts Next), with -1
// where there is nothing to score (no Next, or Next is <bos>).
func targets(m *transformer.Model, t Text) []int32 {
	out := make([]int32, len(t.Words)+1)
	for i, w := range t.Words {
		id, _ := m.TokenID(w)
		out[i] = id
	}
	out[len(t.Words)] = -1
	if t.Next != "" {
		if id, _ := m.TokenID(t.Next); id != transformer.BosID {
			out[len(t.Words)] = id
		}
	}
	return out
}

// ErrNoText is returned when the texts give nothing to measure.
var ErrNoText = errors.New("no text to measure")
