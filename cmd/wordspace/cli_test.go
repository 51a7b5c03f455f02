package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// argOrders are the ways TestFlagsAnywhere arranges a command line: flags
// first (the classic form), arguments first, arguments between the flags,
// and flags, "--", arguments.
var argOrders = []struct {
	name    string
	arrange func(flags [][]string, words []string) []string
}{
	{"flags first", func(f [][]string, w []string) []string { return append(flatten(f), w...) }},
	{"flags last", func(f [][]string, w []string) []string { return append(append([]string{}, w...), flatten(f)...) }},
	{"flags around", func(f [][]string, w []string) []string {
		k := len(f) / 2
		return append(append(flatten(f[:k]), w...), flatten(f[k:])...)
	}},
	{"flags then --", func(f [][]string, w []string) []string { return append(append(flatten(f), "--"), w...) }},
}

func flatten(groups [][]string) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// timing masks the figures that differ from run to run.
var timing = regexp.MustCompile(`[0-9.]+ ?(s|ms|µs)\b|[0-9.]+[kM]? (tokens|words)/s`)

// TestFlagsAnywhere runs every subcommand with its flags before, after and
// around its arguments and expects the same exit status, standard output
// and files each time. Commands without arguments are run with a stray
// argument, which each order must refuse alike. OUT in a flag stands for a
// directory of the run's own, so that the files of the runs can be
// compared.
func TestFlagsAnywhere(t *testing.T) {
	dir := t.TempDir()
	vec := vectorFile(t)
	toy := analogyModel(t)
	corpus := groupCorpus(t, dir, 300)
	questions := filepath.Join(dir, "q.txt")
	writeFile(t, questions, ": family\nman king woman queen\nboy prince girl princess\n")
	pairs := filepath.Join(dir, "ws.tsv")
	writeFile(t, pairs, "king queen 8\nman woman 7\nking man 3\n")
	bias := biasModel(t)
	// A transformer for context show.
	model := filepath.Join(dir, "m.model")
	if code, out, errOut := runCmd(context.Background(), "context", "train", "-corpus", corpus, "-output", model,
		"-d-model", "8", "-heads", "2", "-layers", "1", "-context", "8", "-steps", "5", "-batch", "2", "-threads", "1", "-quiet"); code != 0 {
		t.Fatalf("context train: %d %s%s", code, out, errOut)
	}

	cases := []struct {
		cmd   []string
		flags [][]string
		words []string
		files []string // outputs to compare, relative to OUT
		code  int
	}{
		{[]string{"neighbors"}, [][]string{{"-model", vec}, {"-k", "2"}, {"-negative", "man"}}, []string{"king", "woman"}, nil, 0},
		{[]string{"similarity"}, [][]string{{"-model", vec}, {"-format", "text"}}, []string{"king", "queen"}, nil, 0},
		{[]string{"analogy"}, [][]string{{"-model", toy}, {"-k", "3"}, {"-method", "mul"}}, []string{"man", "king", "woman"}, nil, 0},
		{[]string{"info"}, [][]string{{"-model", vec}, {"-limit", "3"}}, []string{"stray"}, nil, 2},
		{[]string{"convert"}, [][]string{{"-model", vec}, {"-output", "OUT/v.bin"}}, []string{"stray"}, nil, 2},
		{[]string{"convert"}, [][]string{{"-model", vec}, {"-output", "OUT/v.bin"}, {"-quiet"}}, nil, []string{"v.bin"}, 0},
		{[]string{"eval"}, [][]string{{"-model", toy}, {"-analogies", questions}, {"-similarity", pairs}, {"-json"}}, []string{"stray"}, nil, 2},
		{[]string{"train"}, [][]string{{"-train", corpus}, {"-output", "OUT/v.txt"}, {"-size", "8"}, {"-iter", "2"}, {"-threads", "1"}, {"-min-count", "1"}, {"-quiet"}}, nil, []string{"v.txt"}, 0},
		{[]string{"train"}, [][]string{{"-train", corpus}, {"-output", "OUT/v.txt"}, {"-quiet"}}, []string{"stray"}, nil, 2},
		{[]string{"ppmi"}, [][]string{{"-corpus", corpus}, {"-output", "OUT/p.txt"}, {"-size", "4"}, {"-min-count", "1"}, {"-quiet"}}, nil, []string{"p.txt"}, 0},
		{[]string{"ppmi"}, [][]string{{"-corpus", corpus}, {"-output", "OUT/p.txt"}}, []string{"stray"}, nil, 2},
		{[]string{"phrases"}, [][]string{{"-corpus", corpus}, {"-output", "OUT/j.txt"}, {"-threshold", "5"}, {"-quiet"}}, nil, []string{"j.txt"}, 0},
		{[]string{"phrases"}, [][]string{{"-corpus", corpus}, {"-output", "OUT/j.txt"}}, []string{"stray"}, nil, 2},
		{[]string{"demo"}, [][]string{{"-threads", "1"}, {"-quiet"}}, []string{"stray"}, nil, 2},
		{[]string{"serve"}, [][]string{{"-model", vec}, {"-addr", "127.0.0.1:0"}}, []string{"stray"}, nil, 2},
		{[]string{"bias", "weat"}, [][]string{{"-model", bias}, {"-test", "6"}, {"-permutations", "100"}}, nil, nil, 0},
		{[]string{"bias", "weat"}, [][]string{{"-model", bias}, {"-test", "6"}}, []string{"stray"}, nil, 2},
		{[]string{"bias", "direct"}, [][]string{{"-model", bias}, {"-top", "3"}}, []string{"stray"}, nil, 2},
		{[]string{"bias", "direct"}, [][]string{{"-model", bias}, {"-top", "3"}}, nil, nil, 0},
		{[]string{"bias", "debias"}, [][]string{{"-model", bias}, {"-output", "OUT/d.txt"}}, nil, []string{"d.txt"}, 0},
		{[]string{"bias", "report"}, [][]string{{"-model", bias}, {"-output", "OUT/r"}, {"-bootstrap", "0"}, {"-permutations", "100"}, {"-quiet"}}, nil, []string{"r/report.md"}, 0},
		{[]string{"context", "train"}, [][]string{{"-corpus", corpus}, {"-output", "OUT/t.model"}, {"-d-model", "8"}, {"-heads", "2"}, {"-layers", "1"}, {"-context", "8"}, {"-steps", "4"}, {"-batch", "2"}, {"-threads", "1"}, {"-quiet"}}, nil, []string{"t.model"}, 0},
		{[]string{"context", "show"}, [][]string{{"-transformer", model}, {"-k", "2"}, {"-attention", "OUT/a.png"}}, []string{"a1 b2", "c1"}, []string{"a.png"}, 0},
	}
	for _, c := range cases {
		name := strings.Join(c.cmd, " ")
		var first string
		var firstFiles [][]byte
		for i, order := range argOrders {
			out := t.TempDir()
			var flags [][]string
			for _, g := range c.flags {
				var h []string
				for _, a := range g {
					h = append(h, strings.ReplaceAll(a, "OUT", out))
				}
				flags = append(flags, h)
			}
			args := append(append([]string{}, c.cmd...), order.arrange(flags, c.words)...)
			code, stdout, stderr := runCmd(context.Background(), args...)
			if code != c.code {
				t.Errorf("%s, %s: exit %d, want %d: %s", name, order.name, code, c.code, stderr)
				continue
			}
			got := strings.ReplaceAll(stdout, out, "OUT")
			if c.code != 0 {
				got = stderr
			}
			got = timing.ReplaceAllString(got, "T")
			var files [][]byte
			for _, f := range c.files {
				b, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Errorf("%s, %s: %v", name, order.name, err)
				}
				files = append(files, b)
			}
			if i == 0 {
				first, firstFiles = got, files
				continue
			}
			if got != first {
				t.Errorf("%s, %s: output differs from flags first:\n%s\nvs\n%s", name, order.name, got, first)
			}
			for j := range files {
				if !bytes.Equal(files[j], firstFiles[j]) {
					t.Errorf("%s, %s: %s differs from flags first", name, order.name, c.files[j])
				}
			}
		}
	}
}

