package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/subword"
)

// trainSubword trains a small subword model with the command line and
// returns the paths of its .vec and .bin.
func trainSubword(t *testing.T) (vec, bin string) {
	t.Helper()
	dir := t.TempDir()
	text := groupCorpus(t, dir, 400)
	vec, bin = filepath.Join(dir, "m.vec"), filepath.Join(dir, "m.bin")
	code, _, errOut := runCmd(context.Background(), "train", "-train", text, "-output", vec, "-save-model", bin,
		"-size", "12", "-min-count", "1", "-iter", "2", "-threads", "1", "-minn", "2", "-maxn", "4", "-bucket", "500", "-quiet")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	return vec, bin
}

func TestVectorsCommand(t *testing.T) {
	_, bin := trainSubword(t)
	m, err := subword.Load(bin)
	if err != nil {
		t.Fatal(err)
	}
	old := stdin
	defer func() { stdin = old }()
	for _, tc := range []struct {
		digits string
		prec   int
	}{{"", 5}, {"0", -1}, {"3", 3}} {
		args := []string{"vectors", "-model", bin}
		if tc.digits != "" {
			args = append(args, "-digits", tc.digits)
		}
		stdin = strings.NewReader("a1 a17\nzz\n")
		checkVectorsOutput(t, m, tc.prec, args)
	}
	stdin = strings.NewReader("a1\n")
	if code, _, errOut := runCmd(context.Background(), "vectors", "-model", bin, "-digits", "-1"); code != 2 || !strings.Contains(errOut, "-digits -1") {
		t.Errorf("-digits -1: exit %d, %q", code, errOut)
	}
}

// checkVectorsOutput runs the vectors command and checks each printed
// value against the model's vector rounded to prec significant digits.
func checkVectorsOutput(t *testing.T, m *subword.Model, prec int, args []string) {
	t.Helper()
	code, out, errOut := runCmd(context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %q", len(lines), out)
	}
	for i, w := range []string{"a1", "a17", "zz"} {
		f := strings.Fields(lines[i])
		want, err := m.Vector(w)
		if err != nil || f[0] != w || len(f) != 13 {
			t.Fatalf("line %q for %q (%v)", lines[i], w, err)
		}
		for k, s := range f[1:] {
			if ws := strconv.FormatFloat(float64(want[k]), 'g', prec, 32); s != ws {
				t.Fatalf("%v: %q component %d: printed %s, want %s", args, w, k, s, ws)
			}
		}
	}
}

