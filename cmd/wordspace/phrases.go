package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/phrases"
)

func phrasesCommand() command {
	return command{
		name:    "phrases",
		summary: "join frequent word pairs such as \"new york\" into single tokens (word2phrase)",
		run:     runPhrases,
	}
}

const phrasesSynopsis = `-train FILE -output FILE [flags]

Finds phrases in FILE (text, .gz or a directory; one sentence per line) as
word2vec's word2phrase does: adjacent words a b whose
  (count(a b) - min-count) / (count(a) * count(b)) * tokens
exceeds -threshold are joined as a_b. Each of -passes rounds runs on the
output of the one before, so that round two can form new_york_times. Writes
the corpus with the phrases joined, one sentence per line; -top N also
prints the N highest-scoring phrases of each round.`

func runPhrases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("phrases", phrasesSynopsis, stderr)
	train := fs.String("train", "", "corpus `file` or directory (plain or gzip)")
	output := fs.String("output", "", "write the corpus with phrases joined to `file` (- for standard output)")
	threshold := fs.Float64("threshold", 100, "score a pair must exceed to become a phrase; higher means fewer phrases")
	minCount := fs.Int("min-count", 5, "least count of a word or pair in a phrase")
	passes := fs.Int("passes", 2, "rounds of detection; each can join the phrases of the last into longer ones")
	delim := fs.String("delimiter", "_", "joins the words of a phrase")
	top := fs.Int("top", 0, "print the `n` highest-scoring phrases of each round to standard output")
	lower := fs.Bool("lower", false, "lower-case the corpus")
	quiet := fs.Bool("quiet", false, "no progress bar or summary")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "wordspace phrases: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	switch {
	case *train == "":
		return fmt.Errorf("-train is required")
	case *output == "":
		return fmt.Errorf("-output is required")
	case *threshold <= 0:
		return fmt.Errorf("-threshold must be positive")
	case *minCount < 1:
		return fmt.Errorf("-min-count must be at least 1")
	case *passes < 1:
		return fmt.Errorf("-passes must be at least 1")
	case *top < 0:
		return fmt.Errorf("-top must not be negative")
	case *top > 0 && *output == "-":
		return fmt.Errorf("-top and -output - would both write to standard output")
	}
	text, err := corpus.Open([]string{*train}, corpus.TokenOptions{Lower: *lower})
	if err != nil {
		return err
	}
	bar := newProgress(stderr, *quiet)
	defer bar.finish()
	start := time.Now()
	joined, models, err := phrases.Detect(ctx, text, *passes, phrases.Options{
		MinCount:  *minCount,
		Threshold: *threshold,
		Delimiter: *delim,
		Progress: func(p phrases.Progress) {
			bar.set(fmt.Sprintf("pass %d", p.Pass), p.Done, 0, "")
		},
	})
	if err != nil {
		return err
	}
	bar.finish()
	for i, m := range models {
		if !*quiet {
			fmt.Fprintf(stderr, "pass %d: %d tokens, %d phrases\n", i+1, m.Tokens(), m.Len())
		}
		if *top > 0 {
			fmt.Fprintf(stdout, "# pass %d: score\tcount\tphrase\n", i+1)
			for _, p := range m.Phrases()[:min(*top, m.Len())] {
				fmt.Fprintf(stdout, "%.1f\t%d\t%s%s%s\n", p.Score, p.Count, p.First, *delim, p.Second)
			}
		}
	}
	var lines, tokens int64
	err = writeOutput(*output, stdout, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		err := joined.Sentences(ctx, func(s []string) error {
			for i, t := range s {
				if i > 0 {
					bw.WriteByte(' ')
				}
				bw.WriteString(t)
			}
			lines++
			tokens += int64(len(s))
			if lines&4095 == 0 {
				bar.set("write", tokens, 0, "")
			}
			return bw.WriteByte('\n')
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", *output, err)
	}
	bar.finish()
	if !*quiet {
		fmt.Fprintf(stderr, "wrote %d lines, %d tokens to %s in %.1fs\n", lines, tokens, *output, time.Since(start).Seconds())
	}
	return nil
}

// writeOutput writes to path through write: "-" is stdout, anything else
// goes through atomicfile (which writes devices and pipes in place).
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		bw := bufio.NewWriterSize(stdout, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return atomicfile.Write(path, write)
}
