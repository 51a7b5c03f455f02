package subword

import (
	"errors"
	"fmt"
	"strings"
)

// ErrFormat is matched (with errors.Is) by every error about a malformed
// model file: a *FormatError says where the problem is.
var ErrFormat = errors.New("malformed fastText model")

// ErrQuantized is the cause of the FormatError for a quantised model (a
// .ftz file from `fasttext quantize`), which this package does not read.
var ErrQuantized = errors.New("quantised models (.ftz) are not supported; use the .bin model it was quantised from")

// FormatError describes a malformed model file: the byte offset where
// the problem was found, the part of the file being read and, when known,
// the dictionary word concerned.
type FormatError struct {
	Offset int64  // byte offset from the start of the file
	Part   string // "header", "dictionary", "input matrix", "output matrix"
	Word   string
	Msg    string
	Err    error // underlying cause, such as io.ErrUnexpectedEOF or ErrQuantized; may be nil
}

func (e *FormatError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "subword: fastText model: byte %d", e.Offset)
	if e.Part != "" {
		b.WriteString(": ")
		b.WriteString(e.Part)
	}
	if e.Word != "" {
		w := e.Word
		if len(w) > 64 {
			w = w[:64] + "..."
		}
		fmt.Fprintf(&b, ": word %q", w)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
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