// A word that starts with "-" is a flag wherever it stands: a flag's name
// is never read as a word, an unknown one is an error, and "--" is how a
// word that starts with "-" is given.
func TestDashWords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.txt")
	writeFile(t, path, "3 2\n-x 1 0\n-negative 0.9 0.1\nking 0 1\n")
	for _, c := range []struct {
		args []string
		code int
		want string // in stdout when code is 0, else in stderr
	}{
		{[]string{"neighbors", "-model", path, "-k", "1", "--", "-x"}, 0, "-negative\t"},
		{[]string{"neighbors", "-model", path, "-k", "1", "-x"}, 2, "flag provided but not defined: -x"},
		{[]string{"neighbors", "-model", path, "king", "-negative"}, 2, "flag needs an argument: -negative"},
		{[]string{"neighbors", "king", "-model", path, "-k", "1", "-negative", "-x"}, 0, "-negative\t"},
		{[]string{"similarity", "-model", path, "--", "-x", "-negative"}, 0, "0.99"},
		{[]string{"neighbors", "-model", path, "--model", path, "-k=1", "--", "-x"}, 0, "-negative\t"},
	} {
		code, stdout, stderr := runCmd(context.Background(), c.args...)
		out := stdout
		if c.code != 0 {
			out = stderr
		}
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, stdout, stderr, c.code, c.want)
		}
	}
}

