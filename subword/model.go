package subword

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
)

// Method is the training method a fastText model records.
type Method int32

// The methods, numbered as in fastText's files.
const (
	CBOW       Method = 1
	SkipGram   Method = 2
	Supervised Method = 3
)

// Loss is the output layer a fastText model records.
type Loss int32

// The losses, numbered as in fastText's files.
const (
	HierarchicalSoftmax Loss = 1
	NegativeSampling    Loss = 2
	Softmax             Loss = 3
	OneVsAll            Loss = 4
)

// Args are the settings a fastText model file records, named as in
// word2vec.Config where the two share a meaning. Only Dim, MinN, MaxN and
// Bucket change what the vectors are; the others describe how the model
// was trained. In New, a zero Method, Loss, WordNgrams, LRUpdateRate or
// Sample takes fastText's default (SkipGram, NegativeSampling, 1, 100,
// 1e-4), as fastText refuses a file without them.
type Args struct {
	Dim          int     // vector length (fastText's -dim)
	Window       int     // -ws
	Epochs       int     // -epoch
	MinCount     int     // -minCount
	Negative     int     // -neg
	WordNgrams   int     // -wordNgrams: word n-grams of supervised models
	Loss         Loss    // -loss
	Method       Method  // skipgram, cbow or supervised
	Bucket       int     // -bucket: rows shared by the hashed n-grams; 0 with MaxN 0 for none
	MinN, MaxN   int     // -minn, -maxn: n-gram lengths in characters; MaxN 0 for none
	LRUpdateRate int     // -lrUpdateRate
	Sample       float64 // -t: the subsampling threshold
}

// Subwords reports whether words have n-gram rows: MaxN ≥ MinN and
// MaxN > 0 (Bucket is then positive; New and Read check it).
func (a Args) Subwords() bool { return a.MaxN > 0 && a.MaxN >= a.MinN }

// Model is a fastText model: the vocabulary, the input matrix (a row per
// word, then Bucket rows shared by the hashed character n-grams) and the
// output matrix. A word's vector is the mean of its own row and its
// n-grams' rows; a word outside the vocabulary gets the mean of its
// n-grams' rows.
//
// A Model is immutable and safe for concurrent use.
type Model struct {
	args        Args
	vocab       *embed.Vocab
	labels      []string // supervised models' labels, after the words in the file
	labelCounts []int64
	ntokens     int64
	in, out     []float32

	embOnce sync.Once
	emb     *embed.Embeddings
	embErr  error
}

// New returns a model of vocab (whose counts, if any, are recorded in the
// file) with the given settings, input matrix ((vocab.Len()+args.Bucket)
// × args.Dim values, row-major: the words' rows, then the buckets') and
// output matrix (any number of rows of args.Dim values: the output
// weights of negative sampling or of hierarchical softmax's inner nodes;
// fastText needs one row per word for skip-gram and CBOW). ntokens is the
// number of corpus tokens the model was trained on. New keeps the slices;
// the caller must not modify them afterwards.
func New(vocab *embed.Vocab, args Args, input, output []float32, ntokens int64) (*Model, error) {
	if vocab == nil {
		return nil, errors.New("subword: nil vocabulary")
	}
	args = args.withDefaults()
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("subword: %w", err)
	}
	if want := (vocab.Len() + args.Bucket) * args.Dim; len(input) != want {
		return nil, fmt.Errorf("subword: input matrix has %d values, want (%d words + %d buckets) × %d = %d",
			len(input), vocab.Len(), args.Bucket, args.Dim, want)
	}
	if len(output)%args.Dim != 0 {
		return nil, fmt.Errorf("subword: output matrix has %d values, not a multiple of the dimension %d", len(output), args.Dim)
	}
	for name, data := range map[string][]float32{"input": input, "output": output} {
		if i := firstNonFinite(data); i >= 0 {
			return nil, fmt.Errorf("subword: %s matrix row %d: %v: %w", name, i/args.Dim, data[i], embed.ErrNotFinite)
		}
	}
	if ntokens < 0 {
		return nil, fmt.Errorf("subword: negative token count %d", ntokens)
	}
	return &Model{args: args, vocab: vocab, ntokens: ntokens, in: input, out: output}, nil
}

func (a Args) withDefaults() Args {
	if a.Method == 0 {
		a.Method = SkipGram
	}
	if a.Loss == 0 {
		a.Loss = NegativeSampling
	}
	if a.WordNgrams == 0 {
		a.WordNgrams = 1
	}
	if a.LRUpdateRate == 0 {
		a.LRUpdateRate = 100
	}
	if a.Sample == 0 {
		a.Sample = 1e-4
	}
	return a
}

// check reports settings no model can have: fastText itself would divide
// by a zero bucket count, or index outside the matrix.
func (a Args) check() error {
	switch {
	case a.Dim <= 0 || a.Dim > 1<<16:
		return fmt.Errorf("dimension %d: must be in 1..%d", a.Dim, 1<<16)
	case a.Bucket < 0 || a.Bucket > math.MaxInt32:
		return fmt.Errorf("bucket %d: must be in 0..%d", a.Bucket, math.MaxInt32)
	case a.Subwords() && a.Bucket == 0:
		return fmt.Errorf("n-grams of %d..%d characters with bucket 0: n-grams need buckets", a.MinN, a.MaxN)
	case a.Method < CBOW || a.Method > Supervised:
		return fmt.Errorf("unknown model type %d", a.Method)
	case a.Loss < HierarchicalSoftmax || a.Loss > OneVsAll:
		return fmt.Errorf("unknown loss %d", a.Loss)
	}
	return nil
}

