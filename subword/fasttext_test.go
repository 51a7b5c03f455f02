package subword_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/internal/testenv"
	"github.com/wordspace/wordspace/subword"
	"github.com/wordspace/wordspace/word2vec"
)

// The interchange tests run the real fastText (Debian's package fasttext):
// a model it trains loads here with the vectors it prints, and a model
// written here loads in fastText with the vectors computed here. They
// skip when fasttext is not installed, and fail then under
// WORDSPACE_REQUIRE_REFERENCE=1, as in CI.

// demoText writes the first words of the demo corpus to a file, one
// sentence a line.
func demoText(t *testing.T, words int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "corpus.txt")
	var b strings.Builder
	n := 0
	stop := errors.New("enough")
	err := demo.Corpus().Sentences(context.Background(), func(tokens []string) error {
		b.WriteString(strings.Join(tokens, " "))
		b.WriteByte('\n')
		if n += len(tokens); n >= words {
			return stop
		}
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// printWordVectors runs `fasttext print-word-vectors model` on words.
func printWordVectors(t *testing.T, fasttext, model string, words []string) map[string][]float64 {
	t.Helper()
	cmd := exec.Command(fasttext, "print-word-vectors", model)
	cmd.Stdin = strings.NewReader(strings.Join(words, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fasttext print-word-vectors: %v", err)
	}
	vecs := map[string][]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		v := make([]float64, len(f)-1)
		for i, s := range f[1:] {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("fasttext printed %q: %v", sc.Text(), err)
			}
		}
		vecs[f[0]] = v
	}
	return vecs
}

// printed is how far a value fastText printed (with 5 significant digits)
// may be from the float32 it printed, plus 1e-5.
func printed(v float64) float64 {
	if v == 0 {
		return 1e-5
	}
	e := math.Floor(math.Log10(math.Abs(v)))
	return 1e-5 + 0.5*math.Pow(10, e-4)
}

// compare checks m's vectors of words against fastText's, each component
// within what fastText's printing allows, and returns the largest
// difference over the components below 1 in magnitude (printed to 1e-5 or
// better), which must be at most 1e-5.
func compare(t *testing.T, m *subword.Model, ft map[string][]float64, words []string) float64 {
	t.Helper()
	var worst float64
	defer func() {
		if worst > 1e-5 {
			t.Errorf("largest difference of the components below 1: %.2g, more than 1e-5", worst)
		}
	}()
	for _, w := range words {
		want, ok := ft[w]
		if !ok {
			t.Fatalf("fastText printed no vector for %q", w)
		}
		got, err := m.Vector(w)
		if err != nil {
			t.Fatalf("%q: %v", w, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: dimension %d, fastText's %d", w, len(got), len(want))
		}
		for i := range got {
			d := math.Abs(float64(got[i]) - want[i])
			if math.Abs(want[i]) < 1 {
				worst = max(worst, d)
			}
			if d > printed(want[i]) {
				t.Errorf("%q (known %v) component %d: %v, fastText %v", w, m.Known(w), i, got[i], want[i])
			}
		}
	}
	return worst
}

// queryWords returns some vocabulary words and some unseen ones built
// from them (inflections, misspellings, non-ASCII).
func queryWords(m *subword.Model) (known, unseen []string) {
	words := m.Vocab().Words()
	for i := 0; i < len(words) && len(known) < 40; i += 1 + len(words)/40 {
		known = append(known, words[i])
	}
	for _, w := range known[:20] {
		for _, u := range []string{w + "ness", strings.ToUpper(w[:1]) + w[1:] + "z", "naïve" + w, w + "日本"} {
			if !m.Known(u) {
				unseen = append(unseen, u)
			}
		}
	}
	return known, unseen
}

func TestReadFastTextModel(t *testing.T) {
	fasttext := testenv.Command(t, "fasttext", "fasttext")
	text := demoText(t, 60000)
	prefix := filepath.Join(t.TempDir(), "ft")
	cmd := exec.Command(fasttext, "skipgram", "-input", text, "-output", prefix, "-dim", "24", "-minCount", "3",
		"-epoch", "2", "-minn", "3", "-maxn", "6", "-bucket", "20000", "-thread", "1", "-verbose", "0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fasttext skipgram: %v\n%s", err, out)
	}
	m, err := subword.Load(prefix + ".bin")
	if err != nil {
		t.Fatal(err)
	}
	if a := m.Args(); a.Dim != 24 || a.MinN != 3 || a.MaxN != 6 || a.Bucket != 20000 || a.Method != subword.SkipGram {
		t.Fatalf("args %+v", a)
	}
	known, unseen := queryWords(m)
	ft := printWordVectors(t, fasttext, prefix+".bin", append(known, unseen...))
	t.Logf("fastText's model: %d words; largest difference from print-word-vectors (components below 1): known %.2g, unseen %.2g (%d words)",
		m.Vocab().Len(), compare(t, m, ft, known), compare(t, m, ft, unseen), len(unseen))

	// fastText's .vec file holds the same vectors as Embeddings.
	vec, err := embed.Load(prefix+".vec", embed.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := m.Embeddings()
	if err != nil {
		t.Fatal(err)
	}
	if vec.Len() != e.Len() {
		t.Fatalf(".vec has %d words, the model %d", vec.Len(), e.Len())
	}
	for i, w := range vec.Vocab().Words() {
		for k, x := range vec.Row(i) {
			if got := e.Row(i)[k]; math.Abs(float64(got-x)) > printed(float64(x)) || e.Vocab().Word(i) != w {
				t.Fatalf(".vec row %d %q[%d] = %v, Embeddings %q %v", i, w, k, x, e.Vocab().Word(i), got)
			}
		}
	}

	// What Save writes is the file fastText wrote, byte for byte.
	ours := filepath.Join(t.TempDir(), "ours.bin")
	if err := m.Save(ours); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(prefix + ".bin")
	b, _ := os.ReadFile(ours)
	if !bytes.Equal(a, b) {
		t.Errorf("Save wrote %d bytes that differ from fastText's %d", len(b), len(a))
	}
}

// TestWriteForFastText writes a model with random weights of about the
// size trained vectors have, and checks fastText's vectors and
// neighbours from it.
func TestWriteForFastText(t *testing.T) {
	fasttext := testenv.Command(t, "fasttext", "fasttext")
	var words []string
	var counts []int64
	seen := map[string]bool{}
	demo.Corpus().Sentences(context.Background(), func(tokens []string) error {
		for _, w := range tokens {
			if !seen[w] && len(words) < 3000 {
				seen[w] = true
				words = append(words, w)
				counts = append(counts, int64(10000-len(words)))
			}
		}
		if len(words) >= 3000 {
			return errors.New("enough")
		}
		return nil
	})
	words = append(words, "naïveté", "日本語")
	counts = append(counts, 5, 5)
	vocab, err := embed.NewVocab(words, counts)
	if err != nil {
		t.Fatal(err)
	}
	const dim, bucket = 32, 50000
	r := rand.New(rand.NewPCG(7, 8))
	in := make([]float32, (len(words)+bucket)*dim)
	for i := range in {
		in[i] = float32(r.NormFloat64() * 0.3)
	}
	out := make([]float32, len(words)*dim)
	m, err := subword.New(vocab, subword.Args{Dim: dim, MinN: 3, MaxN: 6, Bucket: bucket, Epochs: 5, Window: 5, Negative: 5, MinCount: 5}, in, out, 123456)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ours.bin")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	known, unseen := queryWords(m)
	known = append(known, "naïveté", "日本語")
	ft := printWordVectors(t, fasttext, path, append(known, unseen...))
	kd, ud := compare(t, m, ft, known), compare(t, m, ft, unseen)
	t.Logf("our model in fastText: largest difference (components below 1): known %.2g, unseen %.2g (%d words)", kd, ud, len(unseen))

	// fastText's nearest neighbours: each word it gives, with its
	// cosine, must be among ours with the same cosine.
	for _, q := range []string{known[1], known[5], unseen[0], "naïveté"} {
		cmd := exec.Command(fasttext, "nn", path, "5")
		cmd.Stdin = strings.NewReader(q + "\n")
		outb, err := cmd.Output()
		if err != nil {
			t.Fatalf("fasttext nn: %v", err)
		}
		ours, err := m.MostSimilar([]string{q}, nil, 10, embed.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		score := map[string]float32{}
		for _, n := range ours {
			score[n.Word] = n.Score
		}
		var got int
		for _, line := range strings.Split(string(outb), "\n") {
			line = strings.TrimPrefix(strings.TrimSpace(line), "Query word? ")
			f := strings.Fields(line)
			if len(f) != 2 {
				continue
			}
			s, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				continue
			}
			got++
			ourScore, ok := score[f[0]]
			if !ok || math.Abs(float64(ourScore)-s) > printed(s)+1e-5 {
				t.Errorf("nn %q: fastText gives %s %v, ours %v (in our top 10: %v)", q, f[0], s, ourScore, ok)
			}
		}
		if got != 5 {
			t.Errorf("nn %q: fastText printed %d neighbours:\n%s", q, got, outb)
		}
	}
}

// TestTrainedModelInFastText saves a model wordspace trained with
// subwords and checks fastText's vectors from it.
func TestTrainedModelInFastText(t *testing.T) {
	fasttext := testenv.Command(t, "fasttext", "fasttext")
	f, err := os.Open(demoText(t, 40000))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := corpus.FromReader("demo", f, corpus.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wm, err := word2vec.Train(context.Background(), c, word2vec.Config{Dim: 20, MinCount: 3, Epochs: 2, Threads: 1, MinN: 3, MaxN: 6, Bucket: 30000})
	if err != nil {
		t.Fatal(err)
	}
	m, err := wm.SubwordModel()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trained.bin")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	known, unseen := queryWords(m)
	ft := printWordVectors(t, fasttext, path, append(known, unseen...))
	t.Logf("wordspace-trained model in fastText: largest difference (components below 1): known %.2g, unseen %.2g",
		compare(t, m, ft, known), compare(t, m, ft, unseen))
}
