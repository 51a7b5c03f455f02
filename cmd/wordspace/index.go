package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wordspace/wordspace/ann"
	"github.com/wordspace/wordspace/embed"
)

func indexCommand() command {
	return command{
		name:    "index",
		summary: "build an approximate nearest-neighbour index (HNSW) for fast neighbors queries",
		run:     runIndex,
	}
}

const indexSynopsis = `-model FILE -output FILE.hnsw [flags]

Builds a hierarchical navigable small-world graph over the vectors of FILE
and saves it to -output, beside them. "wordspace neighbors -model FILE
-index FILE.hnsw" then answers from the graph: approximately, and in well
under a millisecond on a million words where the exact scan takes tens.
The index holds links, not vectors; it is refused for any vectors other than
those it was built from. The same vectors, flags and -seed give the same
index with any number of threads.`

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("index", indexSynopsis, stderr)
	lf := addLoadFlags(fs, modelHelp)
	output := fs.String("output", "", "write the index to `file`")
	m := fs.Int("m", ann.DefaultM, "links per word on the upper layers (twice as many on the bottom one); more is slower to build, better recall")
	efc := fs.Int("ef-construction", ann.DefaultEfConstruction, "candidates kept while linking each word; more is slower to build, better recall")
	ef := fs.Int("ef", ann.DefaultEf, "default candidates kept by a search (neighbors -ef overrides it); more is slower, better recall")
	threads := fs.Int("threads", 0, "goroutines that build at the same time (0: one per processor); the index does not depend on it")
	seed := fs.Uint64("seed", 1, "random seed (draws each word's layer)")
	quiet := fs.Bool("quiet", false, "no progress bar or summary")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if _, err := lf.check(); err != nil {
		return err
	}
	if err := fs.required("output"); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"m", *m}, {"ef-construction", *efc}, {"ef", *ef}, {"threads", *threads}} {
		if err := notNegative(fs, f.name, f.v); err != nil {
			return err
		}
	}
	if err := checkOutputs(fs.cmd, []file{{flag: "model", path: *lf.model}}, file{flag: "output", path: *output}); err != nil {
		return err
	}
	e, err := lf.load()
	if err != nil {
		return err
	}
	bar := newProgress(stderr, *quiet)
	defer bar.finish()
	start := time.Now()
	idx, err := ann.Build(ctx, e, ann.BuildOptions{
		M: *m, EfConstruction: *efc, Ef: *ef, Threads: *threads, Seed: *seed,
		Progress: func(p ann.Progress) {
			bar.set("index", int64(p.Done), int64(p.Total), fmt.Sprintf("%d/%d words", p.Done, p.Total))
		},
	})
	if err != nil {
		return err
	}
	bar.finish()
	if err := idx.Save(*output); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "indexed %d words of dimension %d in %.1fs (M %d, ef-construction %d, ef %d): %s\n",
			e.Len(), e.Dim(), time.Since(start).Seconds(), idx.Options().M, idx.Options().EfConstruction, idx.Ef(), *output)
	}
	return nil
}

// loadIndex reads the index at path for e and sets the ef of its searches
// (0 keeps the one saved with it): what -index and -ef of neighbors and
// serve do.
func loadIndex(path string, ef int, e *embed.Embeddings) (*ann.Index, error) {
	idx, err := ann.Load(path, e)
	if err != nil {
		return nil, err
	}
	if ef > 0 {
		idx = idx.WithEf(ef)
	}
	return idx, nil
}
