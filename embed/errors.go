package embed

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownWord is returned (wrapped in an *UnknownWordError) when a query
// names a word that is not in the vocabulary.
var ErrUnknownWord = errors.New("word not in vocabulary")

// UnknownWordError names the word that was not found. It matches
// ErrUnknownWord with errors.Is.
type UnknownWordError struct {
	Word string
}

func (e *UnknownWordError) Error() string {
	return fmt.Sprintf("embed: %q: %v", e.Word, ErrUnknownWord)
}

// Is makes errors.Is(err, ErrUnknownWord) true.
func (e *UnknownWordError) Is(target error) bool { return target == ErrUnknownWord }

func unknown(word string) error { return &UnknownWordError{Word: word} }

// ErrNotFinite is returned when a vector holds NaN or ±Inf, which would
// poison every similarity computed from it.
var ErrNotFinite = errors.New("value is not finite")

// ErrUndefined is matched (with errors.Is) by every wordspace error that
// reports a result as mathematically undefined for its input: a
// correlation or effect size of values without variance, an angle with a
// zero vector. Packages return such an error rather than NaN;
// analogy.ErrUndefined and bias.ErrUndefined are this same value.
var ErrUndefined = errors.New("undefined for this input")

// ErrEmptyQuery is returned when a query has no words or vectors to work on.
var ErrEmptyQuery = errors.New("empty query")

// ErrFormat is matched (with errors.Is) by every error about malformed
// input: a *FormatError says where the problem is.
var ErrFormat = errors.New("malformed vector file")

// FormatError describes malformed input: the format being read, where the
// problem was found and, when known, the word concerned.
type FormatError struct {
	Format Format
	Line   int   // 1-based line number, or 0 when the format has no lines
	Offset int64 // byte offset from the start of the (decompressed) stream
	Word   string
	Msg    string
	Err    error // underlying cause, such as ErrNotFinite or io.ErrUnexpectedEOF; may be nil
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("embed: ")
	b.WriteString(e.Format.describe())
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
		if e.Offset >= 0 {
			fmt.Fprintf(&b, " (byte %d)", e.Offset)
		}
	} else if e.Offset >= 0 {
		fmt.Fprintf(&b, ": byte %d", e.Offset)
	}
	if e.Word != "" {
		w := e.Word
		if len(w) > 64 {
			w = w[:64] + "..."
		}
		fmt.Fprintf(&b, ": word %q", w)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }
