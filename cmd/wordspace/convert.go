package main

import (
	"context"
	"fmt"
	"io"

	"github.com/wordspace/wordspace/embed"
)

func convertCommand() command {
	return command{
		name:    "convert",
		summary: "convert word vectors between formats (word2vec text/binary, GloVe, .npy)",
		run:     runConvert,
	}
}

func runConvert(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("convert", "-input IN -output OUT [-binary 0|1 | -to FORMAT]\n\nReads IN in any supported format (detected) and writes OUT. The output format\nis -binary 1 (word2vec binary) or 0 (word2vec text) when given, else -to, else\ntaken from OUT's extension (.bin, .txt/.vec, .npy), else word2vec text.\nAn OUT ending in .gz is compressed; .npy writes the vocabulary beside it.", stderr)
	lf := addLoadFlags(fs, "input", "input vector `file`")
	output := fs.String("output", "", "output `file`")
	bin := fs.Int("binary", -1, "1: word2vec binary output, 0: word2vec text output")
	to := fs.String("to", "", "output `format`: text, binary, glove or npy")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "wordspace convert: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if *output == "" {
		return fmt.Errorf("-output is required")
	}
	var out embed.Format
	switch {
	case *bin == 1:
		out = embed.Binary
	case *bin == 0:
		out = embed.Text
	case *bin != -1:
		return fmt.Errorf("-binary must be 0 or 1, not %d", *bin)
	case *to != "":
		f, err := embed.ParseFormat(*to)
		if err != nil {
			return err
		}
		out = f
	default:
		out = embed.FormatFromPath(*output)
	}
	if out == embed.Auto {
		out = embed.Text
	}
	e, err := lf.load("input")
	if err != nil {
		return err
	}
	if err := e.Save(*output, out); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %d words of dimension %d to %s (%v)\n", e.Len(), e.Dim(), *output, out)
	return nil
}
