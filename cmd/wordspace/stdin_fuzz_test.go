package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/heapcheck"
)

// The fuzz targets below feed the two commands that read standard input,
// analogy (questions, one a line) and similarity (pairs, one a line),
// arbitrary bytes: neither may panic, memory must stay in proportion to
// the input, and every line of output must have the documented form.

// stdinEmbeddings are eight words where man:king :: woman:queen holds.
func stdinEmbeddings(tb testing.TB) *embed.Embeddings {
	tb.Helper()
	words := []string{"man", "woman", "king", "queen", "boy", "girl", "prince", "princess"}
	data := []float32{
		0, 1, 0, 0.2, 0, -1, 0, 0.2, 1, 1, 0, 0.3, 1, -1, 0, 0.3,
		0, 1, 1, 0.1, 0, -1, 1, 0.1, 1, 1, 1, 0.2, 1, -1, 1, 0.2,
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := embed.New(v, 4, data)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// stdinSeeds are inputs of both commands: good lines, comments, blank and
// short lines, unknown words, A:B::C forms, EXIT, CRLF, invalid UTF-8, a
// NUL byte and a line longer than the scanners' buffers.
var stdinSeeds = []string{
	"man king woman\nboy prince girl\n",
	"man:king::woman\nman:king::woman:?\nEXIT\nboy prince girl\n",
	"# comment\nking queen\nking nope\n\n",
	"man king\r\nwoman\r\n\r\n",
	"man unicorn woman\nonly two\n:::\n::a\na::\n",
	"man\tking\twoman extra\n\xff\xfe king\n",
	"king\x00 queen\n",
	strings.Repeat("a", 70<<10) + " king\n",
	"",
}

// checkStdinMemory fails t when fn allocated more than a fixed slack (the
// scanners' buffers, up to 1 MiB, and the model) plus 64 bytes per byte
// of input.
func checkStdinMemory(t *testing.T, n int, fn func()) {
	t.Helper()
	if got, limit := heapcheck.Allocated(fn), uint64(8<<20+64*n); got > limit {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, n)
	}
}

func FuzzAnalogyStdin(f *testing.F) {
	model := filepath.Join(f.TempDir(), "toy.txt")
	if err := stdinEmbeddings(f).Save(model, embed.Text); err != nil {
		f.Fatal(err)
	}
	for _, s := range stdinSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		old := stdin
		stdin = strings.NewReader(string(in))
		defer func() { stdin = old }()
		var out, errs string
		var code int
		checkStdinMemory(t, len(in), func() {
			out, errs, code = runCLI(t, "analogy", "-model", model, "-k", "2")
		})
		switch code {
		case 0:
		case 1:
			// Only a line too long for the scanner ends the session.
			if !strings.Contains(errs, "too long") {
				t.Fatalf("exit 1: %s", errs)
			}
		default:
			t.Fatalf("exit %d: %s", code, errs)
		}
		// Each question is a header line "# …" followed by at most k
		// answers "word<TAB>score", or a line "# …: error".
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		answers := 0
		for _, l := range lines {
			switch {
			case l == "":
				if out != "" {
					t.Fatalf("empty output line in %q", out)
				}
			case strings.HasPrefix(l, "# "):
				answers = 0
			default:
				answers++
				w, s, ok := strings.Cut(l, "\t")
				if _, err := strconv.ParseFloat(s, 64); !ok || err != nil || w == "" || answers > 2 {
					t.Fatalf("answer line %q in %q", l, out)
				}
			}
		}
	})
}

func FuzzSimilarityPairs(f *testing.F) {
	e := stdinEmbeddings(f)
	for _, s := range stdinSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var out strings.Builder
		var err error
		checkStdinMemory(t, len(in), func() {
			err = similarityPairs(context.Background(), e, strings.NewReader(string(in)), &out)
		})
		// What the command should have read: the lines up to the first
		// one with a single word or over the scanner's 1 MiB limit.
		want, bad := 0, false
		for _, l := range strings.Split(string(in), "\n") {
			if len(l) > 1<<20-1 {
				bad = true
				break
			}
			fields := strings.Fields(l)
			if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
				continue
			}
			if len(fields) < 2 {
				bad = true
				break
			}
			want++
		}
		if (err != nil) != bad {
			t.Fatalf("error %v; the input has a bad line: %v", err, bad)
		}
		if err != nil {
			return // output up to the bad line is buffered and not written
		}
		got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if out.Len() == 0 {
			got = nil
		}
		if len(got) != want {
			t.Fatalf("%d output lines for %d pairs: %q", len(got), want, out.String())
		}
		for _, l := range got {
			f := strings.Split(l, "\t")
			if len(f) != 3 || f[0] == "" || f[1] == "" {
				t.Fatalf("output line %q", l)
			}
			if f[2] == "" {
				if _, err := e.Similarity(f[0], f[1]); err == nil {
					t.Fatalf("no similarity for known words: %q", l)
				}
				continue
			}
			s, err := strconv.ParseFloat(f[2], 64)
			if err != nil || s < -1.000001 || s > 1.000001 {
				t.Fatalf("similarity %q", l)
			}
		}
	})
}
