package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/phrases"
)

func phrasesCommand() command {
	return command{
		name:    "phrases",
		summary: "join frequent word pairs such as \"new york\" into single tokens (word2phrase)",
		run:     runPhrases,
	}
}

const phrasesSynopsis = `-corpus FILE -output FILE [flags]

Finds phrases in FILE (text, .gz or a directory; one sentence per line) as
word2vec's word2phrase does: adjacent words a b whose
  (count(a b) - min-count) / (count(a) * count(b)) * tokens
exceeds -threshold are joined as a_b. Each of -passes rounds runs on the
output of the one before, so that round two can form new_york_times. Writes
the corpus with the phrases joined, one sentence per line (-output - for
standard output); -top N also prints the N highest-scoring phrases of each
round to standard output.`

func runPhrases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("phrases", phrasesSynopsis, stderr)
	train := fs.String("corpus", "", "corpus `file` or directory (plain or gzip)")
	fs.alias("corpus", "train")
	output := fs.String("output", "", "write the corpus with phrases joined to `file` (- for standard output)")
	threshold := fs.Float64("threshold", 100, "score a pair must exceed to become a phrase; higher means fewer phrases")
	minCount := fs.Int("min-count", 5, "least count of a word or pair in a phrase")
	passes := fs.Int("passes", 2, "rounds of detection; each can join the phrases of the last into longer ones")
	delim := fs.String("delimiter", "_", "joins the words of a phrase")
	top := fs.Int("top", 0, "print the `n` highest-scoring phrases of each round to standard output")
	lower := fs.Bool("lower", false, "lower-case the corpus")
	quiet := fs.Bool("quiet", false, "no progress or summary")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if err := fs.required("corpus", "output"); err != nil {
		return err
	}
	switch {
	case *threshold <= 0:
		return usagef(fs.cmd, "-threshold must be positive")
	case *minCount < 1:
		return usagef(fs.cmd, "-min-count must be at least 1")
	case *passes < 1:
		return usagef(fs.cmd, "-passes must be at least 1")
	case *top < 0:
		return usagef(fs.cmd, "-top must not be negative")
	case *top > 0 && *output == "-":
		return usagef(fs.cmd, "-top and -output - would both write to standard output")
	}
	if err := checkOutputs(fs.cmd, []file{{flag: "corpus", path: *train}}, file{flag: "output", path: *output, stdout: true}); err != nil {
		return err
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
			bar.set(fmt.Sprintf("pass %d", p.Pass), p.Done, p.Total, humanCount(float64(p.Done))+" tokens")
		},
	})
	if err != nil {
		return err
	}
	bar.finish()
	for i, m := range models {
		bar.println("pass %d: %d tokens, %d phrases", i+1, m.Tokens(), m.Len())
		if *top > 0 {
			fmt.Fprintf(stdout, "# pass %d: score\tcount\tphrase\n", i+1)
			for _, p := range m.Phrases()[:min(*top, m.Len())] {
				fmt.Fprintf(stdout, "%.1f\t%d\t%s%s%s\n", p.Score, p.Count, p.First, *delim, p.Second)
			}
		}
	}
	sentences := models[0].Sentences()
	var lines, tokens int64
	err = writeOutput(ctx, *output, stdout, func(w io.Writer) error {
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
				bar.set("write", lines, sentences, fmt.Sprintf("%s of %s lines", humanCount(float64(lines)), humanCount(float64(sentences))))
			}
			return bw.WriteByte('\n')
		})
		if err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	bar.finish()
	bar.println("wrote %d lines, %d tokens to %s in %.1fs", lines, tokens, *output, time.Since(start).Seconds())
	return nil
}
