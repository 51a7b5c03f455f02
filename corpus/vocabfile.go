package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/internal/readfile"
)

// ErrFormat is matched (with errors.Is) by every error about a malformed
// vocabulary file; a *FormatError says where the problem is.
var ErrFormat = errors.New("malformed vocabulary file")

// FormatError describes a malformed vocabulary file: the line and what is
// wrong with it.
type FormatError struct {
	Line int // 1-based line number, or 0 for the file as a whole
	Msg  string
	Err  error // underlying cause, such as ErrEmptyVocab or embed.ErrDuplicateWord; may be nil
}

func (e *FormatError) Error() string {
	s := "corpus: vocabulary"
	if e.Line > 0 {
		s += fmt.Sprintf(" line %d", e.Line)
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

// WriteVocab writes v in the C tool's -save-vocab format: one "word count"
// line per word, in the vocabulary's order. v must have counts.
func WriteVocab(w io.Writer, v *embed.Vocab) error {
	if !v.HasCounts() {
		return errors.New("corpus: vocabulary has no counts to write")
	}
	bw := bufio.NewWriter(w)
	for i, word := range v.Words() {
		bw.WriteString(word)
		bw.WriteByte(' ')
		bw.WriteString(strconv.FormatInt(v.Count(i), 10))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// SaveVocab writes v to path atomically in WriteVocab's format.
func SaveVocab(path string, v *embed.Vocab) error {
	return atomicfile.Write(path, func(w io.Writer) error { return WriteVocab(w, v) })
}

// ReadVocab reads a vocabulary in the C tool's -save-vocab format (one
// "word count" line per word; blank lines are ignored) and returns it
// sorted by descending count, ties in file order, as training expects.
// A line without a count, a negative count, a word longer than
// embed.MaxWordLen, counts adding up to more than math.MaxInt64 or a
// repeated word is a *FormatError naming its line.
func ReadVocab(r io.Reader) (*embed.Vocab, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var words []string
	var counts []int64
	var total int64
	line := 0
	for sc.Scan() {
		line++
		f := bytes.Fields(sc.Bytes())
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, &FormatError{Line: line, Msg: fmt.Sprintf("want \"word count\", got %d fields", len(f))}
		}
		if len(f[0]) > embed.MaxWordLen {
			return nil, &FormatError{Line: line, Msg: fmt.Sprintf("word of %d bytes is longer than the limit of %d", len(f[0]), embed.MaxWordLen)}
		}
		n, err := strconv.ParseInt(string(f[1]), 10, 64)
		if err != nil || n < 0 {
			return nil, &FormatError{Line: line, Msg: fmt.Sprintf("count %q is not a non-negative integer", f[1])}
		}
		if total += n; total < 0 {
			return nil, &FormatError{Line: line, Msg: fmt.Sprintf("the counts add up to more than %d", int64(math.MaxInt64))}
		}
		words = append(words, string(f[0]))
		counts = append(counts, n)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("corpus: reading vocabulary after line %d: %w", line, err)
	}
	if len(words) == 0 {
		return nil, &FormatError{Msg: "no words", Err: ErrEmptyVocab}
	}
	sortByCount(words, counts)
	v, err := embed.NewVocab(words, counts)
	if err != nil {
		return nil, &FormatError{Msg: "bad word list", Err: err}
	}
	return v, nil
}

// LoadVocab reads a vocabulary file written by SaveVocab or the C tool.
func LoadVocab(path string) (*embed.Vocab, error) {
	return readfile.Read("corpus", path, ReadVocab)
}

// sortByCount orders words by descending count, keeping the given order
// among equal counts.
func sortByCount(words []string, counts []int64) {
	idx := make([]int, len(words))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return counts[idx[a]] > counts[idx[b]] })
	w2, c2 := make([]string, len(words)), make([]int64, len(words))
	for i, j := range idx {
		w2[i], c2[i] = words[j], counts[j]
	}
	copy(words, w2)
	copy(counts, c2)
}
