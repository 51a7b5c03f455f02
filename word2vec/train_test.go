package word2vec

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

// lowerCorpus is text read with lower-casing, which takes the readers'
// general path rather than the raw-byte one.
func lowerCorpus(t *testing.T, text string) *corpus.Corpus {
	t.Helper()
	c, err := corpus.FromReader("lower", strings.NewReader(text), corpus.TokenOptions{Lower: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// topicText makes a corpus with known structure: words come in groups
// ("a0".."a7", "b0".."b7", ...) and each line draws its words from one
// group, so words of a group share contexts and should end up closer to
// each other than to other groups' words.
func topicText(lines, groups, perGroup, lineLen int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 7))
	var sb strings.Builder
	for range lines {
		g := r.IntN(groups)
		for j := range lineLen {
			if j > 0 {
				sb.WriteByte(' ')
			}
			fmt.Fprintf(&sb, "%c%d", 'a'+g, r.IntN(perGroup))
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// vectors returns m's word vectors, failing t if they are not finite.
func vectors(t *testing.T, m *Model) *embed.Embeddings {
	t.Helper()
	e, err := m.Embeddings()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func tokenCount(text string) int64 { return int64(len(strings.Fields(text))) }

func testConfig() Config {
	c := DefaultConfig()
	c.Dim = 16
	c.MinCount = 1
	c.Sample = -1
	c.Alpha = 0.025
	c.Epochs = 3
	c.Threads = 1
	return c
}

// groupSeparation returns the mean cosine within groups minus the mean
// across groups.
func groupSeparation(t *testing.T, e *embed.Embeddings) float64 {
	t.Helper()
	var in, out float64
	var nin, nout int
	words := e.Vocab().Words()
	for i, a := range words {
		for _, b := range words[:i] {
			s, err := e.Similarity(a, b)
			if err != nil {
				t.Fatal(err)
			}
			if a[0] == b[0] {
				in += float64(s)
				nin++
			} else {
				out += float64(s)
				nout++
			}
		}
	}
	return in/float64(nin) - out/float64(nout)
}

func TestTrainLearnsGroups(t *testing.T) {
	text := topicText(3000, 4, 8, 12, 1)
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"skip-gram negative", func(c *Config) { c.PerPairNegatives = true }},
		{"skip-gram shared negatives", func(c *Config) { c.PerPairNegatives = false }},
		{"skip-gram hs", func(c *Config) { c.Negative, c.HS = -1, true }},
		{"skip-gram hs+negative", func(c *Config) { c.HS = true }},
		{"cbow negative", func(c *Config) { c.CBOW, c.Alpha = true, 0.05 }},
		{"cbow hs", func(c *Config) { c.CBOW, c.Alpha, c.Negative, c.HS = true, 0.05, -1, true }},
		{"subsampling, 2 threads", func(c *Config) { c.Sample, c.Threads = 1e-2, 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			tc.edit(&cfg)
			var last Progress
			cfg.Progress = func(p Progress) { last = p }
			m, err := Train(context.Background(), corpus.FromString(text), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if sep := groupSeparation(t, vectors(t, m)); sep < 0.3 {
				t.Errorf("within-group minus across-group cosine = %.3f, want ≥ 0.3", sep)
			}
			if !last.EpochDone || last.Epoch != cfg.Epochs || last.Examples == 0 || !(last.MeanLoss() > 0) {
				t.Errorf("last progress report %+v", last)
			}
		})
	}
}

// TestEveryEpochSeesEveryWord guards against the C tool's bug of never
// resetting end-of-file between epochs, which skips much of the training
// with several threads.
func TestEveryEpochSeesEveryWord(t *testing.T) {
	text := topicText(2000, 3, 50, 9, 2) + strings.Repeat("w ", 2*corpus.MaxSentenceTokens+3) + "\n" + topicText(500, 3, 50, 9, 3)
	tokens := tokenCount(text)
	for _, minCount := range []int{1, 30} {
		cfg := testConfig()
		cfg.Threads, cfg.Epochs, cfg.MinCount, cfg.Sample = 3, 4, minCount, 1e-3
		var reports []Progress
		var mu sync.Mutex
		cfg.Progress = func(p Progress) { mu.Lock(); reports = append(reports, p); mu.Unlock() }
		cfg.ProgressInterval = time.Millisecond
		c := corpus.FromString(text)
		m, err := Train(context.Background(), c, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var inVocab int64
		for _, n := range m.Vocab().Counts() {
			inVocab += n
		}
		if minCount == 1 && inVocab != tokens {
			t.Fatalf("vocabulary counts %d words, corpus has %d", inVocab, tokens)
		}
		p := m.Progress()
		if p.Done != int64(cfg.Epochs)*inVocab || p.Tokens != int64(cfg.Epochs)*tokens {
			t.Errorf("min-count %d: processed %d words and %d tokens, want %d × %d and %d × %d",
				minCount, p.Done, p.Tokens, cfg.Epochs, inVocab, cfg.Epochs, tokens)
		}
		// The epoch-closing reports say the same, epoch by epoch.
		var ends []int64
		for _, r := range reports {
			if r.EpochDone {
				ends = append(ends, r.Done)
			}
		}
		for i, w := range ends {
			if w != int64(i+1)*inVocab {
				t.Errorf("min-count %d: epoch %d ended at %d words, want %d", minCount, i+1, w, int64(i+1)*inVocab)
			}
		}
		if len(ends) != cfg.Epochs {
			t.Errorf("%d epoch-closing reports, want %d", len(ends), cfg.Epochs)
		}
	}
}

// TestTokenOptionsPath trains through the slower path that applies token
// options, and checks it counts like the fast one.
func TestTokenOptionsPath(t *testing.T) {
	text := strings.ToUpper(topicText(1000, 3, 10, 8, 11))
	cfg := testConfig()
	cfg.Threads, cfg.Epochs = 2, 2
	m, err := Train(context.Background(), lowerCorpus(t, text), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Progress(); p.Done != 2*tokenCount(text) || !m.Vocab().Contains("a1") {
		t.Errorf("words %d, want %d; vocabulary %v", p.Done, 2*tokenCount(text), m.Vocab().Words())
	}
	if sep := groupSeparation(t, vectors(t, m)); sep < 0.3 {
		t.Errorf("group separation %.3f", sep)
	}
}

func TestDeterministicWithOneThread(t *testing.T) {
	text := topicText(500, 3, 10, 10, 4)
	train := func(seed uint64, shared bool) []float32 {
		cfg := testConfig()
		cfg.Seed, cfg.PerPairNegatives, cfg.Sample = seed, !shared, 1e-2
		m, err := Train(context.Background(), corpus.FromString(text), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return vectors(t, m).Data()
	}
	for _, shared := range []bool{false, true} {
		a, b, c := train(7, shared), train(7, shared), train(8, shared)
		if !slices.Equal(a, b) {
			t.Errorf("shared=%v: two runs with seed 7 differ", shared)
		}
		if slices.Equal(a, c) {
			t.Errorf("shared=%v: seeds 7 and 8 give the same vectors", shared)
		}
	}
}

// TestResumeMatchesUninterrupted cancels a one-thread run part-way, saves
// and reloads a checkpoint, resumes, and expects the very vectors of an
// uninterrupted run.
func TestResumeMatchesUninterrupted(t *testing.T) {
	text := topicText(6000, 3, 20, 10, 5)
	cfg := testConfig()
	cfg.Sample = 1e-2
	full, err := Train(context.Background(), corpus.FromString(text), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, stopAt := range []int64{15000, 100000} {
		ctx, cancel := context.WithCancel(context.Background())
		c := cfg
		c.ProgressInterval = time.Microsecond
		c.Progress = func(p Progress) {
			if p.Done >= stopAt {
				cancel()
			}
		}
		m, err := Train(ctx, corpus.FromString(text), c)
		cancel()
		if err == nil && stopAt > 15000 {
			t.Logf("stop at %d: training ended before the cancellation reached it", stopAt)
			continue
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stop at %d: got %v, want a cancellation", stopAt, err)
		}
		if m.Done() || m.Progress().Done == 0 {
			t.Fatalf("stop at %d: progress %+v", stopAt, m.Progress())
		}
		var buf bytes.Buffer
		if err := m.WriteCheckpoint(&buf); err != nil {
			t.Fatal(err)
		}
		m2, err := ReadCheckpoint(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := m2.Resume(context.Background(), corpus.FromString(text), nil); err != nil {
			t.Fatal(err)
		}
		if !m2.Done() || m2.Progress().Done != full.Progress().Done {
			t.Errorf("stop at %d: resumed run processed %d words, uninterrupted %d", stopAt, m2.Progress().Done, full.Progress().Done)
		}
		if !slices.Equal(vectors(t, m2).Data(), vectors(t, full).Data()) {
			t.Errorf("stop at %d (stopped after %d words): resumed vectors differ from uninterrupted ones", stopAt, m.Progress().Done)
		}
	}
}

// The corpus fingerprint travels through a checkpoint; a model without
// one reads back without one.
func TestCheckpointKeepsCorpusFingerprint(t *testing.T) {
	text := corpus.FromString(topicText(100, 2, 5, 6, 6))
	m, err := Train(context.Background(), text, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, fp := range []string{"", "sha256:0123456789abcdef"} {
		m.SetCorpusFingerprint(fp)
		var buf bytes.Buffer
		if err := m.WriteCheckpoint(&buf); err != nil {
			t.Fatal(err)
		}
		m2, err := ReadCheckpoint(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if m2.CorpusFingerprint() != fp {
			t.Errorf("fingerprint %q read back as %q", fp, m2.CorpusFingerprint())
		}
	}
}

func TestCheckpointRejectsDamage(t *testing.T) {
	cfg := testConfig()
	cfg.HS = true
	m, err := Train(context.Background(), corpus.FromString(topicText(100, 2, 5, 6, 6)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteCheckpoint(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	if _, err := ReadCheckpoint(bytes.NewReader(good)); err != nil {
		t.Fatalf("intact checkpoint: %v", err)
	}
	for _, n := range []int{0, 5, 12, 40, len(good) / 2, len(good) - 1} {
		if _, err := ReadCheckpoint(bytes.NewReader(good[:n])); !errors.Is(err, ErrFormat) {
			t.Errorf("cut at %d bytes: got %v", n, err)
		}
	}
	bad := slices.Clone(good)
	bad[len(bad)-100] ^= 1
	if _, err := ReadCheckpoint(bytes.NewReader(bad)); !errors.Is(err, ErrFormat) {
		t.Errorf("flipped bit: got %v", err)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(topicText(2000, 3, 10, 10, 8)))
	zw.Close()
	truncated := write("cut.gz", gz.Bytes()[:gz.Len()/2])
	empty := write("empty.txt", nil)
	blank := write("blank.txt", []byte("\n  \n\t\n"))
	rare := write("rare.txt", []byte("each word here is seen once\n"))
	// A corpus that trains fine with the default settings, so that a
	// setting's case can only fail through validation.
	good := write("good.txt", []byte(topicText(200, 2, 5, 10, 3)))
	unreadable := write("secret.txt", []byte("a b c\n"))
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	_, openErr := os.Open(unreadable) // root can read anything
	open := func(p string) *corpus.Corpus {
		c, err := corpus.Open([]string{p}, corpus.TokenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cfg := DefaultConfig()
	cfg.Threads = 1
	tests := []struct {
		name string
		src  corpus.Source
		edit func(*Config)
		want error
	}{
		{"empty corpus", open(empty), nil, corpus.ErrEmptyVocab},
		{"blank lines only", open(blank), nil, corpus.ErrEmptyVocab},
		{"every word below min-count", open(rare), nil, corpus.ErrEmptyVocab},
		{"truncated gzip", open(truncated), nil, io.ErrUnexpectedEOF},
		{"negative size", open(good), func(c *Config) { c.Dim = -1 }, ErrConfig},
		{"huge size", open(good), func(c *Config) { c.Dim = 1<<16 + 1 }, ErrConfig},
		{"negative window", open(good), func(c *Config) { c.Window = -1 }, ErrConfig},
		{"no objective", open(good), func(c *Config) { c.Negative = -1 }, ErrConfig},
		{"sample NaN", open(good), func(c *Config) { c.Sample = math.NaN() }, ErrConfig},
		{"negative learning rate", open(good), func(c *Config) { c.Alpha = -0.1 }, ErrConfig},
		{"learning rate NaN", open(good), func(c *Config) { c.Alpha = math.NaN() }, ErrConfig},
		{"learning rate 11", open(good), func(c *Config) { c.Alpha = 11 }, ErrConfig},
		{"negative epochs", open(good), func(c *Config) { c.Epochs = -1 }, ErrConfig},
		{"negative min-count", open(good), func(c *Config) { c.MinCount = -1 }, ErrConfig},
		{"negative max vocabulary", open(good), func(c *Config) { c.MaxVocab = -1 }, ErrConfig},
		{"negative threads", open(good), func(c *Config) { c.Threads = -1 }, ErrConfig},
		{"final learning rate above the start", open(good), func(c *Config) { c.MinAlpha = 1 }, ErrConfig},
		{"negative initial range", open(good), func(c *Config) { c.InitRange = -1 }, ErrConfig},
		{"initial range NaN", open(good), func(c *Config) { c.InitRange = math.NaN() }, ErrConfig},
	}
	if openErr != nil {
		tests = append(tests, struct {
			name string
			src  corpus.Source
			edit func(*Config)
			want error
		}{"unreadable file", open(unreadable), nil, os.ErrPermission})
	}
	if _, err := Train(ctx, open(good), cfg); err != nil {
		t.Fatalf("the corpus the settings' cases use does not train: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			if tt.edit != nil {
				tt.edit(&c)
			}
			m, err := Train(ctx, tt.src, c)
			if err == nil {
				t.Fatal("no error")
			}
			if m != nil {
				t.Errorf("got a model with the error %v", err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if errors.Is(err, ErrConfig) != (tt.want == ErrConfig) {
				t.Errorf("%v: matches ErrConfig: %v", err, errors.Is(err, ErrConfig))
			}
			if verr := c.Validate(); errors.Is(verr, ErrConfig) != (tt.want == ErrConfig) {
				t.Errorf("Validate: %v", verr)
			}
			t.Log(err)
		})
	}
}

func TestHuffmanCodes(t *testing.T) {
	counts := []int64{50, 20, 20, 5, 3, 1, 1}
	h := newHuffman(counts)
	seen := map[string]bool{}
	var kraft float64
	for w := range counts {
		codes, points := h.path(int32(w))
		if len(codes) == 0 || len(codes) != len(points) {
			t.Fatalf("word %d: path %v %v", w, codes, points)
		}
		if points[0] != int32(len(counts)-2) {
			t.Errorf("word %d: path starts at node %d, want the root %d", w, points[0], len(counts)-2)
		}
		s := fmt.Sprint(codes)
		seen[s] = true
		kraft += math.Pow(2, -float64(len(codes)))
		if w > 0 {
			prev, _ := h.path(int32(w - 1))
			if len(codes) < len(prev) {
				t.Errorf("word %d (count %d) has a shorter code than word %d", w, counts[w], w-1)
			}
		}
	}
	if len(seen) != len(counts) || math.Abs(kraft-1) > 1e-12 {
		t.Errorf("codes not a complete prefix code: %d distinct, Kraft sum %v", len(seen), kraft)
	}
}

func TestNoiseSamplerDistribution(t *testing.T) {
	counts := []int64{1000, 300, 100, 10, 1, 0}
	for _, exp := range []float64{0.75, 0.5, 1, -0.5} {
		s := newNoiseSampler(counts, exp)
		var sum float64
		for _, c := range counts[:5] {
			sum += math.Pow(float64(c), exp)
		}
		const n = 400000
		hits := make([]int, len(counts))
		r := uint64(1)
		for range n {
			r = r*25214903917 + 11
			hits[s.draw(r)]++
		}
		for i, c := range counts {
			want := 0.0
			if c > 0 {
				want = math.Pow(float64(c), exp) / sum
			}
			got := float64(hits[i]) / n
			if math.Abs(got-want) > 4*math.Sqrt(want/n)+1e-4 {
				t.Errorf("exponent %v, word %d: drawn %.4f of the time, want %.4f", exp, i, got, want)
			}
		}
	}
}

func TestLearningRateDecays(t *testing.T) {
	for _, tc := range []struct {
		name     string
		minAlpha float64
		want     float64 // the final rate, as a fraction of Alpha
	}{
		{"default", 0, 0.25}, // DefaultMinAlpha: alpha/(2·epochs)
		{"C tool", 0.025e-4, 1e-4},
		{"set", 0.01, 0.4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Epochs, cfg.Alpha, cfg.MinAlpha = 2, 0.025, tc.minAlpha
			var alphas []float64
			cfg.Progress = func(p Progress) { alphas = append(alphas, p.Alpha) }
			m, err := Train(context.Background(), corpus.FromString(topicText(200, 2, 5, 6, 9)), cfg)
			if err != nil {
				t.Fatal(err)
			}
			final := m.Progress().Alpha / cfg.Alpha
			if math.Abs(final-tc.want) > 1e-3 { // the last batch ends a few words short of the total
				t.Errorf("final learning rate %g·alpha, want %g·alpha", final, tc.want)
			}
			if !slices.IsSortedFunc(alphas, func(a, b float64) int { return cmp.Compare(b, a) }) {
				t.Errorf("learning rate not decreasing: %v", alphas)
			}
			if alphas[0] > cfg.Alpha || alphas[0] < 0.5*cfg.Alpha {
				t.Errorf("first reported rate %g, want near the start %g", alphas[0], cfg.Alpha)
			}
		})
	}
}
