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
	if c := Config(); c.Dim <= 0 || c.Epochs <= 0 || c.Sample != 1e-4 {
		t.Errorf("demo config %+v", c)
	}
}
