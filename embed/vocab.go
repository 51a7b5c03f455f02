package embed

import (
	"errors"
	"fmt"
	"math"
)

// Vocab is an ordered list of distinct words with a word→index map and,
// when known, each word's corpus count. Index 0 is the most frequent word
// when the vocabulary came from a trainer or a frequency-sorted file.
// A Vocab is immutable once built and safe for concurrent use.
type Vocab struct {
	words  []string
	index  map[string]int
	counts []int64
}

// NewVocab builds a vocabulary from words, in that order. counts may be nil
// (unknown) or hold one non-negative count per word, adding up to at most
// math.MaxInt64, so that totals need no overflow checks. Empty and
// duplicate words are rejected (a lookup table with two rows for one word
// is ambiguous), and so are words longer than MaxWordLen, which no vector
// file could hold. NewVocab keeps the slices it is given; the caller must
// not modify them afterwards.
func NewVocab(words []string, counts []int64) (*Vocab, error) {
	if counts != nil && len(counts) != len(words) {
		return nil, fmt.Errorf("embed: %d counts for %d words", len(counts), len(words))
	}
	index := make(map[string]int, len(words))
	var total int64
	for i, w := range words {
		if w == "" {
			return nil, fmt.Errorf("embed: word %d is empty", i)
		}
		if len(w) > MaxWordLen {
			return nil, fmt.Errorf("embed: word %d (%q...) is %d bytes long, more than the limit of %d", i, clipWord(w), len(w), MaxWordLen)
		}
		if j, dup := index[w]; dup {
			return nil, fmt.Errorf("embed: word %q appears twice (entries %d and %d): %w", w, j, i, ErrDuplicateWord)
		}
		index[w] = i
		if counts != nil {
			if counts[i] < 0 {
				return nil, fmt.Errorf("embed: word %q has negative count %d", w, counts[i])
			}
			if total += counts[i]; total < 0 {
				return nil, fmt.Errorf("embed: the counts add up to more than %d at word %d %q", int64(math.MaxInt64), i, w)
			}
		}
	}
	return &Vocab{words: words, index: index, counts: counts}, nil
}

// clipWord returns the start of a long word, for messages.
func clipWord(w string) string {
	if len(w) > 64 {
		return w[:64]
	}
	return w
}

// ErrDuplicateWord is returned when a vocabulary would hold a word twice.
var ErrDuplicateWord = errors.New("duplicate word")

// Len returns the number of words.
func (v *Vocab) Len() int { return len(v.words) }

// Word returns the word at index i.
func (v *Vocab) Word(i int) string { return v.words[i] }

// Words returns the words in index order. The slice is shared with the
// vocabulary and must not be modified.
func (v *Vocab) Words() []string { return v.words }

// Index returns the index of word and whether it is in the vocabulary.
func (v *Vocab) Index(word string) (int, bool) {
	i, ok := v.index[word]
	return i, ok
}

// Contains reports whether word is in the vocabulary.
func (v *Vocab) Contains(word string) bool {
	_, ok := v.index[word]
	return ok
}

// HasCounts reports whether the vocabulary knows its words' counts.
func (v *Vocab) HasCounts() bool { return v.counts != nil }

// Count returns the corpus count of the word at index i, or 0 when counts
// are unknown.
func (v *Vocab) Count(i int) int64 {
	if v.counts == nil {
		return 0
	}
	return v.counts[i]
}

// Counts returns the counts in index order, or nil when unknown. The slice
// is shared with the vocabulary and must not be modified.
func (v *Vocab) Counts() []int64 { return v.counts }
