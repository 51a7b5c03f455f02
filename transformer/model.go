package transformer

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/gemm"
)

// The special tokens every model has, at these ids, before the words.
const (
	Unk = "<unk>" // a word the model does not know
	Bos = "<bos>" // the start of a sentence
	Eos = "<eos>" // the end of a sentence

	UnkID = 0
	BosID = 1
	EosID = 2

	numSpecial = 3
)

// Param is one named weight tensor, stored row-major. Matrices are stored
// (in, out) and applied as x @ W, as in PyTorch's state_dict of
// ../shared/bench/torch_ref.py, whose names they carry.
type Param struct {
	Name  string
	Shape []int
	Data  []float32
	Grad  []float32 // same shape as Data; nil until the model is trained

	decay bool // weight decay applies (matrices, not biases or gains)
}

// Len returns the number of elements.
func (p *Param) Len() int { return len(p.Data) }

type block struct {
	ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, w1, b1, w2, b2 *Param
}

// Model is a causal transformer language model over a word vocabulary.
// Its methods are safe for concurrent use by readers (Contextualize,
// Similarity, Tokens) as long as nobody trains or loads into it at the
// same time.
type Model struct {
	cfg    Config
	tokens []string
	index  map[string]int32

	params []*Param
	byName map[string]*Param

	tok    *Param    // (V, d); nil when the embedding is factorised
	static *Param    // (V, k) static vectors, when k != d
	proj   *Param    // (k, d) learned projection, when k != d
	pos    *Param    // (Context, d); nil with sinusoidal positions
	sinus  []float32 // (Context, d) fixed positions, with sinusoidal positions
	blocks []block
	lnfG   *Param
	lnfB   *Param
	head   *Param // (d, V) when untied

	// tokBuf holds static @ proj for a factorised embedding; tokFresh
	// says whether it matches the current weights. tokMu lets concurrent
	// readers share the lazy recomputation.
	tokMu    sync.Mutex
	tokBuf   []float32
	tokFresh bool
}

// ErrDim is returned when static vectors cannot initialise a model.
var ErrDim = errors.New("vector dimension mismatch")

// New returns a model over words (plus the special tokens) with random
// weights drawn from cfg.Seed. If cfg.Vocab is positive, only the first
// cfg.Vocab words are kept.
func New(cfg Config, words []string) (*Model, error) {
	return newModel(cfg, words, 0)
}

// FromEmbeddings returns a model whose vocabulary is the first cfg.Vocab
// words of e (all of them if cfg.Vocab is 0; word2vec stores the most
// frequent first) and whose token embedding starts from e's vectors,
// rescaled so their elements have standard deviation cfg.EmbedStd. When the
// vectors' dimension differs from cfg.DModel the embedding is factorised as
// the static vectors (trainable) times a learned projection to DModel. The
// special tokens start from small random vectors.
func FromEmbeddings(cfg Config, e *embed.Embeddings) (*Model, error) {
	cfg = cfg.withDefaults()
	if e == nil || e.Len() == 0 {
		return nil, fmt.Errorf("transformer: no word vectors: %w", ErrDim)
	}
	words := e.Vocab().Words()
	if cfg.Vocab > 0 && cfg.Vocab < len(words) {
		words = words[:cfg.Vocab]
	}
	k := e.Dim()
	factor := 0
	if k != cfg.DModel {
		if k > maxDim {
			return nil, fmt.Errorf("transformer: vectors of dimension %d: %w", k, ErrDim)
		}
		factor = k
	}
	m, err := newModel(cfg, words, factor)
	if err != nil {
		return nil, err
	}
	// Rescale to the requested element standard deviation.
	var ss float64
	n := len(words) * k
	for _, v := range e.Data()[:n] {
		ss += float64(v) * float64(v)
	}
	scale := float32(0)
	if ss > 0 {
		scale = float32(float64(m.cfg.EmbedStd) / math.Sqrt(ss/float64(n)))
	}
	dst := m.tokTableParam()
	for i := range words {
		row := dst.Data[(numSpecial+i)*k : (numSpecial+i+1)*k]
		for j, v := range e.Row(i) {
			row[j] = v * scale
		}
	}
	// The special tokens start at the same scale as the words.
	rng := m.rng(7)
	for i := range numSpecial * k {
		dst.Data[i] = float32(rng.NormFloat64()) * m.cfg.EmbedStd
	}
	m.changed()
	return m, nil
}

func (m *Model) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(m.cfg.Seed, stream))
}

