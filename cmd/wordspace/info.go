package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
)

func infoCommand() command {
	return command{
		name:    "info",
		summary: "describe a vector file: vocabulary size, dimension, vector lengths",
		run:     runInfo,
	}
}

func runInfo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("info", "-model FILE\n\nPrints the number of words, the dimension and a summary of the vector lengths.", stderr)
	lf := addLoadFlags(fs, "model", "vector `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "wordspace info: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	e, err := lf.load("model")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "file\t%s\n", *lf.model)
	if fi, err := os.Stat(*lf.model); err == nil {
		fmt.Fprintf(stdout, "bytes\t%d\n", fi.Size())
	}
	fmt.Fprintf(stdout, "words\t%d\n", e.Len())
	fmt.Fprintf(stdout, "dimension\t%d\n", e.Dim())
	fmt.Fprintf(stdout, "counts\t%v\n", e.Vocab().HasCounts())
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
	fmt.Fprintf(stdout, "norm min\t%.6g\n", norms[0])
	fmt.Fprintf(stdout, "norm p05\t%.6g\n", q(0.05))
	fmt.Fprintf(stdout, "norm median\t%.6g\n", q(0.5))
	fmt.Fprintf(stdout, "norm mean\t%.6g\n", sum/float64(len(norms)))
	fmt.Fprintf(stdout, "norm p95\t%.6g\n", q(0.95))
	fmt.Fprintf(stdout, "norm max\t%.6g\n", norms[len(norms)-1])
	fmt.Fprintf(stdout, "zero vectors\t%d\n", zero)
	words := e.Vocab().Words()
	fmt.Fprintf(stdout, "first words\t%q\n", words[:min(10, len(words))])
	return nil
}
