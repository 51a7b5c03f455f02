package bias

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/wordspace/wordspace/embed"
)

// ErrTooFewWords is returned (wrapped in a *CoverageError) when a word set
// loses so many words to the vocabulary that a measure on it would be
// meaningless.
var ErrTooFewWords = errors.New("too few words in vocabulary")

// ErrUndefined is returned (wrapped) when a measure is mathematically
// undefined for its input, for example an effect size whose scores all
// coincide (zero standard deviation). The measures return an error rather
// than NaN. It is embed.ErrUndefined, so one errors.Is test covers every
// package.
var ErrUndefined = embed.ErrUndefined

// Lookup is the out-of-vocabulary policy every measure in this package
// follows. A word missing from the vocabulary is dropped from its set and
// named in the set's Coverage. When the exact form is missing but its
// lower-case form is present (corpora are often lower-cased), the
// lower-case word is used and the substitution is reported. A set that
// shrinks to fewer than two words (a one-word set must keep its word), or
// keeps less than MinFraction of its words, makes the measure fail with a
// *CoverageError naming the missing words.
// The zero value is the default policy.
type Lookup struct {
	// MinFraction in [0, 1] is the smallest fraction of a set's words that
	// must be found. 0 checks only the two-word floor.
	MinFraction float64
	// ExactCase turns the lower-case fallback off.
	ExactCase bool
}

// Coverage reports how one word set was found in the vocabulary.
type Coverage struct {
	Set       string `json:"set"`
	Requested int    `json:"requested"`
	Found     int    `json:"found"`
	// Missing lists the words dropped because neither they nor their
	// lower-case form are in the vocabulary.
	Missing []string `json:"missing"`
	// Lowercased lists the words found only in lower case, as "Adam→adam".
	Lowercased []string `json:"lowercased,omitempty"`
	// Duplicates lists words dropped because another word of the set
	// already resolved to the same vocabulary entry ("Mom" and "mom").
	Duplicates []string `json:"duplicates,omitempty"`
	// ZeroVector lists words dropped because their vector is all zeros,
	// so that no angle with them is defined.
	ZeroVector []string `json:"zero_vector,omitempty"`
}

// CoverageNote is one kind of change Coverage reports, with its words.
type CoverageNote struct {
	Kind  string // "missing", "lower-cased", "duplicates" or "zero vectors"
	Words []string
}

// Notes returns the kinds of change that apply to the set, in a fixed
// order: missing words, words found in lower case, duplicates and zero
// vectors. Every report of a Coverage (errors, the CLI, the audit) lists
// them this way.
func (c Coverage) Notes() []CoverageNote {
	var notes []CoverageNote
	for _, n := range []CoverageNote{
		{"missing", c.Missing}, {"lower-cased", c.Lowercased}, {"duplicates", c.Duplicates}, {"zero vectors", c.ZeroVector},
	} {
		if len(n.Words) > 0 {
			notes = append(notes, n)
		}
	}
	return notes
}

// CoverageError is returned when a set keeps too few of its words.
type CoverageError struct {
	Coverage
	// Need is the number of words the policy required.
	Need int
}

func (e *CoverageError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bias: set %s keeps %d of %d words, needs at least %d", e.Set, e.Found, e.Requested, e.Need)
	for _, n := range e.Notes() {
		if n.Kind != "lower-cased" { // found, so not why the set is short
			fmt.Fprintf(&b, "; %s: %s", n.Kind, strings.Join(n.Words, ", "))
		}
	}
	return b.String()
}

// Is makes errors.Is(err, ErrTooFewWords) true.
func (e *CoverageError) Is(target error) bool { return target == ErrTooFewWords }

// wordSet is a resolved set: the vocabulary words used and their vectors
// in float64, raw and unit-normalised.
type wordSet struct {
	words []string    // vocabulary forms, in the order requested
	index []int       // vocabulary indices
	raw   [][]float64 // vectors as stored
	unit  [][]float64 // vectors scaled to unit length
}

func (s wordSet) len() int { return len(s.words) }

func (l Lookup) check() error {
	if math.IsNaN(l.MinFraction) || l.MinFraction < 0 || l.MinFraction > 1 {
		return fmt.Errorf("bias: MinFraction %v is not in [0, 1]", l.MinFraction)
	}
	return nil
}

// find returns the vocabulary index of word under the policy and whether
// the lower-case fallback was used.
func (l Lookup) find(v *embed.Vocab, word string) (i int, lowered bool, ok bool) {
	if i, ok := v.Index(word); ok {
		return i, false, true
	}
	if l.ExactCase {
		return 0, false, false
	}
	if lw := strings.ToLower(word); lw != word {
		if i, ok := v.Index(lw); ok {
			return i, true, true
		}
	}
	return 0, false, false
}

