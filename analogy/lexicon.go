package analogy

import (
	"fmt"
	"unicode/utf8"

	"github.com/wordspace/wordspace/embed"
)

// DefaultRestrict is the number of most frequent words gensim's
// evaluate_word_analogies and evaluate_word_pairs consider by default
// (restrict_vocab); set Restrict to it to reproduce gensim's figures on
// vocabularies larger than that.
const DefaultRestrict = 300000

// restrictOrAll returns the number of words a restriction r leaves of a
// vocabulary of n: all of them when r is 0.
func restrictOrAll(r, n int) int {
	if r == 0 {
		return n
	}
	return min(r, n)
}

// lexicon looks words up among the first n words of a vocabulary, either
// exactly or by upper-case form; in the latter case an upper-case form
// stands for its first (most frequent) spelling, as in gensim's
// evaluate_word_analogies.
type lexicon struct {
	vocab *embed.Vocab
	n     int
	fold  bool
	first map[string]int // upper form → first index; only when fold
}

func newLexicon(emb *embed.Embeddings, n int, fold bool) *lexicon {
	l := &lexicon{vocab: emb.Vocab(), n: n, fold: fold}
	if fold {
		l.first = make(map[string]int, n)
		for i, w := range l.vocab.Words()[:n] {
			u := upper(w)
			if _, ok := l.first[u]; !ok {
				l.first[u] = i
			}
		}
	}
	return l
}

// key returns the form words are compared by.
func (l *lexicon) key(w string) string {
	if l.fold {
		return upper(w)
	}
	return w
}

// lookup returns the index standing for w.
func (l *lexicon) lookup(w string) (int, bool) {
	if l.fold {
		i, ok := l.first[upper(w)]
		return i, ok
	}
	i, ok := l.vocab.Index(w)
	return i, ok && i < l.n
}

// unknown describes a word lookup that failed.
func (l *lexicon) unknown(w string) error {
	switch {
	case l.n < l.vocab.Len():
		return fmt.Errorf("analogy: %q is not among the first %d words: %w", w, l.n, embed.ErrUnknownWord)
	case l.fold:
		return fmt.Errorf("analogy: %q (in any case): %w", w, embed.ErrUnknownWord)
	}
	return fmt.Errorf("analogy: %q: %w", w, embed.ErrUnknownWord)
}

// scanLookup finds w among the first n words without building a map, for
// one-off queries: the exact word, or with fold the first word with the
// same upper-case form.
func scanLookup(vocab *embed.Vocab, n int, w string, fold bool) (int, bool) {
	if !fold {
		i, ok := vocab.Index(w)
		return i, ok && i < n
	}
	u := upper(w)
	for i, v := range vocab.Words()[:n] {
		if sameUpper(v, u) {
			return i, true
		}
	}
	return 0, false
}

// variants returns the indices among the first n words whose upper-case
// form is u.
func variants(vocab *embed.Vocab, n int, u string) []int {
	var out []int
	for i, v := range vocab.Words()[:n] {
		if sameUpper(v, u) {
			out = append(out, i)
		}
	}
	return out
}

// sameUpper reports whether upper(w) == u without allocating in the
// common ASCII case.
func sameUpper(w, u string) bool {
	if isASCII(w) && isASCII(u) {
		if len(w) != len(u) {
			return false
		}
		for i := 0; i < len(w); i++ {
			c := w[i]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			if c != u[i] {
				return false
			}
		}
		return true
	}
	return upper(w) == u
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
