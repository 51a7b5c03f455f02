package server

import (
	"cmp"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/wordspace/wordspace/embed"
)

// completer suggests vocabulary words that start with a prefix, ignoring
// case, most frequent (lowest index) first. It keeps the vocabulary's
// indices sorted by case-folded word: 4 bytes a word.
type completer struct {
	vocab  *embed.Vocab
	sorted []int32
}

func newCompleter(v *embed.Vocab) *completer {
	c := &completer{vocab: v, sorted: make([]int32, v.Len())}
	for i := range c.sorted {
		c.sorted[i] = int32(i)
	}
	slices.SortFunc(c.sorted, func(a, b int32) int {
		if r := foldCompare(v.Word(int(a)), v.Word(int(b))); r != 0 {
			return r
		}
		return cmp.Compare(a, b)
	})
	return c
}

// complete returns at most n words starting with prefix (ignoring case),
// most frequent first.
func (c *completer) complete(prefix string, n int) []string {
	// The words with the prefix form one run of the sorted order: from the
	// first word not below the prefix, while the prefix matches.
	lo, _ := slices.BinarySearchFunc(c.sorted, prefix, func(i int32, p string) int {
		return foldCompare(c.vocab.Word(int(i)), p)
	})
	var best []int32 // the n lowest indices seen, sorted
	for _, i := range c.sorted[lo:] {
		if !hasFoldPrefix(c.vocab.Word(int(i)), prefix) {
			break
		}
		if len(best) == n && i > best[n-1] {
			continue
		}
		at, _ := slices.BinarySearch(best, i)
		best = slices.Insert(best, at, i)
		if len(best) > n {
			best = best[:n]
		}
	}
	out := make([]string, len(best))
	for j, i := range best {
		out[j] = c.vocab.Word(int(i))
	}
	return out
}

// foldCompare compares a and b rune by rune after simple case folding
// (lower case), without allocating.
func foldCompare(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if r := cmp.Compare(unicode.ToLower(ra), unicode.ToLower(rb)); r != 0 {
			return r
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// hasFoldPrefix reports whether s starts with prefix, ignoring case, in
// the sense of foldCompare.
func hasFoldPrefix(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		rs, ns := utf8.DecodeRuneInString(s)
		rp, np := utf8.DecodeRuneInString(prefix)
		if unicode.ToLower(rs) != unicode.ToLower(rp) {
			return false
		}
		s, prefix = s[ns:], prefix[np:]
	}
	return true
}
