package explain

// This file is the only one that calls the trainers of package word2vec and
// package transformer, so that a change of their interfaces touches it
// alone.

import (
	"context"
	"fmt"
	"math"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/word2vec"
)

// heldOut is the share of sentences held out of the transformer's training.
const heldOut = 0.02

// trainVectors trains skip-gram vectors with the settings of the demo:
// 100 dimensions, window 5, 5 negatives, subsampling 1e-4, 5 epochs
// (Quick: 2), words seen at least 5 times.
func trainVectors(ctx context.Context, src corpus.Source, o Options, progress func(done, total int64, detail string)) (*embed.Embeddings, error) {
	cfg := word2vec.DefaultConfig()
	cfg.Sample = 1e-4
	cfg.Threads = o.Threads
	cfg.Seed = o.Seed
	if o.Quick {
		cfg.Epochs = 2
	}
	cfg.Progress = func(p word2vec.Progress) {
		progress(p.Done, p.Total, fmt.Sprintf("epoch %d/%d, %.0fk words/s", p.Epoch, p.Epochs, p.WordsPerSec/1e3))
	}
	m, err := word2vec.Train(ctx, src, cfg)
	if err != nil {
		return nil, err
	}
	return m.Embeddings()
}

// modelConfig is the transformer's shape: GPT-2's proportions (d_ff = 4·d),
// a context of 32 tokens.
func modelConfig(o Options, dModel, layers int) transformer.Config {
	return transformer.Config{Vocab: o.Vocab, DModel: dModel, Heads: o.Heads, Layers: layers, DFF: 4 * dModel,
		Context: 32, Seed: o.Seed}
}

// newContextModel builds the transformer of sections 4-8, its token
// embedding initialised from the static vectors.
func newContextModel(vectors *embed.Embeddings, o Options) (*transformer.Model, error) {
	return transformer.FromEmbeddings(modelConfig(o, o.DModel, o.Layers), vectors)
}

// newRandomModel builds a transformer over words with random weights: the
// scaling ladders start every size the same way.
func newRandomModel(words []string, o Options, dModel, layers int) (*transformer.Model, error) {
	cfg := modelConfig(o, dModel, layers)
	cfg.Vocab = 0
	return transformer.New(cfg, words)
}

// encode turns the corpus into the model's token ids, holding out 2% of
// the sentences.
func encode(ctx context.Context, m *transformer.Model, src corpus.Source) (*transformer.Data, error) {
	return transformer.Encode(ctx, m, src, heldOut)
}

// trainSettings are the training settings every model of the report uses:
// 16 windows a step, peak learning rate 2e-3 after a warm-up of 5% of the
// steps, cosine decay, held-out loss measured twenty times on up to
// 50,000 tokens.
func trainSettings(steps int, o Options) transformer.TrainOptions {
	return transformer.TrainOptions{Steps: steps, Batch: 16, LR: 2e-3, EvalEvery: max(1, steps/20), EvalTokens: 50000,
		ReportEvery: max(1, steps/200), Threads: o.Threads}
}

// trainContext trains m on data for steps steps.
func trainContext(ctx context.Context, m *transformer.Model, data *transformer.Data, steps int, o Options, progress func(done, total int64, detail string)) (*transformer.Result, error) {
	tc := trainSettings(steps, o)
	tc.Data = data
	held := math.NaN()
	tc.Progress = func(p transformer.Progress) {
		if !math.IsNaN(p.HeldOutPerplexity) {
			held = p.HeldOutPerplexity
		}
		progress(p.Done, p.Total, fmt.Sprintf("loss %.3f, held-out perplexity %.1f, %.0f tokens/s", p.Loss, held, p.TokensPerSec))
	}
	return transformer.Train(ctx, m, nil, tc)
}

// trainOn trains m for steps steps on the training tokens train (a prefix
// of data.Train, for the data ladder) and returns the lowest held-out loss
// of its evaluations (early stopping) on up to evalTokens held-out tokens.
func trainOn(ctx context.Context, m *transformer.Model, data *transformer.Data, train []int32, steps, evalTokens int, o Options) (float64, error) {
	tc := trainSettings(steps, o)
	tc.EvalTokens = evalTokens
	tc.Data = &transformer.Data{Train: train, HeldOut: data.HeldOut, Words: data.Words, Unknown: data.Unknown}
	res, err := transformer.Train(ctx, m, nil, tc)
	if err != nil {
		return math.NaN(), err
	}
	best := math.Inf(1)
	for _, p := range res.History {
		if !math.IsNaN(p.HeldOutLoss) {
			best = math.Min(best, p.HeldOutLoss)
		}
	}
	return best, nil
}
