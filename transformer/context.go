package transformer

import (
	"errors"
	"fmt"

	"github.com/wordspace/wordspace/embed"
)

// ErrContextTooLong is returned when a text has more tokens than the
// model's context.
var ErrContextTooLong = errors.New("text longer than the model's context")

// ErrEmptyText is returned for a text without words.
var ErrEmptyText = errors.New("empty text")

// Representation is what a model makes of one text: for every position,
// the hidden state after every layer. Position 0 is the <bos> token the
// model reads before the first word, as in training; word i is at
// position i+1.
type Representation struct {
	// Tokens are the tokens read: <bos>, then each word or <unk>.
	Tokens []string
	// Words are the words given.
	Words []string
	// Unknown counts the words the model does not know (read as <unk>).
	Unknown int
	// Layers[l][p] is the hidden state (DModel values) of position p after
	// layer l: l = 0 is the input embedding (token + position), l = 1..L
	// the residual stream after each block, and l = L+1 the final
	// LayerNorm, whose dot products with the token embedding are the
	// next-word logits.
	Layers [][][]float32
	// Attention[l][h][p][q] is how much position p attends to position q
	// (q ≤ p) in head h of block l; present only with
	// ContextOptions.Attention.
	Attention [][][][]float32
}

// Hidden returns the hidden state of word i (0-based, <bos> not counted)
// at layer l; negative l counts from the top (-1: the final LayerNorm).
func (r *Representation) Hidden(l, i int) []float32 {
	if l < 0 {
		l += len(r.Layers)
	}
	return r.Layers[l][i+1]
}

// ContextOptions controls what Contextualize returns. The zero value
// returns the hidden states only.
type ContextOptions struct {
	// Attention also returns every head's attention weights.
	Attention bool
}

// Contextualize runs the model on words (after <bos>) and returns every
// layer's hidden state at every position. Words the model does not know
// are read as <unk> and counted. More words than Context-1 is an error
// (ErrContextTooLong).
func (m *Model) Contextualize(words []string, opts ContextOptions) (*Representation, error) {
	if len(words) == 0 {
		return nil, fmt.Errorf("transformer: %w", ErrEmptyText)
	}
	T := len(words) + 1
	if T > m.cfg.Context {
		return nil, fmt.Errorf("transformer: %d words plus <bos> but the context holds %d tokens: %w", len(words), m.cfg.Context, ErrContextTooLong)
	}
	r := &Representation{Words: words, Tokens: make([]string, T)}
	ws := newWorkspace(m, 1, T, 1, false)
	defer ws.close()
	ws.ids[0] = BosID
	r.Tokens[0] = Bos
	for i, w := range words {
		id, ok := m.TokenID(w)
		if !ok {
			r.Unknown++
		}
		ws.ids[i+1] = id
		r.Tokens[i+1] = m.tokens[id]
	}
	ws.forward(false)
	d := m.cfg.DModel
	split := func(x []float32) [][]float32 {
		out := make([][]float32, T)
		for p := range out {
			out[p] = append([]float32(nil), x[p*d:(p+1)*d]...)
		}
		return out
	}
	for l := 0; l <= ws.L; l++ {
		r.Layers = append(r.Layers, split(ws.x[l]))
	}
	r.Layers = append(r.Layers, split(ws.hf))
	if opts.Attention {
		for l := range ws.L {
			heads := make([][][]float32, ws.H)
			for h := range heads {
				heads[h] = make([][]float32, T)
				for p := range T {
					heads[h][p] = append([]float32(nil), ws.p[l][h*T*T+p*T:h*T*T+p*T+T]...)
				}
			}
			r.Attention = append(r.Attention, heads)
		}
	}
	return r, nil
}

// Similarity returns the cosine of the hidden states, at layer l
// (negative: from the top, -1 the final LayerNorm), of word i of text a
// and word j of text b — e.g. "bank" in two sentences. Static word
// vectors would give 1 for the same word in any contexts.
func (m *Model) Similarity(a []string, i int, b []string, j int, l int) (float64, error) {
	if i < 0 || i >= len(a) || j < 0 || j >= len(b) {
		return 0, fmt.Errorf("transformer: word index out of range")
	}
	layers := m.cfg.Layers + 2
	if l < -layers || l >= layers {
		return 0, fmt.Errorf("transformer: layer %d out of range [%d, %d)", l, -layers, layers)
	}
	ra, err := m.Contextualize(a, ContextOptions{})
	if err != nil {
		return 0, err
	}
	rb, err := m.Contextualize(b, ContextOptions{})
	if err != nil {
		return 0, err
	}
	return embed.Cosine(ra.Hidden(l, i), rb.Hidden(l, j)), nil
}
