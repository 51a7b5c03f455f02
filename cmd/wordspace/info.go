package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/wordspace/wordspace/embed"
)

func infoCommand() command {
	return command{
		name:    "info",
		summary: "describe a vector file: vocabulary size, dimension, vector lengths",
		run:     runInfo,
	}
}

func runInfo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("info", "-model FILE\n\nPrints the number of words, the dimension, whether the file carries word\ncounts, and a summary of the vector lengths.", stderr)
	lf := addLoadFlags(fs, modelHelp)
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	e, err := lf.load()
	if err != nil {
		return err
	}
	return flushed(stdout, func(w *bufio.Writer) error {
		fmt.Fprintf(w, "file\t%s\n", *lf.model)
		if fi, err := os.Stat(*lf.model); err == nil {
			fmt.Fprintf(w, "bytes\t%d\n", fi.Size())
		}
		fmt.Fprintf(w, "words\t%d\n", e.Len())
		fmt.Fprintf(w, "dimension\t%d\n", e.Dim())
		fmt.Fprintf(w, "word counts\t%s\n", countsNote(e, *lf.model))
		if e.Len() == 0 {
			return nil
		}
		norms := slices.Clone(e.Norms())
		zero := 0
		var sum float64
		for _, n := range norms {
			if n == 0 {
				zero++
			}
			sum += float64(n)
		}
		slices.Sort(norms)
		q := func(p float64) float32 { return norms[int(p*float64(len(norms)-1))] }
		fmt.Fprintf(w, "norm min\t%.6g\n", norms[0])
		fmt.Fprintf(w, "norm p05\t%.6g\n", q(0.05))
		fmt.Fprintf(w, "norm median\t%.6g\n", q(0.5))
		fmt.Fprintf(w, "norm mean\t%.6g\n", sum/float64(len(norms)))
		fmt.Fprintf(w, "norm p95\t%.6g\n", q(0.95))
		fmt.Fprintf(w, "norm max\t%.6g\n", norms[len(norms)-1])
		fmt.Fprintf(w, "zero vectors\t%d\n", zero)
		words := e.Vocab().Words()
		fmt.Fprintf(w, "first words\t%q\n", words[:min(10, len(words))])
		return nil
	})
}

// countsNote says whether the vocabulary carries corpus frequencies, which
// only the .npy format's vocabulary file can hold.
func countsNote(e *embed.Embeddings, path string) string {
	if e.Vocab().HasCounts() {
		return "yes (from the vocabulary file " + embed.VocabPath(path) + ")"
	}
	return "no (the format holds none; words are in the file's order, usually most frequent first)"
}
