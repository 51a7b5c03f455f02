package ann

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/heapcheck"
)

// FuzzRead feeds arbitrary bytes to Read, both with the length known and
// as a stream, for a fixed set of 60 vectors. With fix set, the fuzzer's
// bytes get valid checksums first, so that mutations reach the checks
// behind them. Bad input must end in a *FormatError or ErrMismatch,
// without allocating far beyond what the input could justify; what is
// accepted must search without failing and write back byte for byte.
func FuzzRead(f *testing.F) {
	e := mixture(f, 60, 4, 3, 1)
	for _, seed := range fuzzSeeds(f, e) {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, in []byte, fix bool) {
		if fix {
			in = fixChecksums(in)
		}
		for _, stream := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(in)
			if stream {
				r = io.MultiReader(r) // hides the length
			}
			x, err := checkAlloc(t, len(in), func() (*Index, error) { return Read(r, e) })
			if err != nil {
				var fe *FormatError
				if !errors.Is(err, ErrMismatch) && (!errors.As(err, &fe) || !errors.Is(err, ErrFormat)) {
					t.Fatalf("error %q is neither a *FormatError nor ErrMismatch", err)
				}
				continue
			}
			for i := 0; i < e.Len(); i += 7 {
				if _, err := x.Search(e.Row(i), 5, nil); err != nil {
					t.Fatal(err)
				}
			}
			var out bytes.Buffer
			if err := x.Write(&out); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), in) {
				t.Fatal("an accepted index does not write back as it was read")
			}
		}
	})
}

// fuzzSeeds returns valid indexes of e and awkward variants of them.
func fuzzSeeds(t testing.TB, e *embed.Embeddings) [][]byte {
	var seeds [][]byte
	file := func(o BuildOptions) []byte {
		var buf bytes.Buffer
		if err := build(t, e, o).Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	valid := file(BuildOptions{M: 4, Seed: 1})
	seeds = append(seeds, valid, file(BuildOptions{M: 2, EfConstruction: 3, Ef: 1, Seed: 9}))
	edit := func(fn func(b []byte)) {
		b := bytes.Clone(valid)
		fn(b)
		seeds = append(seeds, fixChecksums(b))
	}
	le := binary.LittleEndian
	edit(func(b []byte) { le.PutUint64(b[16:], 1e12) })           // a trillion vectors
	edit(func(b []byte) { le.PutUint64(b[56:], 1<<40) })          // a huge upper section
	edit(func(b []byte) { le.PutUint32(b[32:], 2048) })           // long layer-0 lists
	edit(func(b []byte) { le.PutUint32(b[44:], 60) })             // many layers
	edit(func(b []byte) { le.PutUint32(b[48:], 59) })             // entry point not on top
	edit(func(b []byte) { le.PutUint32(b[headerSize:], 9) })      // too many links
	edit(func(b []byte) { le.PutUint32(b[headerSize+4:], 1000) }) // link out of range
	edit(func(b []byte) { b[8] = 2 })                             // a future version
	edit(func(b []byte) { b[100] = 1 })                           // reserved byte set
	seeds = append(seeds, valid[:headerSize], valid[:len(valid)-1], append(bytes.Clone(valid), 0), []byte("WSHNSW\r\n"), nil)
	return seeds
}

// fixChecksums returns in with its header and body checksums recomputed,
// where it is long enough to have them.
func fixChecksums(in []byte) []byte {
	b := bytes.Clone(in)
	if len(b) < headerSize+4 {
		return b
	}
	le := binary.LittleEndian
	le.PutUint32(b[124:], crc32.Checksum(b[:124], castagnoli))
	end := len(b) - 4
	le.PutUint32(b[end:], crc32.Checksum(b[headerSize:end], castagnoli))
	return b
}

// checkAlloc runs read and fails if it allocated much more than the input
// size justifies: a header's claims alone must never cause a large
// allocation.
func checkAlloc(t *testing.T, inputLen int, read func() (*Index, error)) (*Index, error) {
	var x *Index
	var err error
	got := heapcheck.Allocated(func() { x, err = read() })
	const slack = 1 << 20 // read buffers and per-vector tables of the 60 vectors
	if got > uint64(slack+16*inputLen) {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, inputLen)
	}
	return x, err
}
