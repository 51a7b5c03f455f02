package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wordspace/wordspace/embed"
)

// groupCorpus writes a corpus whose lines each use the words of one group.
func groupCorpus(t *testing.T, dir string, lines int) string {
	return writeGroups(t, dir, groups{lines: lines, width: 10, words: 10, seed: 1})
}

// groups describes a corpus of lines of width words, each line drawing
// its words from one of four groups ("a0".."a<words-1>", "b0", ...);
// with newYork the fifth word of every group-a line is "new york".
type groups struct {
	lines, width, words int
	seed                uint64
	newYork             bool
}

func writeGroups(t *testing.T, dir string, c groups) string {
	t.Helper()
	r := rand.New(rand.NewPCG(c.seed, c.seed+1))
	var sb strings.Builder
	for range c.lines {
		g := r.IntN(4)
		for j := range c.width {
			if j > 0 {
				sb.WriteByte(' ')
			}
			if c.newYork && g == 0 && j == 4 {
				sb.WriteString("new york")
				continue
			}
			fmt.Fprintf(&sb, "%c%d", 'a'+g, r.IntN(c.words))
		}
		sb.WriteByte('\n')
	}
	p := filepath.Join(dir, "corpus.txt")
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCmd(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(ctx, args, &o, &e)
	return code, o.String(), e.String()
}

// onlyFiles returns the names in dir, to check that failures leave no
// partial or temporary file behind.
func onlyFiles(t *testing.T, dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestTrainWithoutArgumentsPointsToDemo(t *testing.T) {
	code, _, stderr := runCmd(context.Background(), "train")
	if code != 2 || !strings.Contains(stderr, "wordspace demo") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestTrainWritesVectors(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 2000)
	for _, binary := range []string{"0", "1"} {
		out := filepath.Join(dir, "vec"+binary)
		vocab := filepath.Join(dir, "vocab"+binary)
		code, _, stderr := runCmd(context.Background(), "train", "-train", corpus, "-output", out, "-size", "16",
			"-min-count", "1", "-iter", "3", "-threads", "2", "-binary", binary, "-save-vocab", vocab, "-quiet")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if stderr != "" {
			t.Errorf("-quiet printed %q", stderr)
		}
		e, err := embed.Load(out, embed.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if e.Len() != 40 || e.Dim() != 16 {
			t.Errorf("%d words of dimension %d", e.Len(), e.Dim())
		}
		if s1, _ := e.Similarity("a1", "a2"); s1 < 0.5 {
			t.Errorf("similarity of two words of one group: %.2f", s1)
		}
		if b, err := os.ReadFile(vocab); err != nil || strings.Count(string(b), "\n") != 40 {
			t.Errorf("vocabulary file: %v", err)
		}
		// -read-vocab takes the saved vocabulary instead of counting.
		out2 := out + ".2"
		code, _, stderr = runCmd(context.Background(), "train", "-train", corpus, "-output", out2, "-size", "8",
			"-iter", "1", "-read-vocab", vocab)
		if code != 0 || !strings.Contains(stderr, "vocabulary: 40 words") {
			t.Errorf("-read-vocab: exit %d: %s", code, stderr)
		}
	}
}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 100)
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	rare := filepath.Join(dir, "rare.txt")
	os.WriteFile(rare, []byte("every word once\n"), 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	b, _ := os.ReadFile(corpus)
	zw.Write(b)
	zw.Close()
	cut := filepath.Join(dir, "cut.gz")
	os.WriteFile(cut, gz.Bytes()[:gz.Len()/2], 0o644)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "vec.txt")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"empty corpus", []string{"-train", empty}, "no words"},
		{"all below min-count", []string{"-train", rare}, "occurs at least 5 times"},
		{"missing file", []string{"-train", filepath.Join(dir, "nope.txt")}, "no such file"},
		{"truncated gzip", []string{"-train", cut, "-min-count", "1"}, "unexpected EOF"},
		{"size 0", []string{"-train", corpus, "-size", "0"}, "vector size 0"},
		{"negative window", []string{"-train", corpus, "-window", "-2"}, "window -2"},
		{"hs not 0 or 1", []string{"-train", corpus, "-hs", "2"}, "-hs 2"},
		{"no output", []string{"-train", corpus, "-output", ""}, "-output FILE is required"},
		{"output directory missing", []string{"-train", corpus, "-output", filepath.Join(dir, "no", "vec.txt")}, "cannot write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"train", "-output", out, "-quiet"}, tc.args...)
			code, _, stderr := runCmd(context.Background(), args...)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q, want it to mention %q", code, stderr, tc.want)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("error is not one line: %q", stderr)
			}
			if names := onlyFiles(t, outDir); len(names) != 0 {
				t.Errorf("files left behind: %v", names)
			}
		})
	}
}

// TestTrainInterruptAndResume interrupts a one-thread run, resumes it from
// the checkpoint, and expects the same file as an uninterrupted run.
func TestTrainInterruptAndResume(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 3000)
	args := func(out string) []string {
		return []string{"train", "-train", corpus, "-output", out, "-size", "16", "-min-count", "1",
			"-iter", "40", "-threads", "1", "-sample", "1e-2", "-quiet"}
	}
	full := filepath.Join(dir, "full.txt")
	if code, _, stderr := runCmd(context.Background(), args(full)...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "vec.txt")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	code, _, stderr := runCmd(ctx, args(out)...)
	cancel()
	if code == 0 {
		t.Skip("training finished before the interruption; machine too fast for this test's timing")
	}
	if !strings.Contains(stderr, "checkpoint saved to "+out+".ckpt") {
		t.Fatalf("interrupted run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("an interrupted run wrote the output file")
	}
	if code, _, stderr := runCmd(context.Background(), append(args(out), "-size", "32", "-resume")...); code == 0 || !strings.Contains(stderr, "-size 16") {
		t.Errorf("resume with another -size: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(context.Background(), append(args(out), "-resume")...); code != 0 {
		t.Fatalf("resumed run: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(full)
	b, _ := os.ReadFile(out)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("the resumed run's vectors differ from the uninterrupted run's")
	}
	if _, err := os.Stat(out + ".ckpt"); err == nil {
		t.Error("checkpoint left behind after a successful resume")
	}
}
