package word2vec

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/wordspace/wordspace/embed"
)

// VocabOptions controls which words a vocabulary keeps.
type VocabOptions struct {
	// MinCount drops words seen fewer times. The C tool's default is 5.
	MinCount int
	// MaxVocab keeps at most this many of the most frequent words; 0 for no
	// limit.
	MaxVocab int
	// MaxTableSize bounds the memory used while counting: when the table of
	// distinct words grows past it, words seen only once so far are dropped
	// (then twice, ...), as the C tool's ReduceVocab does. 0 means 30
	// million, the C tool's figure times 0.7.
	MaxTableSize int
}

// ErrEmptyVocab is returned when no word of the corpus survives MinCount.
var ErrEmptyVocab = errors.New("empty vocabulary")

// BuildVocab counts the words of corpus and returns the vocabulary sorted
// by descending count, ties broken by the word's bytes so that the order is
// the same on every run.
func BuildVocab(ctx context.Context, c *Corpus, opts VocabOptions) (*embed.Vocab, error) {
	limit := opts.MaxTableSize
	if limit <= 0 {
		limit = 21_000_000
	}
	counts := make(map[string]int64)
	prune := int64(1)
	var total int64
	err := c.Sentences(ctx, func(tokens []string) error {
		for _, t := range tokens {
			counts[t]++
		}
		total += int64(len(tokens))
		if len(counts) > limit {
			for w, n := range counts {
				if n <= prune {
					delete(counts, w)
				}
			}
			prune++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, fmt.Errorf("word2vec: corpus %s has no words: %w", c.Name(), ErrEmptyVocab)
	}
	return vocabFromCounts(counts, opts, c.Name(), total)
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
		return nil, fmt.Errorf("word2vec: none of the %d words of %s occurs at least %d times: %w", total, name, minCount, ErrEmptyVocab)
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
