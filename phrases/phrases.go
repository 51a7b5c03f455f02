package phrases

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

// Options controls Learn and Detect.
type Options struct {
	// MinCount is the least count a word or pair needs to take part in a
	// phrase; it is also subtracted from the pair count in the score. 0
	// means 5, word2phrase's default.
	MinCount int
	// Threshold is the score a pair must exceed to become a phrase; 0
	// means 100, word2phrase's default. Higher means fewer phrases.
	Threshold float64
	// Delimiter joins the words of a phrase; "" means "_".
	Delimiter string
	// MaxTableSize bounds the words and pairs held while counting: when
	// the table grows past it, entries seen once are dropped, then twice,
	// and so on, as word2phrase does, until it is down to three quarters
	// of the limit. 0 means 40 million (about 2 GB).
	MaxTableSize int
	// Progress, if not nil, is called from time to time with the pass
	// and the tokens read in it.
	Progress func(Progress)
}

func (o Options) withDefaults() (Options, error) {
	if o.MinCount == 0 {
		o.MinCount = 5
	}
	if o.MinCount < 0 {
		return o, fmt.Errorf("phrases: negative minimum count %d", o.MinCount)
	}
	if o.Threshold == 0 {
		o.Threshold = 100
	}
	if math.IsNaN(o.Threshold) || o.Threshold < 0 {
		return o, fmt.Errorf("phrases: threshold %v is not a non-negative number", o.Threshold)
	}
	if o.Delimiter == "" {
		o.Delimiter = "_"
	}
	if strings.ContainsAny(o.Delimiter, " \t\n\r\v\f") {
		return o, fmt.Errorf("phrases: delimiter %q contains white space", o.Delimiter)
	}
	if o.MaxTableSize <= 0 {
		o.MaxTableSize = 40_000_000
	}
	return o, nil
}

// Progress reports how far Learn or Detect has come: Done tokens read in
// pass Pass (1 for Learn) of Total (0: not known before the pass ends), as
// every wordspace Progress counts its job's unit of work.
type Progress struct {
	Pass        int
	Done, Total int64
}

// Phrase is a detected pair of words.
type Phrase struct {
	First, Second string
	Count         int64   // occurrences of the pair
	Score         float64 // see the package documentation
}

// Model is a set of phrases learnt from a corpus.
type Model struct {
	delim  string
	tokens int64
	// sentences read while learning: the same in every pass, as joining
	// words never joins sentences.
	sentences int64
	phrases   []Phrase
	joined    map[pairKey]string
}

type pairKey struct{ a, b string }

// ErrNoTokens is returned when the corpus to learn from is empty.
var ErrNoTokens = errors.New("corpus has no tokens")

// Learn counts the words and adjacent pairs of src (pairs never span
// two sentences) and returns the pairs whose score exceeds the threshold.
func Learn(ctx context.Context, src corpus.Source, opts Options) (*Model, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return learn(ctx, src, opts, 1)
}

type wordEntry struct {
	id    uint32
	count int64
}

// counts is the bounded table of word and pair counts. Pairs are keyed by
// the ids of their words; a pruned word that comes back gets a new id, and
// its old pairs are gone too, since a pair is never more frequent than its
// words.
type counts struct {
	words  map[string]*wordEntry
	pairs  map[uint64]int64
	nextID uint32
	limit  int
}

func (c *counts) word(w string) uint32 {
	e, ok := c.words[w]
	if !ok {
		if c.nextID == math.MaxUint32 {
			c.renumber()
		}
		e = &wordEntry{id: c.nextID}
		c.nextID++
		c.words[w] = e
	}
	e.count++
	return e.id
}

// renumber gives the surviving words consecutive ids again, once ids run
// out after many prunings.
func (c *counts) renumber() {
	remap := make(map[uint32]uint32, len(c.words))
	var next uint32
	for _, e := range c.words {
		remap[e.id] = next
		e.id = next
		next++
	}
	pairs := make(map[uint64]int64, len(c.pairs))
	for k, n := range c.pairs {
		a, okA := remap[uint32(k>>32)]
		b, okB := remap[uint32(k)]
		if okA && okB {
			pairs[uint64(a)<<32|uint64(b)] = n
		}
	}
	c.pairs, c.nextID = pairs, next
}

// prune drops the entries seen once, then twice, and so on, until the
// table is down to three quarters of its limit. Unlike word2phrase, which
// raises the bar for good with every pruning, it starts from one each
// time, so a long corpus does not end up dropping everything but the most
// frequent words.
func (c *counts) prune() {
	for r := int64(1); len(c.words)+len(c.pairs) > c.limit/4*3; r++ {
		for w, e := range c.words {
			if e.count <= r {
				delete(c.words, w)
			}
		}
		for k, n := range c.pairs {
			if n <= r {
				delete(c.pairs, k)
			}
		}
	}
}

