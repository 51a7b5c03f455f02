package main

import (
	"context"
	"fmt"
	"io"
)

func convertCommand() command {
	return command{
		name:    "convert",
		summary: "convert word vectors between formats (word2vec text/binary, GloVe, .npy)",
		run:     runConvert,
	}
}

const convertSynopsis = `-model IN -output OUT [-to FORMAT | -binary 0|1]

Reads IN in any supported format (detected) and writes OUT in the format
its name says: .bin word2vec binary, .txt or .vec word2vec text, glove*.txt
headerless text, .npy NumPy (with the vocabulary in OUT.vocab); a final .gz
compresses. A name that says no format takes -to or -binary, else word2vec
text; a flag that contradicts the name is refused. -output - writes to
standard output.`

func runConvert(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("convert", convertSynopsis, stderr)
	lf := addLoadFlags(fs, "input vector `file`", "input")
	output := fs.String("output", "", "output `file` (- for standard output)")
	bin := fs.Int("binary", 0, "1: word2vec binary output, 0: word2vec text output (default: from the name)")
	to := fs.String("to", "", "output `format`: text, binary, glove or npy (default: from the name)")
	quiet := fs.Bool("quiet", false, "no summary on standard error")
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
	binary := -1
	if fs.isSet("binary") {
		binary = *bin
	}
	out, err := vectorFormat(fs.cmd, *output, *to, binary)
	if err != nil {
		return err
	}
	if err := checkOutputs(fs.cmd, []file{lf.input()}, vectorFiles("output", *output, out, true)...); err != nil {
		return err
	}
	e, err := lf.load()
	if err != nil {
		return err
	}
	if err := saveVectors(ctx, *output, stdout, e, out); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "wrote %d words of dimension %d to %s (%v)\n", e.Len(), e.Dim(), *output, out)
	}
	return nil
}
