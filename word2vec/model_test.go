package word2vec

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

// TestProgressWhileEpochsEnd reports progress as often as the ticker
// allows over many short epochs, so that the progress monitor reads the
// epoch while the training goroutine closes one; under -race it fails if
// the two share unsynchronised state. It also checks that the reports
// agree with the epochs done.
func TestProgressWhileEpochsEnd(t *testing.T) {
	cfg := testConfig()
	cfg.Dim = 4
	cfg.Epochs = 300
	cfg.ProgressInterval = time.Nanosecond
	var reports, closed atomic.Int64
	last := 0
	cfg.Progress = func(p Progress) {
		reports.Add(1)
		if p.Epoch < last || p.Epoch < 1 || p.Epoch > p.Epochs {
			t.Errorf("epoch %d after %d (of %d)", p.Epoch, last, p.Epochs)
		}
		last = p.Epoch
		if p.EpochDone {
			closed.Add(1)
		}
	}
	m, err := Train(context.Background(), corpus.FromString("a b c a b\nb c a\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Done() || closed.Load() != int64(cfg.Epochs) {
		t.Errorf("%d epoch-closing reports for %d epochs", closed.Load(), cfg.Epochs)
	}
	t.Logf("%d reports", reports.Load())
}

// TestEmbeddingsNotFinite checks that a model whose vectors went
// non-finite says so instead of handing out altered vectors.
func TestEmbeddingsNotFinite(t *testing.T) {
	cfg := testConfig()
	cfg.Epochs = 1
	m, err := Train(context.Background(), corpus.FromString("a b c a b\nb c a\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(-1))} {
		i, _ := m.Vocab().Index("c")
		old := m.in[i*cfg.Dim+3]
		m.in[i*cfg.Dim+3] = bad
		e, err := m.Embeddings()
		if e != nil || !errors.Is(err, embed.ErrNotFinite) || !strings.Contains(err.Error(), `"c"`) {
			t.Errorf("vector with %v: got %v, %v; want an error naming \"c\" that matches embed.ErrNotFinite", bad, e, err)
		}
		m.in[i*cfg.Dim+3] = old
	}
	if _, err := m.Embeddings(); err != nil {
		t.Fatal(err)
	}
}

// TestTrainedWordsCanBeRead trains on text with tokens longer than the
// vector readers' word limit and checks that the vectors saved can be
// loaded: the corpus cuts such tokens instead of passing them on.
func TestTrainedWordsCanBeRead(t *testing.T) {
	long := strings.Repeat("x", 5000)
	c, err := corpus.FromReader("long", strings.NewReader(strings.Repeat("a b "+long+" c\n", 5)), corpus.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	cfg.Epochs = 1
	m, err := Train(context.Background(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.TruncatedTokens() != 5 {
		t.Errorf("TruncatedTokens = %d, want 5", c.TruncatedTokens())
	}
	e := vectors(t, m)
	for _, f := range []embed.Format{embed.Text, embed.Binary} {
		path := filepath.Join(t.TempDir(), "v")
		if err := e.Save(path, f); err != nil {
			t.Fatal(err)
		}
		back, err := embed.Load(path, embed.LoadOptions{})
		if err != nil {
			t.Fatalf("%v: reading back what training wrote: %v", f, err)
		}
		if back.Len() != e.Len() {
			t.Errorf("%v: %d words read back, %d written", f, back.Len(), e.Len())
		}
	}
}