// newModel builds the tensors; factor > 0 makes a factorised embedding of
// inner dimension factor.
func newModel(cfg Config, words []string, factor int) (*Model, error) {
	if cfg.Vocab > 0 && cfg.Vocab < len(words) {
		words = words[:cfg.Vocab]
	}
	cfg.Vocab = len(words)
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("transformer: empty vocabulary: %w", ErrConfig)
	}
	m := &Model{cfg: cfg, index: make(map[string]int32, len(words)+numSpecial)}
	m.tokens = append([]string{Unk, Bos, Eos}, words...)
	for i, w := range m.tokens {
		if _, dup := m.index[w]; dup {
			return nil, fmt.Errorf("transformer: word %q appears twice in the vocabulary: %w", w, ErrConfig)
		}
		m.index[w] = int32(i)
	}
	V, d := len(m.tokens), cfg.DModel
	if factor > 0 {
		m.static = m.add("tok_static", true, V, factor)
		m.proj = m.add("tok_proj", true, factor, d)
		m.tokBuf = make([]float32, V*d)
	} else {
		m.tok = m.add("tok_emb", true, V, d)
	}
	if cfg.SinusoidalPositions {
		m.sinus = sinusoids(cfg.Context, d)
	} else {
		m.pos = m.add("pos_emb", true, cfg.Context, d)
	}
	for i := range cfg.Layers {
		p := func(name string, decay bool, shape ...int) *Param {
			return m.add(fmt.Sprintf("blocks.%d.%s", i, name), decay, shape...)
		}
		var b block
		b.ln1g, b.ln1b = p("ln1.g", false, d), p("ln1.b", false, d)
		b.wq, b.bq = p("attn.wq", true, d, d), p("attn.bq", false, d)
		b.wk, b.bk = p("attn.wk", true, d, d), p("attn.bk", false, d)
		b.wv, b.bv = p("attn.wv", true, d, d), p("attn.bv", false, d)
		b.wo, b.bo = p("attn.wo", true, d, d), p("attn.bo", false, d)
		b.ln2g, b.ln2b = p("ln2.g", false, d), p("ln2.b", false, d)
		b.w1, b.b1 = p("ffn.w1", true, d, cfg.DFF), p("ffn.b1", false, cfg.DFF)
		b.w2, b.b2 = p("ffn.w2", true, cfg.DFF, d), p("ffn.b2", false, d)
		m.blocks = append(m.blocks, b)
	}
	m.lnfG, m.lnfB = m.add("ln_f.g", false, d), m.add("ln_f.b", false, d)
	if cfg.Untied {
		m.head = m.add("head.w", true, d, V)
	}
	m.initRandom()
	return m, nil
}

// positions returns the Context×d table added to the token vectors.
func (m *Model) positions() []float32 {
	if m.pos == nil {
		return m.sinus
	}
	return m.pos.Data
}

func (m *Model) add(name string, decay bool, shape ...int) *Param {
	n := 1
	for _, s := range shape {
		n *= s
	}
	p := &Param{Name: name, Shape: shape, Data: make([]float32, n), decay: decay}
	m.params = append(m.params, p)
	if m.byName == nil {
		m.byName = make(map[string]*Param)
	}
	m.byName[name] = p
	return p
}

// initRandom draws every weight as torch_ref.py does: matrices and
// embeddings N(0, InitStd), gains 1, biases 0. The projection of a
// factorised embedding is N(0, 1/k) so that it keeps the vectors' scale.
func (m *Model) initRandom() {
	rng := m.rng(1)
	for _, p := range m.params {
		switch {
		case p == m.proj:
			s := 1 / math.Sqrt(float64(p.Shape[0]))
			for i := range p.Data {
				p.Data[i] = float32(rng.NormFloat64() * s)
			}
		case len(p.Shape) == 2:
			for i := range p.Data {
				p.Data[i] = float32(rng.NormFloat64()) * m.cfg.InitStd
			}
		case isGain(p.Name):
			for i := range p.Data {
				p.Data[i] = 1
			}
		}
	}
	m.tokFresh = false
}

func isGain(name string) bool { return len(name) > 2 && name[len(name)-2:] == ".g" }

// tokTableParam is the parameter holding the per-token vectors: tok_emb,
// or the static table of a factorised embedding.
func (m *Model) tokTableParam() *Param {
	if m.tok != nil {
		return m.tok
	}
	return m.static
}

// tokTable returns the (V, d) token embedding, computing static @ proj
// for a factorised embedding when the weights changed.
func (m *Model) tokTable() []float32 {
	if m.tok != nil {
		return m.tok.Data
	}
	m.tokMu.Lock()
	defer m.tokMu.Unlock()
	if !m.tokFresh {
		V, k, d := len(m.tokens), m.proj.Shape[0], m.cfg.DModel
		gemm.Sgemm(false, false, V, d, k, 1, m.static.Data, k, m.proj.Data, d, 0, m.tokBuf, d)
		m.tokFresh = true
	}
	return m.tokBuf
}

// Config returns the model's configuration (Vocab counts words, not the
// special tokens).
func (m *Model) Config() Config { return m.cfg }

// Tokens returns the vocabulary: the special tokens, then the words.
// The slice is shared; do not modify it.
func (m *Model) Tokens() []string { return m.tokens }

// TokenID returns the id of word, or UnkID and false if the model does not
// know it.
func (m *Model) TokenID(word string) (int32, bool) {
	id, ok := m.index[word]
	if !ok {
		return UnkID, false
	}
	return id, true
}

// Params returns the weight tensors in a fixed order. They are shared:
// writing to them changes the model.
func (m *Model) Params() []*Param { return m.params }

// Param returns the tensor called name, or nil.
func (m *Model) Param(name string) *Param { return m.byName[name] }

// NumParams returns the number of weights.
func (m *Model) NumParams() int {
	n := 0
	for _, p := range m.params {
		n += len(p.Data)
	}
	return n
}

// changed must be called after weights were written directly, so that a
// factorised embedding is recomputed.
func (m *Model) changed() { m.tokFresh = false }

func (m *Model) ensureGrads() {
	for _, p := range m.params {
		if p.Grad == nil {
			p.Grad = make([]float32, len(p.Data))
		}
	}
}

// Embedding returns a copy of the token embedding (the special tokens
// included) as static word vectors: the vocabulary the model's hidden
// states can be compared with, and which a trained model refines.
func (m *Model) Embedding() (*embed.Embeddings, error) {
	v, err := embed.NewVocab(m.tokens, nil)
	if err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	}
	return embed.New(v, m.cfg.DModel, append([]float32(nil), m.tokTable()...))
}
