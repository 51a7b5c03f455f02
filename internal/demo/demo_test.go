package demo

import (
	"context"
	"testing"
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
