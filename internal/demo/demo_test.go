package demo

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/word2vec"
)

func TestCorpus(t *testing.T) {
	var lines, tokens int
	err := Corpus().Sentences(context.Background(), func(s []string) error {
		lines++
		tokens += len(s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The figures of NOTICE.md.
	if lines != 163157 || tokens != 2999834 {
		t.Errorf("demo corpus has %d lines and %d tokens, want 163157 and 2999834", lines, tokens)
	}
}

func TestConfigIsValid(t *testing.T) {
	c := Config()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// The settings the package documentation promises.
	if c.CBOW || c.HS || c.Dim != 100 || c.Window != 5 || c.Negative != 5 || c.Sample != 1e-4 || c.Epochs != 5 || c.Threads != 0 {
		t.Errorf("demo config %+v", c)
	}
}

// Off a terminal, the examples' progress is a line per epoch, without
// carriage returns.
func TestProgressInAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	progress, done := Progress(w)
	progress(word2vec.Progress{Epoch: 1, Epochs: 2, Done: 10, Total: 40})
	progress(word2vec.Progress{Epoch: 1, Epochs: 2, Done: 20, Total: 40, EpochDone: true})
	progress(word2vec.Progress{Epoch: 2, Epochs: 2, Done: 40, Total: 40, EpochDone: true})
	done()
	w.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if strings.Count(got, "\n") != 2 || strings.Contains(got, "\r") || !strings.HasPrefix(got, "epoch 1/2   50%") {
		t.Errorf("pipe got %q, want two lines, one per epoch", got)
	}
}
