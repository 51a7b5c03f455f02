package subword

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/wordspace/wordspace/internal/heapcheck"
)

// FuzzRead feeds arbitrary bytes to Read, with the size known and as a
// stream, and checks that bad input ends in a *FormatError, that nothing
// allocates far beyond what the input could justify, and that what is
// accepted survives a round trip.
func FuzzRead(f *testing.F) {
	for _, args := range []Args{ngramArgs, {}, {Method: CBOW, Loss: HierarchicalSoftmax, MinN: 1, MaxN: 2, Bucket: 2}} {
		var buf bytes.Buffer
		if err := testModel(f, args).Write(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:buf.Len()/2])
	}
	f.Add([]byte{})
	f.Add([]byte("2 3\nking 0.1 0.2 0.3\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, stream := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(in)
			if stream {
				r = io.MultiReader(r) // hides the size
			}
			var m *Model
			var err error
			got := heapcheck.Allocated(func() { m, err = Read(r) })
			const slack = 4 << 20 // read buffers and the bounded up-front allocations
			if got > uint64(slack+64*len(in)) {
				t.Fatalf("allocated %d bytes for %d bytes of input", got, len(in))
			}
			if err != nil {
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("error %q is not a *FormatError", err)
				}
				continue
			}
			if _, err := m.Embeddings(); err != nil {
				continue // finite rows whose sum overflows
			}
			var buf bytes.Buffer
			if err := m.Write(&buf); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), in) {
				t.Fatalf("Write does not give back the %d bytes read (%d bytes)", len(in), buf.Len())
			}
		}
	})
}
