package transformer

import (
	"errors"
	"fmt"
)

// Config is the shape of a model. Zero fields take the defaults noted, the
// sizes of Tiny: the zero Config is Tiny over every word of the vocabulary
// it is built from.
type Config struct {
	// Vocab is the number of corpus words the model knows, most frequent
	// first; the model adds the special tokens <unk>, <bos> and <eos>.
	// 0 means every word of the vectors the model is built from.
	Vocab int
	// DModel is the width of the residual stream (and of the token
	// vectors); 0 means 64.
	DModel int
	// Heads is the number of attention heads; it must divide DModel. 0
	// means 4.
	Heads int
	// Layers is the number of transformer blocks; 0 means 2.
	Layers int
	// DFF is the width of the feed-forward network's hidden layer; 0 means
	// 4·DModel.
	DFF int
	// Context is the longest sequence the model reads, in tokens (<bos>
	// included); 0 means 32.
	Context int
	// Dropout is the probability of zeroing an element of the embedding
	// output and of each residual branch while training. 0 disables it;
	// inference never drops.
	Dropout float32
	// Untied gives the model its own output projection head.w instead of
	// reusing the token embedding (the default, "tied").
	Untied bool
	// SinusoidalPositions adds the fixed sinusoids of Vaswani et al. (2017)
	// to the token vectors instead of learned position vectors (the
	// default): PE[t, 2k] = sin(t / 10000^(2k/d)), PE[t, 2k+1] = cos(same),
	// no parameter.
	SinusoidalPositions bool
	// TanhGELU uses GELU's tanh approximation,
	// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as GPT-2 did, instead of
	// the exact 0.5·x·(1 + erf(x/√2)) (the default).
	TanhGELU bool
	// LayerNormEps is the epsilon of every LayerNorm,
	// (x − mean)/√(var + eps); 0 means 1e-5, PyTorch's default.
	LayerNormEps float64
	// InitStd is the standard deviation of the random initial weights
	// (0: 0.02, GPT-2's value).
	InitStd float32
	// EmbedStd is the element standard deviation static word vectors are
	// rescaled to when they initialise the token embedding (0: 0.1). The
	// rescaling keeps every direction and angle of the vectors.
	EmbedStd float32
	// Seed makes initialisation (and training) reproducible; 0 is a seed
	// like any other.
	Seed uint64
}

// Tiny returns the "tiny" configuration of the benchmarks: 5,000 tokens,
// d_model 64, 4 heads, 2 layers, d_ff 256, context 32.
func Tiny() Config {
	return Config{Vocab: 5000 - numSpecial, DModel: 64, Heads: 4, Layers: 2, DFF: 256, Context: 32}
}

// Small returns the "small" configuration of the benchmarks: 20,000
// tokens, d_model 128, 4 heads, 4 layers, d_ff 512, context 64.
func Small() Config {
	return Config{Vocab: 20000 - numSpecial, DModel: 128, Heads: 4, Layers: 4, DFF: 512, Context: 64}
}

// ErrConfig is returned (wrapped) for an impossible configuration.
var ErrConfig = errors.New("invalid transformer configuration")

// limits keep a typo from asking for terabytes.
const (
	maxDim     = 1 << 14
	maxLayers  = 256
	maxContext = 1 << 16
	maxVocab   = 1 << 24
)

func (c Config) withDefaults() Config {
	if c.DModel == 0 {
		c.DModel = 64
	}
	if c.Heads == 0 {
		c.Heads = 4
	}
	if c.Layers == 0 {
		c.Layers = 2
	}
	if c.DFF == 0 {
		c.DFF = 4 * c.DModel
	}
	if c.Context == 0 {
		c.Context = 32
	}
	if c.InitStd == 0 {
		c.InitStd = 0.02
	}
	if c.EmbedStd == 0 {
		c.EmbedStd = 0.1
	}
	if c.LayerNormEps == 0 {
		c.LayerNormEps = defaultLNEps
	}
	return c
}

// Validate reports the first problem with c (its zero fields taken as
// their defaults), or nil.
func (c Config) Validate() error {
	c = c.withDefaults()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("transformer: %s: %w", fmt.Sprintf(format, args...), ErrConfig)
	}
	switch {
	case c.Vocab < 0 || c.Vocab > maxVocab:
		return bad("vocabulary size %d out of range [0, %d]", c.Vocab, maxVocab)
	case c.DModel <= 0 || c.DModel > maxDim:
		return bad("d_model %d out of range [1, %d]", c.DModel, maxDim)
	case c.Heads <= 0 || c.DModel%c.Heads != 0:
		return bad("%d heads do not divide d_model %d", c.Heads, c.DModel)
	case c.Layers <= 0 || c.Layers > maxLayers:
		return bad("layers %d out of range [1, %d]", c.Layers, maxLayers)
	case c.DFF <= 0 || c.DFF > 8*maxDim:
		return bad("d_ff %d out of range [1, %d]", c.DFF, 8*maxDim)
	case c.Context < 2 || c.Context > maxContext:
		return bad("context %d out of range [2, %d]", c.Context, maxContext)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return bad("dropout %v out of range [0, 1)", c.Dropout)
	case !(c.InitStd >= 0) || !(c.EmbedStd >= 0):
		return bad("negative or NaN initial scale")
	case !(c.LayerNormEps > 0 && c.LayerNormEps <= 1):
		return bad("LayerNorm epsilon %v out of range (0, 1]", c.LayerNormEps)
	}
	return nil
}
