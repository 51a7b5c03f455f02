package transformer

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/heapcheck"
)

// toyCorpus is a small language with structure a model can learn: two
// kinds of sentence whose next word is predictable from the previous ones.
func toyCorpus(n int) *corpus.Corpus {
	return corpus.FromFunc("toy", func(ctx context.Context, fn func([]string) error) error {
		rng := rand.New(rand.NewPCG(1, 2))
		subj := []string{"the cat", "a dog", "my bird"}
		for i := range n {
			var s string
			if i%2 == 0 {
				s = subj[rng.IntN(3)] + " sat on the mat by the river bank"
			} else {
				s = "she put money in the bank and got a loan from the bank"
			}
			if err := fn(strings.Fields(s)); err != nil {
				return err
			}
		}
		return nil
	})
}

func toyModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	v, err := corpus.BuildVocab(context.Background(), toyCorpus(50), corpus.VocabOptions{MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cfg, v.Words()[:v.Len()-2]) // leave two words unknown
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var toyConfig = Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 12, Seed: 3}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	// run trains for 120 steps, or stops at step stopAt (saving ckpt).
	run := func(stopAt int, resume *TrainState, m *Model, ckpt string) (*Model, *Result) {
		if m == nil {
			m = toyModel(t, toyConfig)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		res, err := Train(ctx, m, toyCorpus(400), TrainOptions{Steps: 120, Batch: 8, LR: 3e-3, Threads: 1,
			HeldOut: 0.1, EvalEvery: 100, Resume: resume, Checkpoint: ckpt,
			Progress: func(p Progress) {
				if p.Done == int64(stopAt) {
					cancel()
				}
			}})
		if err != nil && !(stopAt > 0 && errors.Is(err, context.Canceled)) {
			t.Fatal(err)
		}
		return m, res
	}
	m1, r1 := run(0, nil, nil, "")
	if r1.Unknown == 0 || r1.Words == 0 {
		t.Errorf("words %d, unknown %d: want both > 0", r1.Words, r1.Unknown)
	}
	first, last := r1.History[0].Loss, r1.History[len(r1.History)-1].Loss
	if !(last < first-1) {
		t.Errorf("training loss went from %.3f to %.3f, want a clear drop", first, last)
	}
	if !(r1.HeldOutPerplexity < 6) {
		t.Errorf("held-out perplexity %.2f, want < 6 on this predictable corpus", r1.HeldOutPerplexity)
	}
	m2, r2 := run(0, nil, nil, "")
	if r1.HeldOutLoss != r2.HeldOutLoss || !sameWeights(m1, m2) {
		t.Errorf("two runs with the same seed differ: held-out %v vs %v", r1.HeldOutLoss, r2.HeldOutLoss)
	}
	// Stop at 60 through a checkpoint, resume to 120: the same weights.
	path := filepath.Join(t.TempDir(), "run.ckpt")
	run(60, nil, nil, path)
	m3, st, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Step != 60 || st.Opt == nil {
		t.Fatalf("checkpoint state %+v", st)
	}
	m3, _ = run(0, st, m3, "")
	if !sameWeights(m1, m3) {
		t.Errorf("a run resumed from a checkpoint differs from an uninterrupted one")
	}
}

// A checkpoint records the run's plan and its corpus; resuming on other
// text is refused.
func TestCheckpointRecordsPlanAndCorpus(t *testing.T) {
	text := func(s string) *corpus.Corpus { return corpus.FromString(strings.Repeat(s+"\n", 60)) }
	m := toyModel(t, toyConfig)
	path := filepath.Join(t.TempDir(), "run.ckpt")
	opts := TrainOptions{Steps: 8, Batch: 2, Threads: 1, Checkpoint: path}
	if _, err := Train(context.Background(), m, text("the cat sat on the mat by the river bank"), opts); err != nil {
		t.Fatal(err)
	}
	m2, st, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Options.Steps != 8 || st.Options.Batch != 2 || st.Options.LR != 1e-3 || st.Options.Warmup != 1 || st.Options.EvalEvery != 1 {
		t.Errorf("plan read back: %+v", st.Options)
	}
	if !strings.HasPrefix(st.Corpus, "sha256:") {
		t.Errorf("corpus fingerprint %q", st.Corpus)
	}
	opts.Resume, opts.Steps, opts.Checkpoint = st, 10, ""
	_, err = Train(context.Background(), m2, text("a dog sat on the mat by the river bank"), opts)
	if !errors.Is(err, corpus.ErrChanged) {
		t.Errorf("resume on other text: %v, want corpus.ErrChanged", err)
	}
	if _, err := Train(context.Background(), m2, text("the cat sat on the mat by the river bank"), opts); err != nil {
		t.Errorf("resume on the same text: %v", err)
	}
}