func firstNonFinite(data []float32) int {
	for i, v := range data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return i
		}
	}
	return -1
}

// Args returns the model's settings.
func (m *Model) Args() Args { return m.args }

// Dim returns the vector length.
func (m *Model) Dim() int { return m.args.Dim }

// Vocab returns the vocabulary (words only, not a supervised model's
// labels), with counts, in the file's order.
func (m *Model) Vocab() *embed.Vocab { return m.vocab }

// Known reports whether word is in the vocabulary, so that its vector
// includes a row of its own rather than n-grams only.
func (m *Model) Known(word string) bool {
	_, ok := m.vocab.Index(word)
	return ok
}

// AppendRows appends to dst the rows of the input matrix whose mean is
// word's vector, in fastText's order: the word's own row if it is in the
// vocabulary, then its n-grams' rows. A word without n-grams (EOS, a
// model without subwords, a word too short) that is not in the
// vocabulary has none.
func (m *Model) AppendRows(dst []int32, word string) []int32 {
	if i, ok := m.vocab.Index(word); ok {
		dst = append(dst, int32(i))
	}
	if !m.args.Subwords() {
		return dst
	}
	start := len(dst)
	dst = AppendBuckets(dst, word, m.args.MinN, m.args.MaxN, m.args.Bucket)
	for k := start; k < len(dst); k++ {
		dst[k] += int32(m.vocab.Len())
	}
	return dst
}

// Vector returns the vector of word in a new slice: the mean of its rows
// (see AppendRows), computed as fastText computes it, so that the two
// agree to the last bit or nearly. A word with no rows at all gives an
// error matching embed.ErrUnknownWord (fastText prints zeros for it).
func (m *Model) Vector(word string) ([]float32, error) {
	v := make([]float32, m.args.Dim)
	if err := m.VectorTo(v, word); err != nil {
		return nil, err
	}
	return v, nil
}

// VectorTo writes the vector of word into dst, which must have length
// Dim, as Vector does. On error dst holds zeros.
func (m *Model) VectorTo(dst []float32, word string) error {
	var buf [64]int32
	if !m.mean(dst, m.AppendRows(buf[:0], word)) {
		return &embed.UnknownWordError{Word: word}
	}
	return nil
}

// mean sets dst to the mean of the given input rows: their sum in
// float32, in order, times the float32 of 1/n, as fastText does. It
// reports false, leaving zeros, when there are no rows.
func (m *Model) mean(dst []float32, rows []int32) bool {
	d := m.args.Dim
	dst = dst[:d]
	clear(dst)
	for _, r := range rows {
		f32.Axpy(1, m.in[int(r)*d:int(r)*d+d], dst) // one rounding per add, like fastText's loop
	}
	if len(rows) == 0 {
		return false
	}
	f32.Scale(float32(1/float64(len(rows))), dst)
	return true
}

// Embeddings returns the vectors of the vocabulary's words (the mean of
// each word's row and its n-grams' rows, as fastText's .vec files hold
// them) as embeddings, so that every query, analogy and bias measure
// works on them. They are computed once, on first use, and shared by
// every caller. The error, matching embed.ErrNotFinite, comes only from
// rows so large that their sum overflows.
func (m *Model) Embeddings() (*embed.Embeddings, error) {
	m.embOnce.Do(func() {
		n, d := m.vocab.Len(), m.args.Dim
		data := make([]float32, n*d)
		workers := min(runtime.GOMAXPROCS(0), max(1, n/1024))
		step := (n + workers - 1) / workers
		var wg sync.WaitGroup
		for lo := 0; lo < n; lo += step {
			wg.Go(func() {
				var rows []int32
				for i := lo; i < min(lo+step, n); i++ {
					rows = m.AppendRows(rows[:0], m.vocab.Word(i))
					m.mean(data[i*d:(i+1)*d], rows)
				}
			})
		}
		wg.Wait()
		m.emb, m.embErr = embed.New(m.vocab, d, data)
		if m.embErr != nil {
			m.embErr = fmt.Errorf("subword: %w", m.embErr)
		}
	})
	return m.emb, m.embErr
}

// MostSimilar returns the k vocabulary words closest to the mean of the
// unit vectors of positive minus those of negative, best first, as
// embed.Embeddings.MostSimilar does, but any word may be outside the
// vocabulary: its vector is built from its n-grams (use Known to tell
// which). The query words themselves are never returned. This is
// gensim's most_similar on fastText vectors.
func (m *Model) MostSimilar(positive, negative []string, k int, opts embed.QueryOptions) ([]embed.Neighbor, error) {
	e, err := m.Embeddings()
	if err != nil {
		return nil, err
	}
	all := slices.Concat(positive, negative)
	if len(all) == 0 {
		return nil, fmt.Errorf("subword: most similar: %w", embed.ErrEmptyQuery)
	}
	if !slices.ContainsFunc(all, func(w string) bool { return !m.Known(w) }) {
		return e.MostSimilar(positive, negative, k, opts)
	}
	q := make([]float32, m.args.Dim)
	v := make([]float32, m.args.Dim)
	for i, w := range all {
		if err := m.VectorTo(v, w); err != nil {
			return nil, err
		}
		if n := f32.Norm(v); n > 0 {
			weight := float32(1 / n)
			if i >= len(positive) {
				weight = -weight
			}
			f32.Axpy(weight, v, q)
		}
	}
	opts.Exclude = append(slices.Clip(opts.Exclude), all...)
	return e.MostSimilarToVector(q, k, opts)
}
