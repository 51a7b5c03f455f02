package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

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

// readFile returns the contents of path, failing the test if it cannot be read.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
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
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.txt", nil)
	rare := write("rare.txt", []byte("every word once\n"))
	png := write("picture.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	b, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	cut := write("cut.gz", gz.Bytes()[:gz.Len()/2])
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
		{"a picture as corpus", []string{"-train", png}, "not a text file"},
		{"output is the corpus", []string{"-train", corpus, "-output", corpus}, "is also the input -train"},
		{"output inside the corpus directory", []string{"-train", dir, "-output", filepath.Join(dir, "vec.txt")}, "inside the input directory"},
		{"-binary against the name", []string{"-train", corpus, "-output", filepath.Join(outDir, "v.npy"), "-binary", "1"}, "says npy"},
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
			checkErrorLines(t, args, code, stderr)
			if names := onlyFiles(t, outDir); len(names) != 0 {
				t.Errorf("files left behind: %v", names)
			}
		})
	}
}

// cancelOn is a stderr that cancels a run once the log shows want: a way
// to interrupt training at a known point without timers.
type cancelOn struct {
	mu     sync.Mutex
	buf    strings.Builder
	want   string
	cancel func()
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.want) {
		c.cancel()
	}
	return len(p), nil
}

func (c *cancelOn) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// TestTrainInterruptAndResume interrupts a one-thread run at the end of
// its first epoch (the progress log's line, not a timer), resumes it from
// the checkpoint, and expects the same file as an uninterrupted run.
func TestTrainInterruptAndResume(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 3000)
	args := func(out string) []string {
		return []string{"train", "-train", corpus, "-output", out, "-size", "16", "-min-count", "1",
			"-iter", "40", "-threads", "1", "-sample", "1e-2"}
	}
	full := filepath.Join(dir, "full.txt")
	if code, _, stderr := runCmd(context.Background(), append(args(full), "-quiet")...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "vec.txt")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &cancelOn{want: "epoch 1/40 done", cancel: cancel}
	code := run(ctx, args(out), io.Discard, stderr)
	if code != exitInterrupted || !strings.Contains(stderr.String(), "wordspace train: interrupted in epoch ") ||
		!strings.Contains(stderr.String(), "checkpoint saved to "+out+".ckpt") {
		t.Fatalf("interrupted run: exit %d, want %d: %s", code, exitInterrupted, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("an interrupted run wrote the output file")
	}
	if code, _, stderr := runCmd(context.Background(), append(args(out), "-size", "32", "-resume")...); code == 0 || !strings.Contains(stderr, "-size 16") {
		t.Errorf("resume with another -size: exit %d: %s", code, stderr)
	}
	// Another corpus (the same words, one line fewer) is refused.
	other := filepath.Join(t.TempDir(), "other.txt")
	b, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, b[bytes.IndexByte(b, '\n')+1:], 0o644); err != nil {
		t.Fatal(err)
	}
	otherArgs := append(args(out), "-train", other, "-resume")
	if code, _, stderr := runCmd(context.Background(), otherArgs...); code != 1 || !strings.Contains(stderr, "not the corpus the checkpoint was trained on") {
		t.Errorf("resume on another corpus: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCmd(context.Background(), append(args(out), "-resume", "-quiet")...); code != 0 {
		t.Fatalf("resumed run: exit %d: %s", code, stderr)
	}
	a, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("the resumed run's vectors differ from the uninterrupted run's")
	}
	if _, err := os.Stat(out + ".ckpt"); err == nil {
		t.Error("checkpoint left behind after a successful resume")
	}
}
