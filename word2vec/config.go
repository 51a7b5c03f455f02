package word2vec

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

// Config holds the training settings. Zero fields take the C tool's
// defaults, noted with each field, so the zero Config trains skip-gram
// with negative sampling; DefaultConfig spells the defaults out. Where
// "off" is a setting of its own (Negative, Sample), a negative value says
// it.
type Config struct {
	// Dim is the length of the word vectors (the C tool's -size); 0 means
	// 100.
	Dim int
	// Window is the largest distance between a word and the words it
	// predicts or is predicted from. Each position draws its own window
	// uniformly from 1..Window (the "dynamic window"), which weighs near
	// words more. 0 means 5.
	Window int
	// Negative is the number of noise words drawn, from the unigram
	// distribution raised to the power NoiseExponent, for every positive example;
	// 0 means 5, a negative value turns negative sampling off (then HS
	// must be on).
	Negative int
	// HS turns hierarchical softmax over a Huffman tree of the
	// vocabulary on. It can be combined with negative sampling, as in the
	// C tool.
	HS bool
	// CBOW predicts each word from the mean of its context's vectors
	// instead of predicting the context from the word (skip-gram).
	CBOW bool
	// PerPairNegatives makes skip-gram with negative sampling draw a new
	// set of noise words for every (word, context) pair, as the C tool
	// does, instead of one set per centre word shared by every context
	// word of its window (Ji et al. 2016, "Parallelizing Word2Vec in
	// Shared and Distributed Memory"), the default. Sharing keeps the
	// handful of output rows a window touches in the processor's cache,
	// which makes training about 1.6 times faster, and with the default
	// InitRange and MinAlpha its vectors are as good as gensim's on
	// corpora of 3 and 15 million words (see the package documentation).
	// It has no effect on CBOW, hierarchical softmax or subword training
	// (MaxN > 0), which always draws per pair: there the centre word's
	// vector is the input of its whole window, so shared noise words
	// would repeat the same pairs (it cost 6 points of analogy accuracy
	// on 15 million words).
	PerPairNegatives bool
	// MaxN turns subword vectors on (fastText's method, Bojanowski et al.
	// 2017; see package subword): a word's input vector is the mean of its
	// own row and the rows of its character n-grams of MinN to MaxN
	// characters, hashed into Bucket shared rows, and the gradient goes
	// to each of them, so that words never seen get vectors too. Skip-gram
	// then predicts the context words from the centre word's n-grams, as
	// fastText does. 0 (the default) is plain word2vec.
	MaxN int
	// MinN is the shortest n-gram, in characters, when MaxN > 0; 0 means
	// 3, fastText's default.
	MinN int
	// Bucket is the number of rows the hashed n-grams share when MaxN > 0;
	// 0 means 2,000,000, fastText's default.
	Bucket int
	// Sample is the subsampling threshold: a word of corpus frequency f is
	// kept with probability (sqrt(f/Sample)+1)·Sample/f, so frequent words
	// are mostly skipped. 0 means 1e-3, the C tool's default; a negative
	// value keeps every word. 1e-4 to 1e-5 suit large corpora.
	Sample float64
	// Alpha is the starting learning rate. It decreases linearly to
	// MinAlpha over all epochs' words. 0 means the C tool's 0.025 for
	// skip-gram and 0.05 for CBOW.
	Alpha float64
	// MinAlpha is the learning rate at the end of training. 0 means
	// DefaultMinAlpha(Alpha, Epochs), or with subwords Alpha·1e-4 (near
	// zero, as fastText's); the C tool decays to Alpha·1e-4 (CToolConfig),
	// gensim to 0.0001.
	MinAlpha float64
	// InitRange sets where the word vectors start: uniformly in
	// [−InitRange/Dim, InitRange/Dim). 0 means DefaultInitRange(CBOW):
	// 2 for skip-gram, 1 for CBOW; with subwords 1 for every row, as
	// fastText. The C tool uses 0.5 (CToolConfig), gensim 4 uses 1.
	InitRange float64
	// NoiseExponent is the power the words' counts are raised to in the
	// distribution noise words are drawn from (gensim's ns_exponent): 1
	// draws words as often as they occur, smaller values draw rare words
	// more often. 0 means 0.75, the C tool's and gensim's, or with
	// subwords 0.5, fastText's. (An exponent of exactly 0, uniform noise,
	// cannot be asked for; 1e-9 is the same in effect.)
	NoiseExponent float64
	// Epochs is the number of passes over the corpus (the C tool's -iter);
	// 0 means 5.
	Epochs int
	// MinCount drops words seen fewer times from the vocabulary; 0 means
	// 5, and 1 keeps every word.
	MinCount int
	// MaxVocab keeps only the most frequent words; 0 for no limit.
	MaxVocab int
	// Threads is the number of goroutines that train at the same time,
	// updating the shared weights without locks (Hogwild); 0 means
	// runtime.GOMAXPROCS(0). With Threads 1 training is deterministic:
	// the same seed gives bit-identical vectors.
	Threads int
	// Seed seeds the weight initialisation and every random draw; 0 is a
	// seed like any other (DefaultConfig and the command line use 1).
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

// DefaultConfig returns the C tool's defaults spelt out: skip-gram, 100
// dimensions, window 5, 5 negative samples, subsampling at 1e-3, 5
// epochs, min-count 5, seed 1, one goroutine per processor. Alpha is left
// 0, which means the method's rate (0.025 for skip-gram, 0.05 for CBOW),
// so that setting CBOW alone changes it too. It trains as the zero Config
// does but for the seed.
func DefaultConfig() Config {
	return Config{
		Dim:      100,
		Window:   5,
		Negative: 5,
		Sample:   1e-3,
		Epochs:   5,
		MinCount: 5,
		Seed:     1,
	}
}

// Progress reports how far training has come. Done and Total count words,
// as every wordspace Progress counts its job's unit of work.
type Progress struct {
	// Done counts the words processed so far over all epochs: corpus
	// tokens in the vocabulary, including those that subsampling skipped.
	// It reaches Total, Epochs × the vocabulary's total count, when
	// training ends (on the corpus the vocabulary was counted on).
	Done, Total int64
	Epoch       int // the epoch under way, from 1
	Epochs      int // the number of epochs in all
	// Tokens counts all corpus tokens read, in the vocabulary or not.
	Tokens int64
	// Alpha is the current learning rate.
	Alpha float64
	// WordsPerSec is the speed of this run: words processed since Train
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

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Dim == 0 {
		c.Dim = 100
	}
	if c.Window == 0 {
		c.Window = 5
	}
	if c.Negative == 0 {
		c.Negative = 5
	}
	if c.Sample == 0 {
		c.Sample = 1e-3
	}
	if c.Alpha == 0 {
		c.Alpha = 0.025
		if c.CBOW {
			c.Alpha = 0.05
		}
	}
	if c.Epochs == 0 {
		c.Epochs = 5
	}
	if c.MaxN > 0 {
		if c.MinN == 0 {
			c.MinN = 3
		}
		if c.Bucket == 0 {
			c.Bucket = 2000000
		}
	}
	// With subwords, fastText's settings: measured on 15 M words, they
	// are 2 analogy points better there than word2vec's (README,
	// "Subword vectors").
	if c.MinAlpha == 0 {
		c.MinAlpha = DefaultMinAlpha(c.Alpha, c.Epochs)
		if c.MaxN > 0 {
			c.MinAlpha = c.Alpha * 1e-4
		}
	}
	if c.InitRange == 0 {
		c.InitRange = DefaultInitRange(c.CBOW)
		if c.MaxN > 0 {
			c.InitRange = 1
		}
	}
	if c.NoiseExponent == 0 {
		c.NoiseExponent = 0.75
		if c.MaxN > 0 {
			c.NoiseExponent = 0.5
		}
	}
	if c.MinCount == 0 {
		c.MinCount = corpus.DefaultMinCount
	}
	if c.Threads == 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
	if c.ProgressInterval <= 0 {
		c.ProgressInterval = time.Second
	}
	return c
}

// Validate reports the first setting of c that Train would refuse, so
// that callers can check their settings before reading a corpus. The
// error matches ErrConfig.
func (c Config) Validate() error {
	_, err := c.resolve()
	return err
}

// Resolved returns c with every zero field set to the default Train
// uses, and the error of Validate.
func (c Config) Resolved() (Config, error) { return c.resolve() }

// ErrConfig is matched (with errors.Is) by every error about a setting
// of Config that Train refuses.
var ErrConfig = errors.New("word2vec: invalid configuration")

// configError is a refused setting; its message names it.
type configError struct{ msg string }

func (e *configError) Error() string        { return e.msg }
func (e *configError) Is(target error) bool { return target == ErrConfig }

func badConfig(format string, args ...any) error {
	return &configError{"word2vec: " + fmt.Sprintf(format, args...)}
}

// resolve returns c with its defaults filled in, or the first setting
// Train would refuse, as an error matching ErrConfig.
func (c Config) resolve() (Config, error) {
	c = c.withDefaults()
	switch {
	case c.Dim <= 0:
		return c, badConfig("vector size %d: must be positive", c.Dim)
	case c.Dim > 1<<16:
		return c, badConfig("vector size %d: larger than %d", c.Dim, 1<<16)
	case c.Window <= 0:
		return c, badConfig("window %d: must be at least 1", c.Window)
	case c.Negative < 0 && !c.HS:
		return c, badConfig("negative sampling and hierarchical softmax are both off: nothing to train")
	case c.Sample != c.Sample:
		return c, badConfig("sample %v: must be a number", c.Sample)
	case !(c.Alpha > 0) || c.Alpha > 10:
		return c, badConfig("learning rate %v: must be in (0, 10]", c.Alpha)
	case !(c.MinAlpha > 0) || c.MinAlpha > c.Alpha:
		return c, badConfig("final learning rate %v: must be in (0, %v], the starting rate", c.MinAlpha, c.Alpha)
	case !(c.InitRange > 0) || c.InitRange > 1e3:
		return c, badConfig("initial range %v: must be in (0, 1000]", c.InitRange)
	case !(math.Abs(c.NoiseExponent) <= 10):
		return c, badConfig("noise exponent %v: must be in [-10, 10]", c.NoiseExponent)
	case c.Epochs <= 0:
		return c, badConfig("epochs %d: must be at least 1", c.Epochs)
	case c.MinCount < 0:
		return c, badConfig("min-count %d: must not be negative", c.MinCount)
	case c.MaxVocab < 0:
		return c, badConfig("max vocabulary %d: must not be negative", c.MaxVocab)
	case c.Threads < 0:
		return c, badConfig("threads %d: must not be negative", c.Threads)
	case c.MaxN < 0 || c.MinN < 0 || c.Bucket < 0:
		return c, badConfig("n-gram lengths %d..%d and bucket %d: must not be negative", c.MinN, c.MaxN, c.Bucket)
	case c.MaxN > 0 && c.MinN > c.MaxN:
		return c, badConfig("n-gram lengths %d..%d: the shortest is longer than the longest", c.MinN, c.MaxN)
	case c.MaxN > 64:
		return c, badConfig("n-grams of up to %d characters: at most 64", c.MaxN)
	case c.Bucket > math.MaxInt32:
		return c, badConfig("bucket %d: at most %d", c.Bucket, math.MaxInt32)
	case c.MaxN == 0 && (c.MinN != 0 || c.Bucket != 0):
		return c, badConfig("MinN %d or Bucket %d without MaxN: set MaxN to train subword vectors", c.MinN, c.Bucket)
	}
	return c, nil
}

// subwords reports whether words have n-gram rows.
func (c Config) subwords() bool { return c.MaxN > 0 }

// negatives returns the number of noise words per example, 0 when
// negative sampling is off.
func (c Config) negatives() int { return max(c.Negative, 0) }

// DefaultInitRange returns InitRange's default: word vectors start
// uniformly in ±2/Dim for skip-gram, four times the C tool's range and
// twice gensim 4's, and in ±1/Dim for CBOW. The output weights start at
// zero, so their first updates are proportional to the input vectors;
// small starting vectors spend the early epochs breaking the symmetry, and
// on short runs that is most of the training. CBOW's input is the mean of
// a window's vectors, larger from the start, and trained best from gensim's
// range. See the package documentation for the measurements.
func DefaultInitRange(cbow bool) float64 {
	if cbow {
		return 1
	}
	return 2
}

// DefaultMinAlpha returns MinAlpha's default for a starting rate alpha
// and the number of epochs: alpha/(2·epochs), so that the rate ends at a
// quarter of its start after 2 epochs and at a tenth after 5. The C
// tool's decay to alpha·1e-4 anneals too early on small corpora, where a
// word is seen only a few times. See the package documentation for the
// measurements.
func DefaultMinAlpha(alpha float64, epochs int) float64 {
	return alpha / float64(2*max(epochs, 1))
}

// CToolConfig returns the settings of the original word2vec C tool,
// including its starting range (±0.5/Dim), its decay of the learning
// rate to Alpha·1e-4 and its noise words drawn per pair, for users who want its behaviour rather than
// wordspace's defaults. Training differs from the C tool's only in the
// random numbers.
func CToolConfig() Config {
	c := DefaultConfig()
	c.Alpha = 0.025
	c.MinAlpha = c.Alpha * 1e-4
	c.InitRange = 0.5
	c.PerPairNegatives = true
	return c
}
