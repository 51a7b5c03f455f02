package word2vec

import (
	"fmt"
	"math"
	"slices"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/subword"
)

// Model is a word2vec model in training or trained: the vocabulary, the
// input vectors (the word vectors users want), the output weights of
// negative sampling and hierarchical softmax, and how far training has
// come. Train returns it; SaveCheckpoint and LoadCheckpoint store and
// restore all of it, so that Resume can continue an interrupted run.
//
// A Model is not safe for concurrent use while it trains.
type Model struct {
	cfg   Config
	vocab *embed.Vocab
	in    []float32 // vocab × dim, the word vectors
	neg   []float32 // vocab × dim, negative-sampling output weights
	hs    []float32 // vocab × dim, hierarchical-softmax output weights (the C tool's size)
	state trainState
	// corpus is the fingerprint of the training corpus, kept in
	// checkpoints (see SetCorpusFingerprint).
	corpus string
}

// trainState is the position of training, enough to continue it exactly.
type trainState struct {
	Epoch     int      `json:"epoch"`     // epochs completed
	Sentences int64    `json:"sentences"` // sentences of the current epoch already trained on
	Words     int64    `json:"words"`     // words processed over all epochs
	Tokens    int64    `json:"tokens"`    // corpus tokens read over all epochs
	Alpha     float64  `json:"alpha"`     // learning rate reached
	Loss      float64  `json:"loss"`      // loss of the current epoch so far
	Examples  int64    `json:"examples"`  // examples behind Loss
	RNG       []uint64 `json:"rng"`       // state of each training goroutine's generator
}

// newModel allocates the weights for vocab and initialises the input
// rows (n-gram rows included) uniformly in ±InitRange/dim, the output
// weights at zero.
func newModel(cfg Config, vocab *embed.Vocab) *Model {
	n, d := vocab.Len(), cfg.Dim
	m := &Model{cfg: cfg, vocab: vocab, in: make([]float32, (n+cfg.Bucket)*d)}
	r := splitmix(cfg.Seed)
	scale := float32(2 * cfg.InitRange / float64(d))
	for i := range m.in {
		m.in[i] = (float32(r.next()>>40)/(1<<24) - 0.5) * scale
	}
	if cfg.Negative > 0 {
		m.neg = make([]float32, n*d)
	}
	if cfg.HS {
		m.hs = make([]float32, n*d)
	}
	m.state.Alpha = cfg.Alpha
	return m
}

// Vocab returns the vocabulary, with counts, most frequent word first.
func (m *Model) Vocab() *embed.Vocab { return m.vocab }

// Dim returns the vector length.
func (m *Model) Dim() int { return m.cfg.Dim }

// Config returns the settings the model was trained with. Its Progress
// and Vocab fields are nil.
func (m *Model) Config() Config {
	c := m.cfg
	c.Progress, c.Vocab = nil, nil
	return c
}

// Done reports whether every epoch has been trained.
func (m *Model) Done() bool { return m.state.Epoch >= m.cfg.Epochs }

// Progress returns how far training has come.
func (m *Model) Progress() Progress {
	e := m.state.Epoch + 1
	if e > m.cfg.Epochs {
		e = m.cfg.Epochs
	}
	return Progress{
		Epoch:     e,
		Epochs:    m.cfg.Epochs,
		Done:      m.state.Words,
		Total:     m.totalWords(),
		Tokens:    m.state.Tokens,
		Alpha:     m.state.Alpha,
		Loss:      m.state.Loss,
		Examples:  m.state.Examples,
		EpochDone: m.state.Sentences == 0 && m.state.Epoch > 0,
	}
}

func (m *Model) totalWords() int64 {
	var t int64
	for _, c := range m.vocab.Counts() {
		t += c
	}
	return t * int64(m.cfg.Epochs)
}

// Embeddings returns a copy of the word vectors, ready for queries and
// saving (Embeddings.Save). Training the model further does not change it.
// With subwords (Config.MaxN > 0) a word's vector is the mean of its own
// row and its n-grams' rows, as in fastText's .vec files. If a vector is
// not finite (training diverged, which Train reports too), it returns an
// error matching embed.ErrNotFinite that names the word or n-gram bucket.
func (m *Model) Embeddings() (*embed.Embeddings, error) {
	if err := m.checkFinite(); err != nil {
		return nil, err
	}
	if m.cfg.subwords() {
		sm, err := m.SubwordModel()
		if err != nil {
			return nil, err
		}
		return sm.Embeddings()
	}
	return embed.New(m.vocab, m.cfg.Dim, slices.Clone(m.in))
}

// SubwordModel returns the model as a fastText model (package subword),
// for vectors of words outside the vocabulary (with Config.MaxN > 0) and
// for saving in fastText's .bin format, which fastText and gensim read.
// It shares the weights with m: training m further changes it. The
// output matrix is that of negative sampling, or of hierarchical softmax
// when negative sampling is off (fastText models have one loss). The
// error says which weight is not finite, if one is not.
func (m *Model) SubwordModel() (*subword.Model, error) {
	c := m.cfg
	args := subword.Args{
		Dim: c.Dim, Window: c.Window, Epochs: c.Epochs, MinCount: c.MinCount, Negative: c.negatives(),
		Loss: subword.NegativeSampling, Method: subword.SkipGram,
		MinN: c.MinN, MaxN: c.MaxN, Bucket: c.Bucket, Sample: max(c.Sample, 0),
	}
	if c.CBOW {
		args.Method = subword.CBOW
	}
	out := m.neg
	if out == nil {
		out, args.Loss = m.hs, subword.HierarchicalSoftmax
	}
	var tokens int64
	for _, n := range m.vocab.Counts() {
		tokens += n
	}
	sm, err := subword.New(m.vocab, args, m.in, out, tokens)
	if err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	return sm, nil
}

// checkFinite reports the first word whose vector is not finite, a sign
// that the learning rate is too large for the data.
func (m *Model) checkFinite() error {
	for i, v := range m.in {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("word2vec: training diverged: the vector of %q is %v (lower the learning rate): %w",
				m.rowName(i/m.cfg.Dim), v, embed.ErrNotFinite)
		}
	}
	return nil
}

// rowName names row i of the input matrix: a word, or an n-gram bucket.
func (m *Model) rowName(i int) string {
	if i < m.vocab.Len() {
		return m.vocab.Word(i)
	}
	return fmt.Sprintf("n-gram bucket %d", i-m.vocab.Len())
}

// splitmix is SplitMix64, used to seed and to initialise weights.
type splitmixState uint64

func splitmix(seed uint64) *splitmixState { s := splitmixState(seed); return &s }

func (s *splitmixState) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
