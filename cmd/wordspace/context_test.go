package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

func TestContextTrainAndShow(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 400)
	// Static vectors of another width than the model's: projected.
	words := []string{"a1", "a2", "b1", "b2", "c1", "c2", "d1", "d2"}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]float32, len(words)*6)
	for i := range data {
		data[i] = float32(i%5) - 2
	}
	e, err := embed.New(v, 6, data)
	if err != nil {
		t.Fatal(err)
	}
	vec := filepath.Join(dir, "v.txt")
	if err := e.Save(vec, embed.Text); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.model")
	npz := filepath.Join(dir, "m.npz")
	code, out, errOut := runCmd(context.Background(), "context", "train", "-corpus", corpus, "-vectors", vec, "-out", model,
		"-npz", npz, "-d-model", "8", "-heads", "2", "-layers", "1", "-context", "8", "-steps", "20", "-batch", "4")
	if code != 0 {
		t.Fatalf("train: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "held-out perplexity") {
		t.Errorf("train summary missing: %q", out)
	}
	png := filepath.Join(dir, "att.png")
	for _, m := range []string{model, npz} {
		code, out, errOut = runCmd(context.Background(), "context", "show", "-model", m, "-k", "2", "-attention", png, "a1 b2 zz")
		if code != 0 {
			t.Fatalf("show %s: exit %d\n%s%s", m, code, out, errOut)
		}
		for _, want := range []string{"1 unknown word(s)", "layer 0", "layer 2", "a1 "} {
			if !strings.Contains(out, want) {
				t.Errorf("show %s: output lacks %q:\n%s", m, want, out)
			}
		}
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Errorf("no attention PNG: %v", err)
	}

	// Bad input: clear errors, exit 1 or 2, no panic.
	bad := filepath.Join(dir, "bad.model")
	raw, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 1
	writeFile(t, bad, string(raw))
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"context", "show", "-model", model, strings.Repeat("a1 ", 8)}, 1, "context holds 8 tokens"},
		{[]string{"context", "show", "-model", bad, "a1"}, 1, "checksum mismatch"},
		{[]string{"context", "show", "-model", model}, 2, "give a text"},
		{[]string{"context", "show", "a1"}, 2, "-transformer is required"},
		{[]string{"context", "train", "-corpus", corpus, "-out", model, "-heads", "3"}, 2, "heads do not divide"},
		{[]string{"context", "train", "-corpus", corpus, "-out", model, "-steps", "0"}, 2, "-steps must be positive"},
		{[]string{"context", "train", "-corpus", corpus, "-out", model, "-steps", "-5"}, 2, "-steps must be positive"},
		{[]string{"context", "train", "-corpus", corpus, "-out", corpus}, 2, "is also the input -corpus"},
		{[]string{"context", "frob"}, 2, "unknown command"},
	} {
		code, out, errOut := runCmd(context.Background(), c.args...)
		if code != c.code || !strings.Contains(out+errOut, c.msg) {
			t.Errorf("%v: exit %d, output %q; want exit %d mentioning %q", c.args, code, out+errOut, c.code, c.msg)
		}
	}
}