// resolve looks up a named set, drops what is missing and applies the
// policy's floors.
func (l Lookup) resolve(e *embed.Embeddings, name string, words []string) (wordSet, Coverage, error) {
	return l.resolveMin(e, name, words, l.need(len(words)))
}

func (l Lookup) resolveMin(e *embed.Embeddings, name string, words []string, need int) (wordSet, Coverage, error) {
	if err := l.check(); err != nil {
		return wordSet{}, Coverage{}, err
	}
	cov := Coverage{Set: name, Requested: len(words), Missing: []string{}}
	var s wordSet
	seen := make(map[int]bool, len(words))
	norms := e.Norms()
	for _, w := range words {
		i, lowered, ok := l.find(e.Vocab(), w)
		if !ok {
			cov.Missing = append(cov.Missing, w)
			continue
		}
		vw := e.Vocab().Word(i)
		if lowered {
			cov.Lowercased = append(cov.Lowercased, w+"→"+vw)
		}
		if seen[i] {
			cov.Duplicates = append(cov.Duplicates, w)
			continue
		}
		if norms[i] == 0 {
			cov.ZeroVector = append(cov.ZeroVector, w)
			continue
		}
		seen[i] = true
		raw := toFloat64(e.Row(i))
		s.words = append(s.words, vw)
		s.index = append(s.index, i)
		s.raw = append(s.raw, raw)
		s.unit = append(s.unit, unitCopy(raw))
	}
	cov.Found = len(s.words)
	if cov.Found < need {
		return wordSet{}, cov, &CoverageError{Coverage: cov, Need: need}
	}
	return s, cov, nil
}

// resolveOne looks up a single word, which must be found.
func (l Lookup) resolveOne(e *embed.Embeddings, name, word string) (wordSet, Coverage, error) {
	return l.resolveMin(e, name, []string{word}, 1)
}

// need is the number of words a set of n must keep: two (or one, for a
// set of one), and at least MinFraction of them. An empty set keeps none
// of the one word it needs: every measure is undefined on it.
func (l Lookup) need(n int) int {
	return max(1, min(2, n), int(math.Ceil(l.MinFraction*float64(n)-1e-9)))
}

// resolvePairs looks up word pairs; a pair missing either word is dropped
// whole. Coverage counts words (two per pair), so the two-word floor means
// at least one pair.
func (l Lookup) resolvePairs(e *embed.Embeddings, name string, pairs [][2]string) (first, second wordSet, cov Coverage, err error) {
	if err := l.check(); err != nil {
		return wordSet{}, wordSet{}, Coverage{}, err
	}
	cov = Coverage{Set: name, Requested: 2 * len(pairs), Missing: []string{}}
	norms := e.Norms()
	seen := make(map[[2]int]bool)
	for _, p := range pairs {
		var idx [2]int
		ok := true
		for k, w := range p {
			i, lowered, found := l.find(e.Vocab(), w)
			switch {
			case !found:
				cov.Missing = append(cov.Missing, w)
				ok = false
			case norms[i] == 0:
				cov.ZeroVector = append(cov.ZeroVector, w)
				ok = false
			default:
				if lowered {
					cov.Lowercased = append(cov.Lowercased, w+"→"+e.Vocab().Word(i))
				}
				idx[k] = i
			}
		}
		if !ok {
			continue
		}
		if idx[0] == idx[1] || seen[idx] {
			cov.Duplicates = append(cov.Duplicates, p[0]+"/"+p[1])
			continue
		}
		seen[idx] = true
		for k, s := range []*wordSet{&first, &second} {
			raw := toFloat64(e.Row(idx[k]))
			s.words = append(s.words, e.Vocab().Word(idx[k]))
			s.index = append(s.index, idx[k])
			s.raw = append(s.raw, raw)
			s.unit = append(s.unit, unitCopy(raw))
		}
	}
	cov.Found = 2 * first.len()
	need := l.need(cov.Requested)
	if cov.Found < need {
		return wordSet{}, wordSet{}, cov, &CoverageError{Coverage: cov, Need: need}
	}
	return first, second, cov, nil
}

func toFloat64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// unitCopy returns v scaled to unit length; v must not be zero.
func unitCopy(v []float64) []float64 {
	n := norm(v)
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x / n
	}
	return out
}

func dot(x, y []float64) float64 {
	var s float64
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func norm(x []float64) float64 { return math.Sqrt(dot(x, x)) }
