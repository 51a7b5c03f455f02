package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

// vectorFile writes a small word2vec text model and returns its path.
func vectorFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v.txt")
	const model = "5 3\nking 0.9 0.8 0.1\nqueen 0.9 0.1 0.8\nman 0.2 0.9 0.1\nwoman 0.2 0.1 0.9\napple -0.8 0.1 0.1\n"
	if err := os.WriteFile(path, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNeighborsOutput(t *testing.T) {
	m := vectorFile(t)
	code, out, errOut := runCmd(context.Background(), "neighbors", "-model", m, "-k", "2", "king")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Scripts depend on this form: word<TAB>cosine, one a line.
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "man\t0.") && !strings.HasPrefix(lines[0], "queen\t0.") {
		t.Fatalf("output %q", out)
	}
	for _, l := range lines {
		if f := strings.Split(l, "\t"); len(f) != 2 {
			t.Fatalf("line %q is not word<TAB>cosine", l)
		}
	}
	code, out, _ = runCmd(context.Background(), "neighbors", "-model", m, "-k", "1", "-negative", "man", "king", "woman")
	if code != 0 || !strings.HasPrefix(out, "queen\t0.95") {
		t.Fatalf("king - man + woman: exit %d, %q", code, out)
	}
}

func TestVectorCommandErrors(t *testing.T) {
	m := vectorFile(t)
	bad := filepath.Join(t.TempDir(), "bad.txt")
	writeFile(t, bad, "2 3\na 1 2 3\nb 1 nan 3\n")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"neighbors", "-model", m, "nope"}, 1, `"nope": word not in vocabulary`},
		{[]string{"neighbors", "-model", m}, 2, "give at least one word"},
		{[]string{"neighbors", "-k", "3", "king"}, 2, "-model is required"},
		{[]string{"neighbors", "-model", bad, "a"}, 1, `line 3 (byte 12): word "b"`},
		{[]string{"neighbors", "-model", m, "-k", "0", "king"}, 2, "-k must be positive"},
		{[]string{"neighbors", "-model", m, "-restrict", "-1", "king"}, 2, "-restrict must not be negative"},
		{[]string{"similarity", "-model", m, "king"}, 2, "give two words"},
		{[]string{"convert", "-input", m, "-output", filepath.Join(t.TempDir(), "x"), "-binary", "2"}, 2, "-binary must be 0 or 1"},
		{[]string{"convert", "-input", m}, 2, "-output is required"},
		{[]string{"convert", "-input", m, "-output", filepath.Join(t.TempDir(), "b.bin"), "-binary", "0"}, 2, "-binary 0 asks for text but the name"},
		{[]string{"convert", "-input", m, "-output", filepath.Join(t.TempDir(), "v.npy"), "-to", "text"}, 2, "says npy"},
		{[]string{"convert", "-input", m, "-output", "-", "-to", "npy"}, 2, "cannot go to standard output"},
		{[]string{"convert", "-input", m, "-output", m}, 2, "is also the input -model"},
		{[]string{"info", "-model", filepath.Join(t.TempDir(), "missing")}, 1, "no such file"},
		{[]string{"info", "-model", m, "-format", "xml"}, 2, "unknown format"},
	}
	for _, tt := range tests {
		code, _, errOut := runCmd(context.Background(), tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
		checkErrorLines(t, tt.args, code, errOut)
	}
}

// checkErrorLines checks the shape of a failure's message: one line for a
// failure (exit 1), the mistake and a pointer to the help for a usage
// error (exit 2).
func checkErrorLines(t *testing.T, args []string, code int, stderr string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	switch {
	case code == 1 && len(lines) != 1:
		t.Errorf("%q: error is not one line: %q", args, stderr)
	case code == 2 && (len(lines) != 2 || !strings.HasPrefix(lines[1], "Run \"wordspace ")):
		t.Errorf("%q: usage error is not the mistake and a pointer to -h: %q", args, stderr)
	}
}

func TestConvertAndInfo(t *testing.T) {
	m := vectorFile(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args   []string
		output string
		format embed.Format
	}{
		{[]string{"-binary", "1"}, "a.out", embed.Binary},
		{[]string{"-binary", "0"}, "b.txt", embed.Text},
		{nil, "c.bin", embed.Binary},
		{[]string{"-to", "bin"}, "c2.bin.gz", embed.Binary},
		{[]string{"-to", "glove"}, "d.txt", embed.GloVe},
		{nil, "e.npy", embed.NPY},
	} {
		out := filepath.Join(dir, c.output)
		args := append([]string{"convert", "-input", m, "-output", out}, c.args...)
		if code, _, errOut := runCmd(context.Background(), args...); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errOut)
		}
		e, err := embed.Load(out, embed.LoadOptions{Format: c.format})
		if err != nil {
			t.Fatalf("%s as %v: %v", c.output, c.format, err)
		}
		if e.Len() != 5 || e.Dim() != 3 {
			t.Fatalf("%s: %d×%d", c.output, e.Len(), e.Dim())
		}
	}
	code, out, errOut := runCmd(context.Background(), "info", "-model", filepath.Join(dir, "c.bin"))
	if code != 0 || !strings.Contains(out, "words\t5\n") || !strings.Contains(out, "dimension\t3\n") || !strings.Contains(out, "norm max\t") {
		t.Fatalf("info: exit %d, %q %q", code, out, errOut)
	}
	code, out, _ = runCmd(context.Background(), "similarity", "-model", filepath.Join(dir, "e.npy"), "king", "queen")
	if code != 0 || !strings.HasPrefix(out, "0.") {
		t.Fatalf("similarity: exit %d, %q", code, out)
	}
}

func TestSimilarityPairs(t *testing.T) {
	e, err := embed.Load(vectorFile(t), embed.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	in := "# comment\nking queen\nking nope\n\n"
	if err := similarityPairs(context.Background(), e, strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "king\tqueen\t0.") || lines[1] != "king\tnope\t" {
		t.Fatalf("got %q", out.String())
	}
}
