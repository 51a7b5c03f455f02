package ppmi

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/james-bowman/sparse"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/heapcheck"
)

func sampleCounts(t testing.TB) *Cooccurrence {
	t.Helper()
	text := corpus.FromString("the cat sat on the mat\nthe dog sat on the log\nnew york is big\n")
	c, err := Count(context.Background(), text, vocabOf(t, text, 1), CountOptions{Window: 2, Weighting: Harmonic})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func encode(t testing.TB, c *Cooccurrence) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sameCounts(t *testing.T, a, b *Cooccurrence) {
	t.Helper()
	if a.Info() != b.Info() {
		t.Errorf("info %+v, want %+v", b.Info(), a.Info())
	}
	if !equalStrings(a.Vocab().Words(), b.Vocab().Words()) || !equalInts(a.Vocab().Counts(), b.Vocab().Counts()) {
		t.Error("vocabulary differs")
	}
	ra, rb := a.Counts().RawMatrix(), b.Counts().RawMatrix()
	if ra.I != rb.I || ra.J != rb.J || !equalInts(ra.Indptr, rb.Indptr) || !equalInts(ra.Ind, rb.Ind) || !equalFloats(ra.Data, rb.Data) {
		t.Error("matrix differs")
	}
}

func equalStrings(a, b []string) bool { return bytes.Equal([]byte(join(a)), []byte(join(b))) }
func join(s []string) string {
	var b bytes.Buffer
	for _, x := range s {
		b.WriteString(x)
		b.WriteByte(0)
	}
	return b.String()
}

func equalInts[T int | int64](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSaveLoad(t *testing.T) {
	c := sampleCounts(t)
	path := filepath.Join(t.TempDir(), "counts.cooc")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, c, got)

	// A vocabulary without counts survives too.
	words := c.Vocab().Words()
	v, _ := embed.NewVocab(words, nil)
	nc, err := NewCooccurrence(v, c.Counts(), CountInfo{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := Read(bytes.NewReader(encode(t, nc)))
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, nc, back)
	if back.Vocab().HasCounts() {
		t.Error("counts appeared from nowhere")
	}
}

func TestSaveFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "counts.cooc")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := sampleCounts(t)
	bad.info.Weighting = 99 // cannot be encoded
	if err := bad.Save(path); err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("file now holds %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files left in the directory", len(entries))
	}
}

func TestReadRejectsDamage(t *testing.T) {
	good := encode(t, sampleCounts(t))
	// Every truncation is an error.
	for n := range len(good) {
		if _, err := Read(bytes.NewReader(good[:n])); !errors.Is(err, ErrFormat) {
			t.Fatalf("truncated to %d of %d bytes: got %v, want ErrFormat", n, len(good), err)
		}
	}
	// Every single flipped bit is an error (structure or checksum).
	for i := range len(good) {
		bad := bytes.Clone(good)
		bad[i] ^= 0x10
		if _, err := Read(bytes.NewReader(bad)); !errors.Is(err, ErrFormat) {
			t.Fatalf("byte %d flipped: got %v, want ErrFormat", i, err)
		}
	}
	// Bytes after a valid file are an error.
	for _, tail := range []string{"\x00", "x", string(good)} {
		if _, err := Read(bytes.NewReader(append(bytes.Clone(good), tail...))); !errors.Is(err, ErrFormat) {
			t.Errorf("%d bytes after the checksum: got %v, want ErrFormat", len(tail), err)
		}
	}
	// A header claiming a huge matrix fails without allocating it.
	huge := bytes.Clone(good)
	binary.LittleEndian.PutUint64(huge[16:], 1<<40)
	if _, err := Read(bytes.NewReader(huge)); !errors.Is(err, ErrFormat) {
		t.Errorf("huge nnz: got %v", err)
	}
	binary.LittleEndian.PutUint64(huge[8:], 1<<31-1)
	binary.LittleEndian.PutUint64(huge[16:], 1<<50)
	if _, err := Read(bytes.NewReader(huge)); !errors.Is(err, ErrFormat) {
		t.Errorf("huge vocabulary: got %v", err)
	}
	if _, err := Read(bytes.NewReader([]byte("WSCOOC\x00\x09"))); !errors.Is(err, ErrFormat) {
		t.Errorf("future version: got %v", err)
	}
}

func TestNewCooccurrenceChecks(t *testing.T) {
	v, _ := embed.NewVocab([]string{"a", "b"}, nil)
	cases := map[string]*sparse.CSR{
		"shape":    sparse.NewCSR(2, 3, []int{0, 0, 0}, nil, nil),
		"twice":    sparse.NewCSR(2, 2, []int{0, 2, 2}, []int{1, 1}, []float64{1, 1}),
		"range":    sparse.NewCSR(2, 2, []int{0, 1, 1}, []int{2}, []float64{1}),
		"negative": sparse.NewCSR(2, 2, []int{0, 1, 1}, []int{1}, []float64{-1}),
		"indptr":   sparse.NewCSR(2, 2, []int{0, 2, 1}, []int{1}, []float64{1}),
	}
	for name, m := range cases {
		if _, err := NewCooccurrence(v, m, CountInfo{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Columns out of order are sorted, values following.
	m := sparse.NewCSR(2, 2, []int{0, 2, 2}, []int{1, 0}, []float64{5, 7})
	c, err := NewCooccurrence(v, m, CountInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.At("a", "a"); got != 7 {
		t.Errorf("#(a,a) = %v, want 7", got)
	}
	if err := checkCSR(c.Counts(), true); err != nil {
		t.Error(err)
	}
}

func FuzzRead(f *testing.F) {
	good := encode(f, sampleCounts(f))
	f.Add(good)
	f.Add(good[:40])
	f.Add([]byte(fileMagic))
	f.Fuzz(fuzzRead)
}

// FuzzReadBody fuzzes everything before the checksum and appends the right
// checksum, so that mutations reach the decoder's checks of the sizes,
// the vocabulary, the row pointers, the columns and the values instead
// of stopping at the checksum.
func FuzzReadBody(f *testing.F) {
	for _, c := range []*Cooccurrence{sampleCounts(f), wordsOnly(f)} {
		good := encode(f, c)
		f.Add(good[:len(good)-4])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sum := crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli))
		fuzzRead(t, binary.LittleEndian.AppendUint32(slices.Clip(body), sum))
	})
}

// wordsOnly is a small matrix whose vocabulary has no counts.
func wordsOnly(t testing.TB) *Cooccurrence {
	t.Helper()
	c := sampleCounts(t)
	v, err := embed.NewVocab(c.Vocab().Words(), nil)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := NewCooccurrence(v, c.Counts(), CountInfo{Window: 3})
	if err != nil {
		t.Fatal(err)
	}
	return nc
}

func fuzzRead(t *testing.T, data []byte) {
	var c *Cooccurrence
	var err error
	got := heapcheck.Allocated(func() { c, err = Read(bytes.NewReader(data)) })
	// The read buffer and one chunk of each array, then memory in
	// proportion to the bytes actually present.
	if got > 4<<20+64*uint64(len(data)) {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, len(data))
	}
	if err != nil {
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
			t.Fatalf("error %v is not a *FormatError", err)
		}
		return
	}
	// Whatever is accepted is consistent and writes back the same.
	if err := checkCSR(c.Counts(), true); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	c2, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sameCounts(t, c, c2)
}
