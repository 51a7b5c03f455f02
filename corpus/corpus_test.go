package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func read(t *testing.T, src Source) []string {
	t.Helper()
	var got []string
	err := src.Sentences(context.Background(), func(s []string) error {
		got = append(got, strings.Join(s, " "))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts TokenOptions
		want []string
	}{
		{"lines", "a b\nc\n\n d  e \n", TokenOptions{}, []string{"a b", "c", "d e"}},
		{"no final newline", "a b\nc", TokenOptions{}, []string{"a b", "c"}},
		{"crlf", "a b\r\nc\r\n", TokenOptions{}, []string{"a b", "c"}},
		{"lower", "The Cat\n", TokenOptions{Lower: true}, []string{"the cat"}},
		{"punct", "Hello, world! -- ok\n", TokenOptions{StripPunct: true}, []string{"Hello world ok"}},
		{"stem", "running cats\n", TokenOptions{Stem: "english"}, []string{"run cat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromReader("test", strings.NewReader(tt.text), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := read(t, c); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLongLineIsChunked(t *testing.T) {
	n := 2*MaxSentenceTokens + 7
	var sizes []int
	err := FromString(strings.Repeat("w ", n)).Sentences(context.Background(), func(s []string) error {
		sizes = append(sizes, len(s))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sizes, []int{MaxSentenceTokens, MaxSentenceTokens, 7}) {
		t.Errorf("chunk sizes %v", sizes)
	}
}

// wrapped hides a Corpus behind the Source interface, so that readers
// take their general path.
type wrapped struct{ Source }

// TestFastPathAgrees checks that the raw-byte path of SentenceIDs and
// BuildVocab gives what the general path gives, across block boundaries
// and long lines.
func TestFastPathAgrees(t *testing.T) {
	var sb strings.Builder
	for i := range 300_000 {
		sb.WriteString([]string{"the", "cat", "sat", "on", "a", "mat", "x"}[i%7])
		switch {
		case i%13 == 0:
			sb.WriteString("\n")
		case i == 150_000:
			sb.WriteString(strings.Repeat(" y", MaxSentenceTokens+3) + " ")
		default:
			sb.WriteString(" ")
		}
	}
	c := FromString(sb.String())
	ctx := context.Background()
	type sent struct {
		ids    []int32
		tokens int
	}
	collect := func(src Source) []sent {
		var out []sent
		index := map[string]int32{"cat": 0, "mat": 1, "y": 2}
		err := SentenceIDs(ctx, src, index, func(ids []int32, tokens int) error {
			out = append(out, sent{slices.Clone(ids), tokens})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	fast, slow := collect(c), collect(wrapped{c})
	if len(fast) < 1000 || !slices.EqualFunc(fast, slow, func(a, b sent) bool { return a.tokens == b.tokens && slices.Equal(a.ids, b.ids) }) {
		t.Errorf("SentenceIDs: %d sentences on the fast path, %d on the general path, or they differ", len(fast), len(slow))
	}
	vf, err := BuildVocab(ctx, c, VocabOptions{MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := BuildVocab(ctx, wrapped{c}, VocabOptions{MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vf.Words(), vs.Words()) || !slices.Equal(vf.Counts(), vs.Counts()) {
		t.Errorf("BuildVocab: fast %v %v, general %v %v", vf.Words(), vf.Counts(), vs.Words(), vs.Counts())
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("c d\ne"))
	zw.Close()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "1.txt"), []byte("a b"), 0o644) // no final newline: still its own sentence
	os.WriteFile(filepath.Join(sub, "2.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "z.txt"), []byte("f\n"), 0o644)
	c, err := Open([]string{sub, filepath.Join(dir, "z.txt")}, TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, c), []string{"a b", "c d", "e", "f"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if !strings.Contains(c.Name(), "sub") {
		t.Errorf("name %q", c.Name())
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("some words here\n"), 5000))
	zw.Close()
	cut := filepath.Join(dir, "cut.gz")
	os.WriteFile(cut, gz.Bytes()[:gz.Len()/2], 0o644)
	c, err := Open([]string{cut}, TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BuildVocab(context.Background(), c, VocabOptions{}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated gzip: got %v", err)
	}
	if _, err := Open([]string{filepath.Join(dir, "missing.txt")}, TokenOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
	if _, err := Open(nil, TokenOptions{}); err == nil {
		t.Error("no files accepted")
	}
	if _, err := FromReader("x", strings.NewReader("a"), TokenOptions{Stem: "klingon"}); err == nil {
		t.Error("unknown stemmer language accepted")
	}
	for _, text := range []string{"", "\n \n\t\n"} {
		if _, err := BuildVocab(context.Background(), FromString(text), VocabOptions{}); !errors.Is(err, ErrEmptyVocab) {
			t.Errorf("BuildVocab(%q): got %v", text, err)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := FromString(strings.Repeat("a b c\n", 1<<18))
	if err := c.Sentences(ctx, func([]string) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	stop := errors.New("stop")
	if err := c.Sentences(context.Background(), func([]string) error { return stop }); err != stop {
		t.Errorf("callback error: got %v", err)
	}
}

func TestFromFunc(t *testing.T) {
	c := FromFunc("upper", func(ctx context.Context, fn func([]string) error) error {
		return FromString("a b\nc\n").Sentences(ctx, func(s []string) error {
			for i := range s {
				s[i] = strings.ToUpper(s[i])
			}
			return fn(s)
		})
	})
	if got := read(t, c); !slices.Equal(got, []string{"A B", "C"}) {
		t.Errorf("got %q", got)
	}
	v, err := BuildVocab(context.Background(), c, VocabOptions{MinCount: 1})
	if err != nil || !slices.Equal(v.Words(), []string{"A", "B", "C"}) {
		t.Errorf("vocabulary %v, %v", v, err)
	}
}
