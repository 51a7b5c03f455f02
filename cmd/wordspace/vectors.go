package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/wordspace/wordspace/embed"
)

func vectorsCommand() command {
	return command{
		name:    "vectors",
		summary: "print the vectors of words read from standard input (fastText's print-word-vectors)",
		run:     runVectors,
	}
}

const vectorsSynopsis = `-model FILE < words.txt

Reads words separated by white space from standard input and prints one line
per word, "word v1 v2 ... vD", like fastText's print-word-vectors. From a
fastText .bin model (fastText's or "wordspace train -save-model"), a word
outside the vocabulary gets the mean of its character n-grams' rows, as in
fastText; from other vector files it has none. A word with no vector at all
prints zeros, as fastText does, and standard error says how many did.
Values have 5 significant digits, as fastText prints them, so that the two
tools' outputs compare equal; -digits 0 prints each float32 exactly.
`

func runVectors(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("vectors", vectorsSynopsis, stderr)
	lf := addLoadFlags(fs, "fastText .bin model, or any vector `file` (word2vec text or binary, GloVe, .npy; gzip detected)")
	digits := fs.Int("digits", fastTextDigits, "significant `digits` of each value: 5 as fastText's print-word-vectors, 0 the fewest that read back as the same float32")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *digits < 0 || *digits > 17 {
		return usagef(fs.cmd, "-digits %d: must be 0 (exact) to 17", *digits)
	}
	prec := *digits
	if prec == 0 {
		prec = -1
	}
	if fs.NArg() != 0 {
		return usagef(fs.cmd, "unexpected argument %q (words come from standard input)", fs.Arg(0))
	}
	e, sub, err := lf.loadModel()
	if err != nil {
		return err
	}
	vectorOf := func(dst []float32, word string) error {
		v, err := e.Vector(word)
		copy(dst, v)
		return err
	}
	if sub != nil {
		vectorOf = sub.VectorTo
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	sc.Split(bufio.ScanWords)
	w := bufio.NewWriter(stdout)
	v := make([]float32, e.Dim())
	var line []byte
	none := 0
	for n := 0; sc.Scan(); n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		word := sc.Text()
		if err := vectorOf(v, word); err != nil {
			clear(v)
			none++
		}
		line = append(line[:0], word...)
		for _, x := range v {
			line = append(line, ' ')
			line = strconv.AppendFloat(line, float64(x), 'g', prec, 32)
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("standard input: %w", err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if none > 0 {
		fmt.Fprintf(stderr, "wordspace vectors: %d words had no vector (%v) and were printed as zeros\n", none, embed.ErrUnknownWord)
	}
	return nil
}
