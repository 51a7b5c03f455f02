package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wordspace/wordspace/internal/heapcheck"
)

// TestLongTokens checks that tokens longer than MaxTokenBytes are cut to
// it on every path (the raw-byte scan of SentenceIDs and BuildVocab, and
// Sentences with and without options), also when they straddle the
// reader's 1 MiB blocks, without splitting a UTF-8 character, and that the
// cuts are counted.
func TestLongTokens(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	text := strings.Join([]string{
		a(MaxTokenBytes - 1), a(MaxTokenBytes), // kept whole
		a(MaxTokenBytes + 1),      // cut
		a(MaxTokenBytes-1) + "é",  // cut before the é
		a(MaxTokenBytes-2) + "€x", // cut before the €
		"short\n" + a(1<<20-10),   // cut, straddling the first block
		a(3 << 20),                // cut, spanning several blocks
		"end",
	}, " ")
	const wantCut = 5
	wantLens := []int{MaxTokenBytes - 1, MaxTokenBytes, MaxTokenBytes, MaxTokenBytes - 1, MaxTokenBytes - 2, 5, MaxTokenBytes, MaxTokenBytes, 3}

	check := func(name string, c *Corpus, lens []int) {
		t.Helper()
		if len(lens) != len(wantLens) {
			t.Fatalf("%s: %d tokens, want %d", name, len(lens), len(wantLens))
		}
		for i, n := range lens {
			if n != wantLens[i] {
				t.Errorf("%s: token %d has %d bytes, want %d", name, i, n, wantLens[i])
			}
		}
		if got := c.TruncatedTokens(); got != wantCut {
			t.Errorf("%s: TruncatedTokens = %d, want %d", name, got, wantCut)
		}
	}
	for _, opts := range []TokenOptions{{}, {Lower: true}} {
		c, err := FromReader("long", strings.NewReader(text), opts)
		if err != nil {
			t.Fatal(err)
		}
		if c.TruncatedTokens() != 0 {
			t.Fatal("tokens counted before any pass")
		}
		var lens []int
		err = c.Sentences(context.Background(), func(s []string) error {
			for _, w := range s {
				if !utf8.ValidString(w) {
					t.Errorf("token of %d bytes is not valid UTF-8: a character was split", len(w))
				}
				lens = append(lens, len(w))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		check("Sentences", c, lens)

		v, err := BuildVocab(context.Background(), c, VocabOptions{MinCount: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range v.Words() {
			if len(w) > MaxTokenBytes {
				t.Errorf("BuildVocab kept a word of %d bytes", len(w))
			}
		}
		// The raw-byte path looks the cut bytes up: they must match.
		index := map[string]int32{}
		for i, w := range v.Words() {
			index[w] = int32(i)
		}
		var found int
		err = SentenceIDs(context.Background(), c, index, func(ids []int32, tokens int) error {
			found += len(ids)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if found != len(wantLens) {
			t.Errorf("SentenceIDs found %d of %d tokens in the vocabulary", found, len(wantLens))
		}
		if c.TruncatedTokens() != wantCut {
			t.Errorf("after SentenceIDs: TruncatedTokens = %d", c.TruncatedTokens())
		}
	}
}

// TestLoweringLengthens checks that a token which lower-casing lengthens
// past MaxTokenBytes is cut and counted.
func TestLoweringLengthens(t *testing.T) {
	word := strings.Repeat("Ⱥ", MaxTokenBytes/2) // 2 bytes each; ⱥ takes 3
	c, err := FromReader("upper", strings.NewReader(word+" b\n"), TokenOptions{Lower: true})
	if err != nil {
		t.Fatal(err)
	}
	got := read(t, c)
	w, _, _ := strings.Cut(got[0], " ")
	if len(w) > MaxTokenBytes || !utf8.ValidString(w) || !strings.HasPrefix(w, "ⱥⱥ") {
		t.Errorf("lower-cased token of %d bytes (valid UTF-8: %v)", len(w), utf8.ValidString(w))
	}
	if c.TruncatedTokens() != 1 {
		t.Errorf("TruncatedTokens = %d, want 1", c.TruncatedTokens())
	}
}

// TestEndlessTokenBoundedMemory reads a gzip bomb of zero bytes (64 MiB,
// one token, from 64 KiB of gzip) through every path and checks that the
// memory allocated stays near the reader's buffers instead of growing
// with the token.
func TestEndlessTokenBoundedMemory(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zero := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zero)
	}
	zw.Close()
	c, err := New("bomb", func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(gz.Bytes())), nil
	}, TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const ceiling = 8 << 20 // the 1 MiB block, gzip's window, bookkeeping
	for name, pass := range map[string]func() error{
		"Sentences": func() error { return c.Sentences(ctx, func([]string) error { return nil }) },
		"SentenceIDs": func() error {
			return SentenceIDs(ctx, c, map[string]int32{}, func([]int32, int) error { return nil })
		},
		"BuildVocab": func() error { _, err := BuildVocab(ctx, c, VocabOptions{MinCount: 1}); return err },
	} {
		var err error
		if got := heapcheck.Allocated(func() { err = pass() }); got > ceiling {
			t.Errorf("%s: allocated %d bytes for one endless token", name, got)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.TruncatedTokens() != 1 {
			t.Errorf("%s: TruncatedTokens = %d, want 1", name, c.TruncatedTokens())
		}
	}
}
