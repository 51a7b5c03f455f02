package embed

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/wordspace/wordspace/internal/heapcheck"
)

// The fuzz targets feed arbitrary bytes to each reader, both with the size
// known and as a stream, and check that bad input ends in a *FormatError,
// that nothing allocates far beyond what the input could justify, and that
// what is accepted is a consistent model that survives a round trip.

func FuzzReadText(f *testing.F)   { fuzzReader(f, Text) }
func FuzzReadBinary(f *testing.F) { fuzzReader(f, Binary) }
func FuzzReadGloVe(f *testing.F)  { fuzzReader(f, GloVe) }

// FuzzReadAuto exercises format detection.
func FuzzReadAuto(f *testing.F) { fuzzReader(f, Auto) }

func fuzzReader(f *testing.F, format Format) {
	f.Fuzz(func(t *testing.T, in []byte, limit uint8) {
		for _, stream := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(in)
			if stream {
				r = io.MultiReader(r) // hides the size
			}
			e, err := checkAlloc(t, len(in), func() (*Embeddings, error) {
				return Read(r, LoadOptions{Format: format, Limit: int(limit % 8)})
			})
			checkResult(t, e, err)
			if err == nil && format != Auto {
				checkRoundTrip(t, e, format)
			}
		}
	})
}

func FuzzReadNPY(f *testing.F) {
	f.Fuzz(func(t *testing.T, matrix, vocab []byte, limit uint8) {
		for _, stream := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(matrix)
			if stream {
				r = io.MultiReader(r)
			}
			e, err := checkAlloc(t, len(matrix)+len(vocab), func() (*Embeddings, error) {
				return ReadNPY(r, bytes.NewReader(vocab), LoadOptions{Limit: int(limit % 8)})
			})
			checkResult(t, e, err)
			if err == nil && e.Len() > 0 {
				var m, v bytes.Buffer
				if err := e.WriteNPY(&m, &v); err != nil {
					continue // words with tabs or line breaks cannot be written
				}
				got, err := ReadNPY(&m, &v, LoadOptions{})
				if err != nil {
					t.Fatalf("reading back what WriteNPY wrote: %v", err)
				}
				sameModel(t, got, e)
			}
		}
	})
}

// checkAlloc runs read and fails if it allocated much more than the input
// size justifies: a header's claims alone must never cause a large
// allocation.
func checkAlloc(t *testing.T, inputLen int, read func() (*Embeddings, error)) (*Embeddings, error) {
	var e *Embeddings
	var err error
	got := heapcheck.Allocated(func() { e, err = read() })
	const slack = 16 << 20 // read buffers and the bounded up-front allocation
	if got > uint64(slack+64*inputLen) {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, inputLen)
	}
	return e, err
}

func checkResult(t *testing.T, e *Embeddings, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrFormat) {
			t.Fatalf("error %q does not match ErrFormat", err)
		}
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Offset < 0 {
			t.Fatalf("error %q does not say where", err)
		}
		return
	}
	if len(e.Data()) != e.Len()*e.Dim() || e.Dim() <= 0 {
		t.Fatalf("%d values for %d words of dimension %d", len(e.Data()), e.Len(), e.Dim())
	}
	for i, v := range e.Data() {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("value %d is %v", i, v)
		}
	}
	seen := map[string]bool{}
	for i, w := range e.Vocab().Words() {
		if w == "" || seen[w] || len(w) > MaxWordLen {
			t.Fatalf("word %d %q is empty, repeated or too long", i, w)
		}
		seen[w] = true
		if j, ok := e.Vocab().Index(w); !ok || j != i {
			t.Fatalf("index of %q is %d, want %d", w, j, i)
		}
	}
}

func checkRoundTrip(t *testing.T, e *Embeddings, format Format) {
	t.Helper()
	if format == GloVe && e.Len() == 0 {
		return // headerless text cannot say "no words of dimension D"
	}
	var buf bytes.Buffer
	if err := e.Write(&buf, format); err != nil {
		return // words with white space cannot be written
	}
	got, err := Read(&buf, LoadOptions{Format: format})
	if err != nil {
		t.Fatalf("reading back what Write wrote: %v", err)
	}
	sameModel(t, got, e)
}

func sameModel(t *testing.T, got, want *Embeddings) {
	t.Helper()
	if got.Len() != want.Len() || got.Dim() != want.Dim() {
		t.Fatalf("round trip: %d×%d, want %d×%d", got.Len(), got.Dim(), want.Len(), want.Dim())
	}
	for i, w := range want.Vocab().Words() {
		if got.Vocab().Word(i) != w {
			t.Fatalf("round trip: word %d is %q, want %q", i, got.Vocab().Word(i), w)
		}
	}
	for i, v := range want.Data() {
		if got.Data()[i] != v {
			t.Fatalf("round trip: value %d is %v, want %v", i, got.Data()[i], v)
		}
	}
}
