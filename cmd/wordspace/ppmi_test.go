package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/ppmi"
)

// topicCorpusFile writes a corpus whose lines each draw their words from
// one of four groups, with "new york" in group a.
func topicCorpusFile(t *testing.T, dir string) string {
	return writeGroups(t, dir, groups{lines: 2000, width: 8, words: 12, seed: 3, newYork: true})
}

func TestPPMICommand(t *testing.T) {
	dir := t.TempDir()
	corpus := topicCorpusFile(t, dir)
	out := filepath.Join(dir, "vectors.bin")
	counts := filepath.Join(dir, "counts.cooc")
	code, _, stderr := runCmd(context.Background(), "ppmi", "-train", corpus, "-output", out, "-size", "8", "-binary", "1",
		"-min-count", "2", "-save-counts", counts, "-add-contexts", "-sample", "1e-3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "counted") || !strings.Contains(stderr, "SVD") {
		t.Errorf("no summary: %q", stderr)
	}
	e, err := embed.Load(out, embed.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Dim() != 8 || e.Len() != 50 { // 4·12 group words, new, york
		t.Errorf("%d words of dimension %d", e.Len(), e.Dim())
	}
	near, err := e.MostSimilar([]string{"a1"}, nil, 5, embed.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range near {
		if n.Word[0] != 'a' && n.Word != "new" && n.Word != "york" {
			t.Errorf("a1's neighbours %v leave its group", near)
			break
		}
	}
	if _, err := ppmi.Load(counts); err != nil {
		t.Fatal(err)
	}
	// Starting from the saved counts gives the same vectors.
	out2 := filepath.Join(dir, "again.bin")
	code, _, stderr = runCmd(context.Background(), "ppmi", "-load-counts", counts, "-output", out2, "-size", "8", "-binary", "1", "-add-contexts", "-quiet")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %q", code, stderr)
	}
	a := readFile(t, out)
	b := readFile(t, out2)
	if !bytes.Equal(a, b) {
		t.Error("vectors from the saved counts differ")
	}
	// Standard output.
	code, stdout, _ := runCmd(context.Background(), "ppmi", "-load-counts", counts, "-output", "-", "-size", "8", "-quiet")
	if code != 0 || !strings.HasPrefix(stdout, "50 8\n") {
		t.Errorf("-output -: exit %d, output starts %.20q", code, stdout)
	}
	// -save-counts without -output only counts.
	only := filepath.Join(dir, "only.cooc")
	code, _, stderr = runCmd(context.Background(), "ppmi", "-train", corpus, "-save-counts", only, "-min-count", "2", "-add-contexts", "-sample", "1e-3", "-quiet")
	if code != 0 {
		t.Fatalf("count only: exit %d: %s", code, stderr)
	}
	c1 := readFile(t, counts)
	c2 := readFile(t, only)
	if !bytes.Equal(c1, c2) {
		t.Error("count-only run wrote different counts")
	}
}

func TestPPMICommandErrors(t *testing.T) {
	dir := t.TempDir()
	corpus := topicCorpusFile(t, dir)
	out := filepath.Join(dir, "v.txt")
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-train", corpus}, 2, "-output is required"},
		{[]string{"-output", out}, 2, "-corpus"},
		{[]string{"-train", corpus, "-output", out, "-binary", "2"}, 2, "-binary"},
		{[]string{"-train", corpus, "-output", out, "-weighting", "cubic"}, 2, "weighting"},
		{[]string{"-train", corpus, "-output", out, "-eig", "2"}, 2, "-eig"},
		{[]string{"-train", corpus, "-output", out, "-cds", "0"}, 2, "-cds"},
		{[]string{"-train", corpus, "-output", corpus}, 2, "is also the input -corpus"},
		{[]string{"-train", corpus, "-output", out, "-save-counts", corpus}, 2, "is also the input -corpus"},
		{[]string{"-load-counts", corpus, "-save-counts", out}, 2, "would only copy"},
		{[]string{"-load-counts", corpus}, 2, "-output is required"},
		{[]string{"-train", corpus, "-output", filepath.Join(dir, "no", "v.txt")}, 1, "no/v.txt: no such file or directory"},
		{[]string{"-train", corpus, "-output", out, "-size", "500"}, 1, "larger than the vocabulary"},
		{[]string{"-train", filepath.Join(dir, "missing"), "-output", out}, 1, "missing"},
		{[]string{"-load-counts", corpus, "-output", out}, 1, "not a valid co-occurrence file"},
		{[]string{"-nonsense"}, 2, "flag provided but not defined"},
	} {
		code, _, stderr := runCmd(context.Background(), append([]string{"ppmi"}, tt.args...)...)
		if code != tt.code || !strings.Contains(stderr, tt.msg) {
			t.Errorf("%v: exit %d, %q; want exit %d mentioning %q", tt.args, code, stderr, tt.code, tt.msg)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed run left an output file")
	}
}

func TestPhrasesCommand(t *testing.T) {
	dir := t.TempDir()
	corpus := topicCorpusFile(t, dir)
	out := filepath.Join(dir, "joined.txt")
	code, stdout, stderr := runCmd(context.Background(), "phrases", "-train", corpus, "-output", out, "-threshold", "20", "-top", "3", "-quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "new_york") {
		t.Errorf("top phrases: %q", stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 2000 || !strings.Contains(string(b), "new_york") || strings.Contains(string(b), "new york") {
		t.Errorf("%d lines; new_york joined everywhere: %v", len(lines), !strings.Contains(string(b), "new york"))
	}
	// Standard output.
	code, stdout, _ = runCmd(context.Background(), "phrases", "-train", corpus, "-output", "-", "-threshold", "20", "-quiet")
	if code != 0 || stdout != string(b) {
		t.Errorf("-output -: exit %d, %d bytes, want %d", code, len(stdout), len(b))
	}
	code, _, stderr = runCmd(context.Background(), "phrases", "-train", corpus, "-output", out, "-passes", "0")
	if code != 2 || !strings.Contains(stderr, "-passes") {
		t.Errorf("-passes 0: exit %d, %q", code, stderr)
	}
}
