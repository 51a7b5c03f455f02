package transformer

import (
	"errors"
	"fmt"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/gemm"
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
	// Neurons[l][p] holds the DFF activations of block l's feed-forward
	// hidden layer (after GELU) at position p: how strongly each neuron
	// fires there. Present only with ContextOptions.Neurons.
	Neurons [][][]float32
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
	// Neurons also returns every block's feed-forward activations
	// (Representation.Neurons).
	Neurons bool
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
	split := func(x []float32) [][]float32 {
		d := len(x) / T
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
	if opts.Neurons {
		for l := range ws.L {
			r.Neurons = append(r.Neurons, split(ws.act[l]))
		}
	}
	return r, nil
}

// Decode writes into dst the next-word logits the model's output layer
// gives for hidden states x of the residual stream: each row of DModel
// values goes through the final LayerNorm and then the output projection
// (the token embedding, or the head of an untied model), giving one row of
// len(Tokens()) logits. Applied to the residual stream after an earlier
// block (Representation.Layers[l], l ≤ Layers) it is the "logit lens"
// (nostalgebraist 2020): what the model would predict if it stopped there.
// Decode of Layers[Layers] gives the model's own logits. len(x) must be a
// multiple of DModel and dst must hold the rows' logits (Decode panics
// otherwise, as a slice index out of range would); it allocates scratch
// for the normalised rows.
func (m *Model) Decode(dst, x []float32) {
	d, V := m.cfg.DModel, len(m.tokens)
	rows := len(x) / d
	if rows*d != len(x) || len(dst) < rows*V {
		panic("transformer: Decode: x is not whole rows or dst is too short")
	}
	if rows == 0 {
		return
	}
	h := make([]float32, rows*d)
	mean, rstd := make([]float32, rows), make([]float32, rows)
	layerNorm(h, x, m.lnfG.Data, m.lnfB.Data, mean, rstd, rows, d, m.cfg.LayerNormEps)
	if m.head == nil {
		gemm.Sgemm(false, true, rows, V, d, 1, h, d, m.tokTable(), d, 0, dst, V)
	} else {
		gemm.Sgemm(false, false, rows, V, d, 1, h, d, m.head.Data, V, 0, dst, V)
	}
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
