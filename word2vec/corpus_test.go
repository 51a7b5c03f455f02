package word2vec

import (
	"context"
	"io"
	"strings"
	"testing"
)

func stringCorpus(t *testing.T, text string, opts TokenOptions) *Corpus {
	t.Helper()
	c, err := NewCorpus("test", func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(text)), nil
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
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
			var got []string
			err := stringCorpus(t, tt.text, tt.opts).Sentences(context.Background(), func(s []string) error {
				got = append(got, strings.Join(s, " "))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLongLineIsChunked(t *testing.T) {
	n := 2*MaxSentenceTokens + 7
	text := strings.Repeat("w ", n)
	var sizes []int
	err := stringCorpus(t, text, TokenOptions{}).Sentences(context.Background(), func(s []string) error {
		sizes = append(sizes, len(s))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 3 || sizes[0] != MaxSentenceTokens || sizes[1] != MaxSentenceTokens || sizes[2] != 7 {
		t.Errorf("chunk sizes %v", sizes)
	}
}

func TestBuildVocab(t *testing.T) {
	c := stringCorpus(t, "b a c a b a\nd\n", TokenOptions{})
	v, err := BuildVocab(context.Background(), c, VocabOptions{MinCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(v.Words(), " "); got != "a b" {
		t.Errorf("words %q, want \"a b\"", got)
	}
	if v.Count(0) != 3 || v.Count(1) != 2 {
		t.Errorf("counts %v", v.Counts())
	}
	if _, err := BuildVocab(context.Background(), c, VocabOptions{MinCount: 10}); err == nil {
		t.Error("no error when every word is below min-count")
	}
}
