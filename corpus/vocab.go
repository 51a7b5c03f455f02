package corpus

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/wordspace/wordspace/embed"
)

// VocabOptions controls which words BuildVocab keeps. The zero value keeps
// the words seen at least 5 times, all of them, counting with the C
// tool's memory bound.
type VocabOptions struct {
	// MinCount drops words seen fewer times; 0 means 5, the C tool's
	// default. 1 keeps every word.
	MinCount int
	// MaxVocab keeps at most this many of the most frequent words; 0 for no
	// limit.
	MaxVocab int
	// MaxTableSize bounds the memory used while counting: when the table of
	// distinct words grows past it, words seen only once so far are dropped
	// (then twice, ...) until it is back under 70% of the limit, as the C
	// tool's ReduceVocab does. 0 means 21 million, the C tool's figure.
	MaxTableSize int
}

// DefaultMinCount is the MinCount that VocabOptions' zero value means.
const DefaultMinCount = 5

// ErrEmptyVocab is returned when no word of the corpus survives MinCount,
// or a vocabulary has no words.
var ErrEmptyVocab = errors.New("empty vocabulary")

// BuildVocab counts the words of src and returns the vocabulary sorted by
// descending count, ties broken by the word's bytes so that the order is
// the same on every run.
func BuildVocab(ctx context.Context, src Source, opts VocabOptions) (*embed.Vocab, error) {
	limit := opts.MaxTableSize
	if limit <= 0 {
		limit = 21_000_000
	}
	if opts.MinCount == 0 {
		opts.MinCount = DefaultMinCount
	}
	if opts.MinCount < 0 || opts.MaxVocab < 0 {
		return nil, fmt.Errorf("corpus: negative minimum count (%d) or vocabulary size (%d)", opts.MinCount, opts.MaxVocab)
	}
	wc := &wordCounter{index: make(map[string]int32), limit: limit, prune: 1}
	var err error
	if r := raw(src); r != nil {
		err = r.scan(ctx, func(t []byte, _ bool) error {
			wc.add(t)
			return nil
		}, func() error { return nil })
	} else {
		err = src.Sentences(ctx, func(tokens []string) error {
			for _, t := range tokens {
				wc.addString(t)
			}
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	if wc.total == 0 {
		return nil, fmt.Errorf("corpus: %s has no words: %w", src.Name(), ErrEmptyVocab)
	}
	counts := make(map[string]int64, len(wc.words))
	for i, w := range wc.words {
		counts[w] = wc.counts[i]
	}
	return vocabFromCounts(counts, opts, src.Name(), wc.total)
}

// wordCounter counts words with a map from word to a slot in a slice, so
// that counting a word already seen is a map lookup with the token's bytes
// (which does not allocate) and an increment.
type wordCounter struct {
	index  map[string]int32
	words  []string
	counts []int64
	total  int64
	limit  int
	prune  int64
}

func (wc *wordCounter) add(t []byte) {
	wc.total++
	if i, ok := wc.index[string(t)]; ok {
		wc.counts[i]++
		return
	}
	wc.insert(string(t))
}

func (wc *wordCounter) addString(t string) {
	wc.total++
	if i, ok := wc.index[t]; ok {
		wc.counts[i]++
		return
	}
	wc.insert(t)
}

func (wc *wordCounter) insert(w string) {
	wc.index[w] = int32(len(wc.words))
	wc.words = append(wc.words, w)
	wc.counts = append(wc.counts, 1)
	if len(wc.words) > wc.limit {
		wc.reduce()
	}
}

// reduce drops the words seen at most prune times, as the C tool's
// ReduceVocab does, raising the bar each time so that the table keeps
// bounded memory whatever the corpus.
func (wc *wordCounter) reduce() {
	for len(wc.words) > wc.limit*7/10 {
		kept := 0
		for i, w := range wc.words {
			if wc.counts[i] > wc.prune {
				wc.words[kept], wc.counts[kept] = w, wc.counts[i]
				kept++
			}
		}
		clear(wc.words[kept:])
		wc.words, wc.counts = wc.words[:kept], wc.counts[:kept]
		wc.prune++
	}
	wc.index = make(map[string]int32, len(wc.words))
	for i, w := range wc.words {
		wc.index[w] = int32(i)
	}
}

func vocabFromCounts(counts map[string]int64, opts VocabOptions, name string, total int64) (*embed.Vocab, error) {
	minCount := int64(opts.MinCount)
	words := make([]string, 0, len(counts))
	for w, n := range counts {
		if n >= minCount {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("corpus: none of the %d words of %s occurs at least %d times: %w", total, name, minCount, ErrEmptyVocab)
	}
	sort.Slice(words, func(i, j int) bool {
		ci, cj := counts[words[i]], counts[words[j]]
		if ci != cj {
			return ci > cj
		}
		return words[i] < words[j]
	})
	if opts.MaxVocab > 0 && len(words) > opts.MaxVocab {
		words = words[:opts.MaxVocab]
	}
	cs := make([]int64, len(words))
	for i, w := range words {
		cs[i] = counts[w]
	}
	return embed.NewVocab(words, cs)
}
