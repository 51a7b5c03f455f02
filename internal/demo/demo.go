// Package demo carries a small English corpus inside the wordspace binary
// and trains word vectors on it, so that the README's first command, the
// examples and the tests of other packages can show real vectors without
// downloading anything.
//
// The corpus (3 million tokens of the King James Bible, WordNet glosses,
// Jane Austen and State of the Union addresses; see NOTICE.md for sources
// and licences) trains in about 15 seconds on two cores. Vectors caches the
// result in the user's cache directory, so only the first caller waits.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/term"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/word2vec"
)

//go:embed demo-corpus.txt.gz
var corpusGz []byte

// Corpus returns the embedded demo corpus: lower-cased English without
// punctuation, one sentence or paragraph per line.
func Corpus() *corpus.Corpus {
	c, err := corpus.New("demo corpus", func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(corpusGz)), nil
	}, corpus.TokenOptions{})
	if err != nil {
		panic(err) // the zero TokenOptions are always valid
	}
	return c
}

// Config returns the settings the demo trains with: skip-gram with
// negative sampling, 100 dimensions, window 5, subsampling at 1e-4, 5
// epochs, every processor.
func Config() word2vec.Config {
	c := word2vec.DefaultConfig()
	c.Sample = 1e-4
	c.Alpha = 0.025 // word2vec's default for skip-gram, spelt out for the cache key
	return c
}

// Progress returns a word2vec progress callback for the examples: on a
// terminal one line redrawn in place, anywhere else (a log, a pipe) a line
// at the end of every epoch and no carriage returns. Call the returned
// done after training to end the terminal's line.
func Progress(w *os.File) (progress func(word2vec.Progress), done func()) {
	tty := term.IsTerminal(int(w.Fd()))
	progress = func(p word2vec.Progress) {
		line := fmt.Sprintf("epoch %d/%d  %3.0f%%  %6.0f words/s  loss %.3f",
			p.Epoch, p.Epochs, 100*float64(p.Done)/float64(max(p.Total, 1)), p.WordsPerSec, p.MeanLoss())
		switch {
		case tty:
			fmt.Fprintf(w, "\r%s ", line)
		case p.EpochDone:
			fmt.Fprintln(w, line)
		}
	}
	done = func() {
		if tty {
			fmt.Fprintln(w)
		}
	}
	return progress, done
}

// Train trains word vectors on the demo corpus with Config, reporting to
// progress (which may be nil), and returns them.
func Train(ctx context.Context, progress func(word2vec.Progress)) (*embed.Embeddings, error) {
	cfg := Config()
	cfg.Progress = progress
	m, err := word2vec.Train(ctx, Corpus(), cfg)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	e, err := m.Embeddings()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return e, nil
}

// Vectors returns demo vectors, loading them from the user's cache
// directory when an earlier call saved them there, and otherwise training
// them with Train and saving them for next time. A cache that cannot be
// read or written is ignored: Vectors then trains every time.
func Vectors(ctx context.Context, progress func(word2vec.Progress)) (*embed.Embeddings, error) {
	path := cachePath()
	if path != "" {
		if e, err := embed.Load(path, embed.LoadOptions{Format: embed.Binary}); err == nil {
			return e, nil
		}
	}
	e, err := Train(ctx, progress)
	if err != nil {
		return nil, err
	}
	if path != "" && os.MkdirAll(filepath.Dir(path), 0o755) == nil {
		e.Save(path, embed.Binary) // best effort; atomic, so never half-written
	}
	return e, nil
}

// cachePath names the cache file after a hash of the corpus and the
// settings, so that a new wordspace version with other settings never
// picks up stale vectors.
func cachePath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	h := fnv.New64a()
	h.Write(corpusGz)
	c := Config()
	// The defaults are hashed as resolved, so that changing one retrains.
	r, err := c.Resolved()
	if err != nil {
		return ""
	}
	fmt.Fprintf(h, "%d %d %d %v %v %v %g %g %d %d %d %g %g %g", r.Dim, r.Window, r.Negative, r.HS, r.CBOW,
		!r.PerPairNegatives, r.Sample, r.Alpha, r.Epochs, r.MinCount, r.Seed, r.MinAlpha, r.InitRange, r.NoiseExponent)
	return filepath.Join(dir, "wordspace", fmt.Sprintf("demo-vectors-%016x.bin", h.Sum64()))
}
