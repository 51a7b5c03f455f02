package word2vec

import (
	"fmt"
	"runtime"
	"time"

	"github.com/wordspace/wordspace/embed"
)

// Config holds the training settings. Start from DefaultConfig, which has
// the C tool's defaults, and change what you need; the zero Config is not
// valid (its dimension is 0).
type Config struct {
	// Dim is the length of the word vectors (the C tool's -size).
	Dim int
	// Window is the largest distance between a word and the words it
	// predicts or is predicted from. Each position draws its own window
	// uniformly from 1..Window (the "dynamic window"), which weighs near
	// words more.
	Window int
	// Negative is the number of noise words drawn, from the unigram
	// distribution raised to the power 0.75, for every positive example;
	// 0 turns negative sampling off (then HS must be on).
	Negative int
	// HS turns hierarchical softmax over a Huffman tree of the
	// vocabulary on. It can be combined with negative sampling, as in the
	// C tool.
	HS bool
	// CBOW predicts each word from the mean of its context's vectors
	// instead of predicting the context from the word (skip-gram).
	CBOW bool
	// SharedNegatives makes skip-gram draw one set of noise words per
	// centre word and use it for every context word of its window (Ji et
	// al. 2016, "Parallelizing Word2Vec in Shared and Distributed
	// Memory"), instead of a new set per (word, context) pair as the C
	// tool does. The handful of output rows a window touches then stay in
	// the processor's cache, which makes training about 1.5 times faster,
	// at some cost in quality: on the 15-million-word benchmark corpus
	// its analogy accuracy came out about one point below gensim's, where
	// the per-pair method matches gensim (see the package documentation).
	// It has no effect on CBOW or hierarchical softmax. Off in
	// DefaultConfig.
	SharedNegatives bool
	// Sample is the subsampling threshold: a word of corpus frequency f is
	// kept with probability (sqrt(f/Sample)+1)·Sample/f, so frequent words
	// are mostly skipped. 0 keeps every word. The C tool's default is
	// 1e-3; 1e-4 to 1e-5 suit large corpora.
	Sample float64
	// Alpha is the starting learning rate. It decreases linearly to
	// Alpha·1e-4 over all epochs' words. The C tool uses 0.025 for
	// skip-gram and 0.05 for CBOW.
	Alpha float64
	// Epochs is the number of passes over the corpus (the C tool's -iter).
	Epochs int
	// MinCount drops words seen fewer times from the vocabulary.
	MinCount int
	// MaxVocab keeps only the most frequent words; 0 for no limit.
	MaxVocab int
	// Threads is the number of goroutines that train at the same time,
	// updating the shared weights without locks (Hogwild); 0 means
	// runtime.GOMAXPROCS(0). With Threads 1 training is deterministic:
	// the same seed gives bit-identical vectors.
	Threads int
	// Seed seeds the weight initialisation and every random draw.
	Seed uint64
	// Vocab, if not nil, is used instead of counting the corpus; it must
	// carry word counts (corpus.ReadVocab and corpus.BuildVocab make such
	// vocabularies). MinCount and MaxVocab are not applied to it.
	Vocab *embed.Vocab
	// Progress, if not nil, is called every ProgressInterval while
	// training and once at the end of every epoch, from one goroutine at a
	// time.
	Progress func(Progress)
	// ProgressInterval is how often Progress is called; 0 means a second.
	ProgressInterval time.Duration
}

// DefaultConfig returns the C tool's defaults: skip-gram, 100 dimensions,
// window 5, 5 negative samples, subsampling at 1e-3, learning rate 0.025,
// 5 epochs, min-count 5, seed 1, one goroutine per processor.
func DefaultConfig() Config {
	return Config{
		Dim:      100,
		Window:   5,
		Negative: 5,
		Sample:   1e-3,
		Alpha:    0.025,
		Epochs:   5,
		MinCount: 5,
		Seed:     1,
	}
}

// Progress reports how far training has come.
type Progress struct {
	Epoch  int // the epoch under way, from 1
	Epochs int // the number of epochs in all
	// Words counts the words processed so far over all epochs: corpus
	// tokens in the vocabulary, including those that subsampling skipped.
	// It reaches TotalWords, Epochs × the vocabulary's total count, when
	// training ends (on the corpus the vocabulary was counted on).
	Words      int64
	TotalWords int64
	// Tokens counts all corpus tokens read, in the vocabulary or not.
	Tokens int64
	// Alpha is the current learning rate.
	Alpha float64
	// WordsPerSec is the speed of this run: Words processed since Train
	// (or Resume) started, divided by Elapsed.
	WordsPerSec float64
	Elapsed     time.Duration
	// Loss is the sum of the negative log-likelihoods of the current
	// epoch's training examples so far, accumulated in float64; Examples
	// is their number (one per word predicted, including its noise
	// words), so Loss/Examples is the running mean loss.
	Loss     float64
	Examples int64
	// EpochDone is true in the report that closes an epoch.
	EpochDone bool
}

// MeanLoss returns Loss/Examples, or 0 before the first example.
func (p Progress) MeanLoss() float64 {
	if p.Examples == 0 {
		return 0
	}
	return p.Loss / float64(p.Examples)
}

func (c *Config) validate() error {
	switch {
	case c.Dim <= 0:
		return fmt.Errorf("word2vec: vector size %d: must be positive", c.Dim)
	case c.Dim > 1<<16:
		return fmt.Errorf("word2vec: vector size %d: larger than %d", c.Dim, 1<<16)
	case c.Window <= 0:
		return fmt.Errorf("word2vec: window %d: must be at least 1", c.Window)
	case c.Negative < 0:
		return fmt.Errorf("word2vec: negative %d: must not be negative", c.Negative)
	case c.Negative == 0 && !c.HS:
		return fmt.Errorf("word2vec: negative is 0 and hierarchical softmax is off: nothing to train")
	case c.Sample < 0 || c.Sample != c.Sample:
		return fmt.Errorf("word2vec: sample %v: must be 0 or positive", c.Sample)
	case !(c.Alpha > 0) || c.Alpha > 10:
		return fmt.Errorf("word2vec: learning rate %v: must be in (0, 10]", c.Alpha)
	case c.Epochs <= 0:
		return fmt.Errorf("word2vec: epochs %d: must be at least 1", c.Epochs)
	case c.MinCount < 0:
		return fmt.Errorf("word2vec: min-count %d: must not be negative", c.MinCount)
	case c.MaxVocab < 0:
		return fmt.Errorf("word2vec: max vocabulary %d: must not be negative", c.MaxVocab)
	case c.Threads < 0:
		return fmt.Errorf("word2vec: threads %d: must not be negative", c.Threads)
	}
	if c.Threads == 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
	if c.ProgressInterval <= 0 {
		c.ProgressInterval = time.Second
	}
	return nil
}

// ValidateConfig reports the first setting of cfg that Train would
// refuse, so that callers can check flags before reading a corpus.
func ValidateConfig(cfg Config) error { return cfg.validate() }