// Old spellings are aliases: the same run under either name.
func TestFlagAliases(t *testing.T) {
	vec := vectorFile(t)
	dir := t.TempDir()
	for _, c := range [][2][]string{
		{{"convert", "-model", vec, "-output", filepath.Join(dir, "a.bin"), "-quiet"}, {"convert", "-input", vec, "-output", filepath.Join(dir, "b.bin"), "-quiet"}},
		{{"analogy", "-model", vec, "-fold-case", "man", "king", "woman"}, {"analogy", "-model", vec, "-i", "man", "king", "woman"}},
	} {
		c1, o1, e1 := runCmd(context.Background(), c[0]...)
		c2, o2, e2 := runCmd(context.Background(), c[1]...)
		if c1 != 0 || c1 != c2 || o1 != o2 {
			t.Errorf("%q vs %q: exit %d %d, %q %q %s %s", c[0], c[1], c1, c2, o1, o2, e1, e2)
		}
	}
	a := readFile(t, filepath.Join(dir, "a.bin"))
	b := readFile(t, filepath.Join(dir, "b.bin"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("-input and -model wrote different files")
	}
	// The help lists the old spelling with the flag, not as a flag of its own.
	_, _, stderr := runCmd(context.Background(), "convert", "-h")
	if !strings.Contains(stderr, "(also -input)") || strings.Contains(stderr, "\n  -input") {
		t.Errorf("convert -h:\n%s", stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	for _, arg := range []string{"--version", "-version", "version"} {
		code, stdout, _ := runCmd(context.Background(), arg)
		if code != 0 || !strings.HasPrefix(stdout, "wordspace ") || !strings.Contains(stdout, "go1.") {
			t.Errorf("%s: exit %d, %q", arg, code, stdout)
		}
	}
	code, _, stderr := runCmd(context.Background(), "frobnicate")
	if code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, stderr)
	}
	for _, cmd := range [][]string{{"bias", "frob"}, {"context", "frob"}} {
		code, _, stderr := runCmd(context.Background(), cmd...)
		if code != 2 || !strings.Contains(stderr, `unknown command "frob"`) {
			t.Errorf("%v: exit %d, %q", cmd, code, stderr)
		}
	}
}

// failingWriter fails every write, as standard output does on a full disk
// or a closed pipe.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestFailedOutputIsAnError: a command whose results cannot be written
// must not exit 0 (issue 17: deferred Flush errors were dropped).
func TestFailedOutputIsAnError(t *testing.T) {
	m := vectorFile(t)
	b := biasModel(t)
	for _, args := range [][]string{
		{"neighbors", "-model", m, "king"},
		{"similarity", "-model", m, "king", "queen"},
		{"analogy", "-model", m, "man", "king", "woman"},
		{"info", "-model", m},
		{"convert", "-model", m, "-output", "-"},
		{"bias", "weat", "-model", b, "-test", "7"},
		{"bias", "direct", "-model", b, "-json"},
		{"bias", "debias", "-model", b, "-output", "-"},
	} {
		var errb bytes.Buffer
		code := run(context.Background(), args, failingWriter{}, &errb)
		if code != 1 || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("%q: exit %d, stderr %q; want 1 and the write error", args, code, errb.String())
		}
	}
}