func learn(ctx context.Context, src corpus.Source, opts Options, pass int) (*Model, error) {
	c := &counts{words: make(map[string]*wordEntry), pairs: make(map[uint64]int64), limit: opts.MaxTableSize}
	var tokens, reported, sentences int64
	err := src.Sentences(ctx, func(s []string) error {
		sentences++
		prev := uint32(0)
		for i, w := range s {
			id := c.word(w)
			if i > 0 {
				c.pairs[uint64(prev)<<32|uint64(id)]++
			}
			prev = id
		}
		tokens += int64(len(s))
		if len(c.words)+len(c.pairs) > c.limit {
			c.prune()
		}
		if opts.Progress != nil && tokens-reported >= 1<<20 {
			reported = tokens
			opts.Progress(Progress{Pass: pass, Done: tokens})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("phrases: %w", err)
	}
	if opts.Progress != nil {
		opts.Progress(Progress{Pass: pass, Done: tokens, Total: tokens})
	}
	if tokens == 0 {
		return nil, fmt.Errorf("phrases: %s: %w", src.Name(), ErrNoTokens)
	}
	byID := make(map[uint32]string, len(c.words))
	wc := make(map[uint32]int64, len(c.words))
	for w, e := range c.words {
		if e.count >= int64(opts.MinCount) {
			byID[e.id] = w
			wc[e.id] = e.count
		}
	}
	m := &Model{delim: opts.Delimiter, tokens: tokens, sentences: sentences, joined: make(map[pairKey]string)}
	minCount := float64(opts.MinCount)
	for k, n := range c.pairs {
		a, b := uint32(k>>32), uint32(k)
		wa, okA := byID[a]
		wb, okB := byID[b]
		if !okA || !okB || len(wa)+len(opts.Delimiter)+len(wb) > embed.MaxWordLen {
			continue // a phrase too long to be a word of a vector file is never joined
		}
		score := (float64(n) - minCount) / float64(wc[a]) / float64(wc[b]) * float64(tokens)
		if score > opts.Threshold {
			m.phrases = append(m.phrases, Phrase{First: wa, Second: wb, Count: n, Score: score})
			m.joined[pairKey{wa, wb}] = wa + opts.Delimiter + wb
		}
	}
	slices.SortFunc(m.phrases, func(x, y Phrase) int {
		return cmp.Or(
			cmp.Compare(y.Score, x.Score),
			cmp.Compare(y.Count, x.Count),
			strings.Compare(x.First, y.First),
			strings.Compare(x.Second, y.Second))
	})
	return m, nil
}

// Phrases returns the detected phrases, highest score first. The slice is
// shared and must not be modified.
func (m *Model) Phrases() []Phrase { return m.phrases }

// Tokens returns the number of tokens the model was learnt from.
func (m *Model) Tokens() int64 { return m.tokens }

// Sentences returns the number of sentences the model was learnt from. A
// corpus with phrases joined has as many sentences as the corpus it was
// made from, so this is also the length of Detect's output.
func (m *Model) Sentences() int64 { return m.sentences }

// Len returns the number of phrases.
func (m *Model) Len() int { return len(m.phrases) }

// Join appends tokens to dst with every phrase of m joined into one token,
// pairing greedily from the left as word2phrase does: in "a b c" with
// phrases "a b" and "b c", only a_b is formed.
func (m *Model) Join(dst, tokens []string) []string {
	for i := 0; i < len(tokens); i++ {
		if i+1 < len(tokens) {
			if j, ok := m.joined[pairKey{tokens[i], tokens[i+1]}]; ok {
				dst = append(dst, j)
				i++
				continue
			}
		}
		dst = append(dst, tokens[i])
	}
	return dst
}

// Apply returns a corpus that reads src and joins the phrases of m in
// every sentence as it goes. Nothing is stored: each pass over the result
// reads src again.
func (m *Model) Apply(src corpus.Source) *corpus.Corpus {
	return corpus.FromFunc(src.Name()+"+phrases", func(ctx context.Context, fn func([]string) error) error {
		var buf []string
		return src.Sentences(ctx, func(s []string) error {
			buf = m.Join(buf[:0], s)
			return fn(buf)
		})
	})
}

// Detect learns phrases in passes rounds, each on the corpus with the
// previous rounds' phrases joined, so that round two can join "new_york"
// and "times". It returns the corpus with every round's phrases joined
// (read on the fly, as with Apply) and the model of each round.
func Detect(ctx context.Context, src corpus.Source, passes int, opts Options) (corpus.Source, []*Model, error) {
	if passes < 1 {
		return nil, nil, fmt.Errorf("phrases: %d passes", passes)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	var models []*Model
	for p := 1; p <= passes; p++ {
		m, err := learn(ctx, src, opts, p)
		if err != nil {
			return nil, nil, err
		}
		models = append(models, m)
		if m.Len() == 0 {
			break // later passes would find nothing new
		}
		src = m.Apply(src)
	}
	return src, models, nil
}