func TestUnseenWordsFromBin(t *testing.T) {
	_, bin := trainSubword(t)
	code, out, errOut := runCmd(context.Background(), "neighbors", "-model", bin, "-k", "3", "a17")
	if code != 0 || !strings.Contains(errOut, `"a17" is not in the vocabulary`) || len(strings.Split(strings.TrimSpace(out), "\n")) != 3 {
		t.Errorf("neighbors of an unseen word: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCmd(context.Background(), "analogy", "-model", bin, "-k", "2", "a1", "b17", "c2")
	if code != 0 || !strings.Contains(out, "n-grams only: b17") {
		t.Errorf("analogy with an unseen word: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCmd(context.Background(), "neighbors", "-model", bin, "-k", "3", "a1")
	if code != 0 || errOut != "" {
		t.Errorf("neighbors of a known word: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestSubwordBadInput(t *testing.T) {
	_, bin := trainSubword(t)
	good, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut short", good[:len(good)/2], "unexpected EOF"},
		{"magic", append([]byte{1, 2, 3, 4}, good[4:]...), "not a fastText model"},
		{"version", slices.Concat(good[:4], []byte{99, 0, 0, 0}, good[8:]), "version 99"},
		{"ftz", ftz(good), "quantised models (.ftz) are not supported"},
	} {
		p := filepath.Join(dir, c.name+".bin")
		os.WriteFile(p, c.data, 0o644)
		if c.name == "magic" {
			// Not a model: read as vectors by embed, which says what it is.
			code, _, errOut := runCmd(context.Background(), "vectors", "-model", p)
			if code != 1 || errOut == "" {
				t.Errorf("%s: exit %d, stderr %q", c.name, code, errOut)
			}
			continue
		}
		code, _, errOut := runCmd(context.Background(), "vectors", "-model", p)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", c.name, code, errOut, c.want)
		}
	}
	text := groupCorpus(t, dir, 50)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-minn", "7", "-maxn", "6"}, "-minn 7 is larger than -maxn 6"},
		{[]string{"-maxn", "6", "-bucket", "0"}, "-bucket 0 with n-grams"},
	} {
		out := t.TempDir()
		args := append([]string{"train", "-train", text, "-output", filepath.Join(out, "v.vec"), "-save-model", filepath.Join(out, "v.bin")}, c.args...)
		code, _, errOut := runCmd(context.Background(), args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
		if files := onlyFiles(t, out); len(files) != 0 {
			t.Errorf("%v left files behind: %v", c.args, files)
		}
	}
}

// TestSubwordTextDigits checks that train with subwords writes its text
// -output rounded to 5 significant digits, as fastText writes .vec files:
// each value is the rounding of the model's vector for the word.
func TestSubwordTextDigits(t *testing.T) {
	vec, bin := trainSubword(t)
	m, err := subword.Load(bin)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(vec)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")[1:]
	if len(lines) != m.Vocab().Len() {
		t.Fatalf("%d vectors in %s, %d words in the model", len(lines), vec, m.Vocab().Len())
	}
	rounded := 0
	for _, line := range lines {
		f := strings.Fields(line)
		want, err := m.Vector(f[0])
		if err != nil {
			t.Fatal(err)
		}
		for k, s := range f[1:] {
			if w := strconv.FormatFloat(float64(want[k]), 'g', 5, 32); s != w {
				t.Fatalf("%q component %d: wrote %s, want %s (5 digits of %v)", f[0], k, s, w, want[k])
			}
			if s != strconv.FormatFloat(float64(want[k]), 'g', -1, 32) {
				rounded++
			}
		}
	}
	if rounded == 0 {
		t.Error("no value was rounded: the output has full precision")
	}
}

// TestSubwordOutputsChecked checks that -save-model is checked before any
// work, as every output is, and that eval -subwords wants a model.
func TestSubwordOutputsChecked(t *testing.T) {
	dir := t.TempDir()
	text := groupCorpus(t, dir, 50)
	out := t.TempDir()
	for _, c := range []struct {
		model string
		code  int
		want  string
	}{
		{filepath.Join(out, "missing", "v.bin"), 1, "cannot write -save-model"},
		{text, 2, "-save-model " + text + " is also the input -train"},
		{filepath.Join(out, "v.vec"), 2, "both name"},
	} {
		code, _, errOut := runCmd(context.Background(), "train", "-train", text, "-output", filepath.Join(out, "v.vec"),
			"-save-model", c.model, "-maxn", "4", "-size", "8", "-min-count", "1", "-quiet")
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("-save-model %s: exit %d, stderr %q, want %d and %q", c.model, code, errOut, c.code, c.want)
		}
		if files := onlyFiles(t, out); len(files) != 0 {
			t.Errorf("-save-model %s left files behind: %v", c.model, files)
		}
	}
	vec, _ := trainSubword(t)
	q := filepath.Join(dir, "q.txt")
	os.WriteFile(q, []byte(": s\na1 a2 b1 b2\n"), 0o644)
	code, _, errOut := runCmd(context.Background(), "eval", "-model", vec, "-analogies", q, "-subwords")
	if code != 2 || !strings.Contains(errOut, "-subwords needs a fastText .bin model") {
		t.Errorf("eval -subwords with a .vec: exit %d, stderr %q", code, errOut)
	}
}

// ftz marks a model's input matrix as quantised, as `fasttext quantize`
// does; the reader must refuse it before reading on.
func ftz(bin []byte) []byte {
	m, err := subword.Read(strings.NewReader(string(bin)))
	if err != nil {
		panic(err)
	}
	at := 8 + 56 + 28
	for _, w := range m.Vocab().Words() {
		at += len(w) + 1 + 8 + 1
	}
	out := slices.Clone(bin)
	out[at] = 1
	return out
}