func sameWeights(a, b *Model) bool {
	for i, p := range a.params {
		q := b.params[i]
		if p.Name != q.Name || len(p.Data) != len(q.Data) {
			return false
		}
		for j := range p.Data {
			if p.Data[j] != q.Data[j] {
				return false
			}
		}
	}
	return true
}

func TestTrainCancel(t *testing.T) {
	m := toyModel(t, toyConfig)
	ctx, cancel := context.WithCancel(context.Background())
	res, err := Train(ctx, m, toyCorpus(100), TrainOptions{Steps: 1000, Batch: 4, Threads: 1, ReportEvery: 1,
		Progress: func(p Progress) {
			if p.Done == 5 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if res == nil || res.Steps != 5 {
		t.Errorf("result %+v, want 5 steps", res)
	}
}

func TestTrainTooLittleText(t *testing.T) {
	m := toyModel(t, toyConfig)
	_, err := Train(context.Background(), m, toyCorpus(0), TrainOptions{Steps: 3})
	if !errors.Is(err, ErrNoData) {
		t.Errorf("error %v, want ErrNoData", err)
	}
}

func TestCheckpointRoundTripAndCorruption(t *testing.T) {
	m, err := newModel(Config{DModel: 8, Heads: 2, Layers: 1, DFF: 8, Context: 4, Untied: true, Seed: 9}, testWords(10), 5)
	if err != nil {
		t.Fatal(err)
	}
	wellConditioned(m, 1)
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	back, st, err := ReadCheckpoint(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(m, back) || st.Opt != nil || back.cfg != m.cfg {
		t.Errorf("round trip changed the model")
	}
	cases := map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)-9],
		"flipped":   flip(good, len(good)/2),
		"header":    flip(good, 20),
		"magic":     flip(good, 0),
		"version":   flip(good, 7),
	}
	for name, b := range cases {
		if _, _, err := ReadCheckpoint(bytes.NewReader(b)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want ErrFormat", name, err)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x40
	return c
}

func TestNPZBadInput(t *testing.T) {
	dir := t.TempDir()
	m, err := New(Config{DModel: 4, Heads: 2, Layers: 1, DFF: 4, Context: 3}, testWords(3))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "w.npz")
	if err := m.SaveNPZ(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadNPZ(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(m, back) || strings.Join(back.tokens, " ") != strings.Join(m.tokens, " ") {
		t.Error("npz round trip changed the model")
	}
	// A tensor of the wrong shape: blocks.0.attn.wq one column short.
	wq := m.Param("blocks.0.attn.wq")
	wq.Shape, wq.Data = []int{4, 3}, wq.Data[:12]
	short := filepath.Join(dir, "short.npz")
	if err := m.SaveNPZ(short); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadNPZ(short); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "shape [4 3], want [4 4]") {
		t.Errorf("misshapen tensor: error %v, want a shape error", err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"truncated": good[:len(good)/2], "garbage": []byte("not a zip"), "flipped": flip(good, len(good)/3)} {
		if _, err := ReadNPZ(bytes.NewReader(b), int64(len(b))); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want ErrFormat", name, err)
		}
	}
}

func TestContextualize(t *testing.T) {
	m := toyModel(t, toyConfig)
	wellConditioned(m, 5)
	words := strings.Fields("the river bank flooded zzz")
	r, err := m.Contextualize(words, ContextOptions{Attention: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Unknown != 2 || r.Tokens[4] != Unk || r.Tokens[0] != Bos {
		t.Errorf("tokens %v, unknown %d: want 2 unknown (flooded, zzz)", r.Tokens, r.Unknown)
	}
	if len(r.Layers) != toyConfig.Layers+2 || len(r.Attention) != toyConfig.Layers || len(r.Attention[0]) != toyConfig.Heads {
		t.Fatalf("%d layers, %d attention layers", len(r.Layers), len(r.Attention))
	}
	for _, row := range r.Attention[1][1] {
		s := 0.0
		for _, v := range row {
			s += float64(v)
		}
		if math.Abs(s-1) > 1e-5 {
			t.Errorf("attention row sums to %v", s)
		}
	}
	// Causal: a word's states do not depend on the words after it.
	r2, err := m.Contextualize(words[:3], ContextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for l := range r.Layers {
		if c := embed.Cosine(r.Hidden(l, 2), r2.Hidden(l, 2)); c < 1-1e-6 {
			t.Errorf("layer %d: 'bank' changed with later words (cos %v)", l, c)
		}
	}
	// Different earlier words change the top layer.
	s, err := m.Similarity(words, 2, strings.Fields("money in the bank"), 3, -1)
	if err != nil || s > 0.9999 {
		t.Errorf("similarity %v, %v: want < 1", s, err)
	}
	if _, err := m.Contextualize(strings.Fields(strings.Repeat("a ", toyConfig.Context)), ContextOptions{}); !errors.Is(err, ErrContextTooLong) {
		t.Errorf("error %v, want ErrContextTooLong", err)
	}
	if _, err := m.Contextualize(nil, ContextOptions{}); !errors.Is(err, ErrEmptyText) {
		t.Errorf("error %v, want ErrEmptyText", err)
	}
}

func TestFromEmbeddings(t *testing.T) {
	words := []string{"river", "bank", "money"}
	vocab, err := embed.NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, dim := range []int{8, 5} { // equal to d_model, and projected
		data := make([]float32, 3*dim)
		for i := range data {
			data[i] = float32(i%7) - 3
		}
		e, err := embed.New(vocab, dim, data)
		if err != nil {
			t.Fatal(err)
		}
		m, err := FromEmbeddings(Config{DModel: 8, Heads: 2, Layers: 1, DFF: 8, Context: 4, Vocab: 2}, e)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.tokens) != 5 || m.tokens[4] != "bank" {
			t.Errorf("tokens %v", m.tokens)
		}
		// The rows keep the vectors' directions.
		tab := m.tokTableParam()
		if c := embed.Cosine(tab.Data[3*dim:4*dim], e.Row(0)); math.Abs(c-1) > 1e-6 {
			t.Errorf("dim %d: row of %q has cosine %v with its vector", dim, words[0], c)
		}
		if (m.static != nil) != (dim != 8) {
			t.Errorf("dim %d: factorised = %v", dim, m.static != nil)
		}
	}
	if _, err := FromEmbeddings(Config{DModel: 8, Heads: 3, Layers: 1, DFF: 8, Context: 4}, nil); !errors.Is(err, ErrDim) {
		t.Errorf("nil vectors: %v", err)
	}
}

// checkAlloc runs read and fails if it allocated much more than the input
// could justify (a header's claims alone must never cause a large
// allocation), or if its error is not a *FormatError.
func checkAlloc(t *testing.T, inputLen int, read func() error) error {
	t.Helper()
	var err error
	got := heapcheck.Allocated(func() { err = read() })
	// Decompression may expand an entry about 1100 times (see capacity);
	// the slack covers zip and npy bookkeeping.
	if got > 8<<20+2400*uint64(inputLen) {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, inputLen)
	}
	var fe *FormatError
	if err != nil && (!errors.Is(err, ErrFormat) || !errors.As(err, &fe)) {
		t.Fatalf("error %v is not a *FormatError", err)
	}
	return err
}

// TestContextualizeConcurrent runs readers in parallel on a factorised
// model (whose embedding is computed lazily); run with -race.
func TestContextualizeConcurrent(t *testing.T) {
	m, err := newModel(Config{DModel: 8, Heads: 2, Layers: 1, DFF: 8, Context: 6, Seed: 2}, testWords(20), 5)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for range 4 {
		go func() {
			_, err := m.Contextualize([]string{"w1", "w2", "w3"}, ContextOptions{})
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
