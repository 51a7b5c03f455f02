package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pipeStderr returns a pipe to use as a command's standard error (not a
// terminal, as under nohup or in CI) and a function that closes it and
// returns what was written.
func pipeStderr(t *testing.T) (*os.File, func() string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		r.Close()
		got <- string(b)
	}()
	return w, func() string {
		w.Close()
		return <-got
	}
}

// With standard error a pipe, training logs a plain line at the end of
// every epoch (word2vec) and at every held-out evaluation (transformer),
// with no control characters.
func TestProgressLogLines(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 500)
	w, read := pipeStderr(t)
	code := run(context.Background(), []string{"train", "-train", corpus, "-output", filepath.Join(dir, "v.txt"),
		"-size", "8", "-iter", "4", "-min-count", "1", "-threads", "1"}, io.Discard, w)
	log := read()
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, log)
	}
	for e := 1; e <= 4; e++ {
		want := regexp.MustCompile(`(?m)^train: [0-9.]+%  epoch ` + string(rune('0'+e)) + `/4 done  .* words/s  alpha [0-9.]+  loss [0-9.]+  \d+s elapsed`)
		if !want.MatchString(log) {
			t.Errorf("no line for the end of epoch %d in the log:\n%s", e, log)
		}
	}
	if strings.ContainsAny(log, "\r\x1b") {
		t.Errorf("control characters in the log: %q", log)
	}

	w, read = pipeStderr(t)
	var stdout strings.Builder
	code = run(context.Background(), []string{"context", "train", "-corpus", corpus, "-output", filepath.Join(dir, "m.model"),
		"-d-model", "8", "-heads", "2", "-layers", "1", "-context", "8", "-steps", "30", "-eval-every", "10",
		"-batch", "2", "-threads", "1"}, &stdout, w)
	log = read()
	if code != 0 {
		t.Fatalf("context train: exit %d: %s", code, log)
	}
	for _, step := range []string{"10", "20", "30"} {
		want := regexp.MustCompile(`(?m)^train: [0-9.]+%  step ` + step + `/30  loss [0-9.]+  ppl [0-9.]+  .* tok/s  held-out ppl [0-9.]+`)
		if !want.MatchString(log) {
			t.Errorf("no line for the evaluation at step %s in the log:\n%s", step, log)
		}
	}
	if strings.ContainsAny(log, "\r\x1b") {
		t.Errorf("control characters in the log: %q", log)
	}
}

// Between events, a log gets a line at least every p.every.
func TestProgressLogEvery(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, false)
	p.every = 0
	for i := range 5 {
		p.set("count", int64(i), 10, "")
	}
	if n := strings.Count(b.String(), "\n"); n != 5 {
		t.Errorf("%d lines with no minimum interval, want 5:\n%s", n, b.String())
	}
	b.Reset()
	p.every = logEvery
	p.set("svd", 1, 10, "")
	p.set("svd", 2, 10, "")
	p.mark("svd", 3, 10, "an event")
	if got := b.String(); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "svd: 30.0%  an event") {
		t.Errorf("within logEvery, want only the event's line: %q", got)
	}
	b.Reset()
	newProgress(&b, true).mark("x", 1, 1, "quiet")
	if b.Len() != 0 {
		t.Errorf("quiet progress wrote %q", b.String())
	}
}
