package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/internal/demo"
)

func TestExplainFlags(t *testing.T) {
	ctx := context.Background()
	if code, _, errOut := runCmd(ctx, "explain", "-steps", "-1"); code != 2 || !strings.Contains(errOut, "-steps must not be negative") {
		t.Errorf("negative steps: exit %d, %q", code, errOut)
	}
	if code, _, _ := runCmd(ctx, "explain", "extra"); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
	if code, _, errOut := runCmd(ctx, "explain", "-corpus", filepath.Join(t.TempDir(), "missing.txt")); code != 1 || errOut == "" {
		t.Errorf("missing corpus: exit %d, %q", code, errOut)
	}
	if code, _, _ := runCmd(ctx, "explain", "-h"); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
}

// TestExplainSmallCorpus runs the command on 3,000 sentences of the demo
// corpus, saves the models, and measures them again without training.
func TestExplainSmallCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("trains word vectors and a transformer")
	}
	ctx := context.Background()
	dir := t.TempDir()
	var sb strings.Builder
	n := 0
	stop := context.Canceled
	demo.Corpus().Sentences(ctx, func(s []string) error {
		if n++; n > 3000 {
			return stop
		}
		sb.WriteString(strings.Join(s, " ") + "\n")
		return nil
	})
	corpus := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(corpus, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report")
	code, stdout, stderr := runCmd(ctx, "explain", "-corpus", corpus, "-quick", "-texts", "30", "-out", out, "-save-models")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"1. Words are points in a space: ", "8. Training by next-word prediction: ", "report written to"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "transformer...") {
		t.Errorf("no progress lines on standard error: %q", stderr)
	}
	for _, f := range []string{"report.md", "vectors.bin", "context.model", "1-word-map.png", "8-training.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	again := filepath.Join(dir, "again")
	code, stdout, stderr = runCmd(ctx, "explain", "-corpus", corpus, "-quick", "-texts", "30", "-out", again, "-quiet",
		"-vectors", filepath.Join(out, "vectors.bin"), "-context", filepath.Join(out, "context.model"))
	if code != 0 || stderr != "" {
		t.Fatalf("with the saved models: exit %d\n%s%s", code, stdout, stderr)
	}
	md, err := os.ReadFile(filepath.Join(again, "report.md"))
	if err != nil || !strings.Contains(string(md), "The model was given, not trained here") {
		t.Errorf("report with a given model: %v", err)
	}
}
