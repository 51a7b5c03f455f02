package corpus

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/heapcheck"
)

func TestBuildVocab(t *testing.T) {
	c := FromString("b a c a b a\nd\n")
	tests := []struct {
		opts   VocabOptions
		words  []string
		counts []int64
	}{
		{VocabOptions{MinCount: 2}, []string{"a", "b"}, []int64{3, 2}},
		{VocabOptions{MinCount: 1}, []string{"a", "b", "c", "d"}, []int64{3, 2, 1, 1}},
		{VocabOptions{MinCount: 1, MaxVocab: 3}, []string{"a", "b", "c"}, []int64{3, 2, 1}},
	}
	for _, tt := range tests {
		v, err := BuildVocab(context.Background(), c, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v.Words(), tt.words) || !slices.Equal(v.Counts(), tt.counts) {
			t.Errorf("%+v: got %v %v, want %v %v", tt.opts, v.Words(), v.Counts(), tt.words, tt.counts)
		}
	}
	// The zero options mean MinCount 5.
	if _, err := BuildVocab(context.Background(), c, VocabOptions{}); !errors.Is(err, ErrEmptyVocab) {
		t.Errorf("zero options on words seen at most 3 times: %v", err)
	}
	if _, err := BuildVocab(context.Background(), c, VocabOptions{MinCount: -1}); err == nil {
		t.Error("negative MinCount accepted")
	}
}

func TestVocabFileRoundTrip(t *testing.T) {
	v, err := BuildVocab(context.Background(), FromString("b a c a b a\nd c\n"), VocabOptions{MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteVocab(&buf, v); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "a 3\nb 2\nc 2\nd 1\n" {
		t.Errorf("written %q", got)
	}
	v2, err := ReadVocab(strings.NewReader("d 1\n\nc 2\nb 2\na 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v2.Words(), []string{"a", "c", "b", "d"}) || !slices.Equal(v2.Counts(), []int64{3, 2, 2, 1}) {
		t.Errorf("read %v %v", v2.Words(), v2.Counts())
	}
}

func TestReadVocabErrors(t *testing.T) {
	tests := []struct {
		in   string
		line int
	}{
		{"", 0},
		{"\n\n", 0},
		{"a\n", 1},
		{"a 1\n\nb -1\n", 3},
		{"a 1 2\n", 1},
		{"a x\n", 1},
		{"a 1\na 2\n", 0},
		{"a 9223372036854775807\nb 9223372036854775807\nc 9223372036854775807\n", 2},
		{"a 1\n" + strings.Repeat("w", embed.MaxWordLen+1) + " 1\n", 2},
	}
	for _, tt := range tests {
		_, err := ReadVocab(strings.NewReader(tt.in))
		var fe *FormatError
		if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) || fe.Line != tt.line {
			t.Errorf("ReadVocab(%q): got %v, want a FormatError at line %d", tt.in, err, tt.line)
		}
	}
}

func FuzzReadVocab(f *testing.F) {
	f.Add("a 3\nb 2\n")
	f.Add("a\n")
	f.Add("a 1\na 1\n")
	f.Add("a 99999999999999999999\n")
	f.Add("a 9223372036854775807\nb 9223372036854775807\nc 9223372036854775807\n")
	f.Fuzz(func(t *testing.T, s string) {
		var v *embed.Vocab
		var err error
		got := heapcheck.Allocated(func() { v, err = ReadVocab(strings.NewReader(s)) })
		// The scanner's buffer, and a few words and counts per input byte.
		if got > 1<<20+64*uint64(len(s)) {
			t.Fatalf("allocated %d bytes for %d bytes of input", got, len(s))
		}
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not match ErrFormat", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteVocab(&buf, v); err != nil {
			t.Fatal(err)
		}
		v2, err := ReadVocab(&buf)
		if err != nil || !slices.Equal(v.Words(), v2.Words()) || !slices.Equal(v.Counts(), v2.Counts()) {
			t.Fatalf("round trip changed %v %v: %v", v.Words(), v.Counts(), err)
		}
	})
}
