package ppmi

import (
	"context"
	"fmt"
	"math"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

// EmbedOptions says how singular vectors become word vectors.
type EmbedOptions struct {
	// Eig is the exponent p in U·Σ^p. 0 (U alone) and 0.5 work best for
	// similarity tasks in Levy et al. (2015); 1, the textbook choice, is
	// usually worst.
	Eig float64
	// AddContexts adds the context vectors V·Σ^p to the word vectors
	// (w + c). Each is scaled to unit length first, as in Levy et al.'s
	// hyperwords.
	AddContexts bool
}

// Embeddings turns the decomposition of a word × context matrix into word
// vectors for vocab, which names its rows (and, with AddContexts, its
// columns).
func (s *SVD) Embeddings(vocab *embed.Vocab, opts EmbedOptions) (*embed.Embeddings, error) {
	if math.IsNaN(opts.Eig) || math.IsInf(opts.Eig, 0) || opts.Eig < 0 || opts.Eig > 1 {
		return nil, fmt.Errorf("ppmi: eigenvalue weight %v out of range [0, 1]", opts.Eig)
	}
	m, k := s.U.Dims()
	n, _ := s.V.Dims()
	if vocab.Len() != m || (opts.AddContexts && vocab.Len() != n) {
		return nil, fmt.Errorf("ppmi: vocabulary of %d words for a %d×%d decomposition", vocab.Len(), m, n)
	}
	scale := make([]float64, k)
	for j, v := range s.Values {
		scale[j] = math.Pow(v, opts.Eig)
	}
	data := make([]float32, m*k)
	row := make([]float64, k)
	for i := range m {
		out := data[i*k : (i+1)*k]
		for j := range k {
			row[j] = s.U.At(i, j) * scale[j]
		}
		if !opts.AddContexts {
			for j, v := range row {
				out[j] = float32(v)
			}
			continue
		}
		nw := unitScale(row)
		for j, v := range row {
			out[j] = float32(v * nw)
		}
		for j := range k {
			row[j] = s.V.At(i, j) * scale[j]
		}
		nc := unitScale(row)
		for j, v := range row {
			out[j] += float32(v * nc)
		}
	}
	return embed.New(vocab, k, data)
}

// unitScale returns the factor that scales x to unit length, 0 for zero x.
func unitScale(x []float64) float64 {
	var ss float64
	for _, v := range x {
		ss += v * v
	}
	if ss == 0 {
		return 0
	}
	return 1 / math.Sqrt(ss)
}

// Stage names a step of Train for progress reports.
type Stage string

// The stages of Train, in order.
const (
	StageVocab Stage = "vocab"
	StageCount Stage = "count"
	StagePPMI  Stage = "ppmi"
	StageSVD   Stage = "svd"
)

// Progress is a progress report from Train, Count or TruncatedSVD: Done
// out of Total units of work in Stage (tokens while counting, sparse
// products in the SVD). Total is 0 when unknown.
type Progress struct {
	Stage       Stage
	Done, Total int64
}

// Options controls Train. The zero value gives a sensible model: 100
// dimensions, window 5, context smoothing 0.75, no shift, p = 0.
type Options struct {
	// MinCount drops words seen fewer times; 0 means 5.
	MinCount int
	// MaxVocab keeps at most this many of the most frequent words; 0 for
	// no limit.
	MaxVocab int
	Count    CountOptions
	PMI      PMIOptions
	SVD      SVDOptions
	Embed    EmbedOptions
	// Progress, if not nil, receives progress reports from every stage;
	// it replaces the Progress callbacks of Count and SVD.
	Progress func(Progress)
}

// Train builds PPMI-SVD word vectors from src: it builds the
// vocabulary, counts co-occurrences, weighs them by PPMI and factorises
// the result. Use Count, FromCounts, TruncatedSVD and SVD.Embeddings
// directly to keep or reuse the intermediate matrices.
func Train(ctx context.Context, src corpus.Source, opts Options) (*embed.Embeddings, error) {
	if opts.SVD.Dim < 0 {
		return nil, fmt.Errorf("ppmi: dimension %d is not positive", opts.SVD.Dim)
	}
	if opts.MinCount == 0 {
		opts.MinCount = 5
	}
	report := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	report(Progress{Stage: StageVocab})
	vocab, err := corpus.BuildVocab(ctx, src, corpus.VocabOptions{MinCount: opts.MinCount, MaxVocab: opts.MaxVocab})
	if err != nil {
		return nil, err
	}
	co := opts.Count
	co.Progress = report
	cooc, err := Count(ctx, src, vocab, co)
	if err != nil {
		return nil, err
	}
	report(Progress{Stage: StagePPMI})
	pmi, err := cooc.PPMI(opts.PMI)
	if err != nil {
		return nil, err
	}
	so := opts.SVD
	so.Progress = report
	svd, err := TruncatedSVD(ctx, pmi, so)
	if err != nil {
		return nil, err
	}
	return svd.Embeddings(vocab, opts.Embed)
}
