package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/internal/heapcheck"
)

// FuzzTokenize feeds arbitrary text, plain or gzip-compressed (the reader
// detects it from the magic bytes, so the fuzzer also gets to write its
// own gzip headers), through the tokeniser with each kind of options, and
// checks what every reader of a corpus relies on: sentences of at most
// MaxSentenceTokens non-empty tokens of at most MaxTokenBytes without
// white space; the raw-byte path (SentenceIDs, BuildVocab) agreeing with
// Sentences; memory bounded by the reader's buffers, not the input; and
// errors only for broken compressed data.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"the cat sat\non the mat\n",
		"a\r\nb\tc\v\fd  e\n\n\n",
		"Hello, World! ÇA VA? İstanbul Ⱥ\n",
		strings.Repeat("x", MaxTokenBytes+5) + " y\n",
		strings.Repeat("w ", MaxSentenceTokens+3),
		"\x00\xff\xfe invalid utf-8 \xc3\n",
		"",
	} {
		f.Add([]byte(s), false, uint8(0))
		f.Add([]byte(s), true, uint8(1))
	}
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, false, uint8(2)) // a gzip header alone
	f.Fuzz(func(t *testing.T, data []byte, compress bool, opt uint8) {
		if compress {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(data)
			zw.Close()
			data = buf.Bytes()
		}
		opts := []TokenOptions{{}, {Lower: true}, {StripPunct: true}, {Lower: true, StripPunct: true, Stem: "english"}}[opt%4]
		c, err := New("fuzz", func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }, opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		size := textSize(data)
		var sentences [][]string
		var readErr error
		got := heapcheck.Allocated(func() {
			readErr = c.Sentences(ctx, func(s []string) error {
				sentences = append(sentences, append([]string(nil), s...))
				return nil
			})
		})
		// The 1 MiB block, gzip's state, a string per token, and the
		// tokens kept by the test: memory in proportion to the text.
		if limit := 4<<20 + 64*uint64(size); got > limit {
			t.Fatalf("allocated %d bytes for %d bytes of input", got, size)
		}
		if readErr != nil {
			if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
				t.Fatalf("error on plain text: %v", readErr)
			}
			return // broken compressed data
		}
		var words int
		for _, s := range sentences {
			if len(s) == 0 || len(s) > MaxSentenceTokens {
				t.Fatalf("sentence of %d tokens", len(s))
			}
			for _, w := range s {
				if w == "" || len(w) > MaxTokenBytes || strings.ContainsAny(w, " \t\n\r\v\f") {
					t.Fatalf("bad token %q", w)
				}
			}
			words += len(s)
		}
		if opts != (TokenOptions{}) {
			return
		}
		// The raw-byte path sees the same tokens.
		if words == 0 {
			if _, err := BuildVocab(ctx, c, VocabOptions{MinCount: 1}); err == nil {
				t.Fatal("a vocabulary from a text without words")
			}
			return
		}
		v, err := BuildVocab(ctx, c, VocabOptions{MinCount: 1})
		if err != nil {
			t.Fatal(err)
		}
		index := map[string]int32{}
		for i, w := range v.Words() {
			index[w] = int32(i)
		}
		k := 0
		err = SentenceIDs(ctx, c, index, func(ids []int32, tokens int) error {
			if k >= len(sentences) || tokens != len(sentences[k]) || len(ids) != tokens {
				t.Fatalf("sentence %d: %d ids of %d tokens, Sentences gave %d tokens", k, len(ids), tokens, len(sentences[min(k, len(sentences)-1)]))
			}
			for i, id := range ids {
				if v.Word(int(id)) != sentences[k][i] {
					t.Fatalf("sentence %d token %d: %q, Sentences gave %q", k, i, v.Word(int(id)), sentences[k][i])
				}
			}
			k++
			return nil
		})
		if err != nil || k != len(sentences) {
			t.Fatalf("SentenceIDs: %d of %d sentences, %v", k, len(sentences), err)
		}
	})
}

// textSize is the length of data, or of what it decompresses to (up to
// 64 MiB) when it starts with the gzip magic.
func textSize(data []byte) int {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return len(data)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return len(data)
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(zr, 64<<20))
	return max(len(data), int(n))
}
