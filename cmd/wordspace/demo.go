package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/word2vec"
)

func demoCommand() command {
	return command{
		name:    "demo",
		summary: "train on the built-in corpus and show neighbours and analogies",
		run:     runDemo,
	}
}

// demoNeighbors and demoAnalogies were chosen to show both kinds of
// regularity word vectors learn, semantic and grammatical; all their
// words are frequent in the demo corpus.
var (
	demoNeighbors = []string{"king", "woman", "city", "water"}
	demoAnalogies = [][4]string{
		{"man", "king", "woman", "queen"},
		{"father", "son", "mother", "daughter"},
		{"good", "better", "bad", "worse"},
		{"walk", "walked", "go", "went"},
		{"day", "days", "year", "years"},
		{"see", "saw", "take", "took"},
	}
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", `[flags]

Trains word vectors on the corpus built into wordspace (3 million words of
the King James Bible, WordNet glosses, Jane Austen and State of the Union
addresses), then prints the nearest neighbours of a few words and solves a
few analogies. Takes about 15 seconds on two cores.
`, stderr)
	threads := fs.Int("threads", 0, "training goroutines (0: all processors)")
	output := fs.String("output", "", "also save the vectors to `file` (format from the name, as in convert; else word2vec text)")
	quiet := fs.Bool("quiet", false, "no progress")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if err := notNegative(fs, "threads", *threads); err != nil {
		return err
	}
	format := embed.Text
	if *output != "" {
		var err error
		if format, err = vectorFormat(fs.cmd, *output, "", -1); err != nil {
			return err
		}
		// Standard output carries the demo's own text.
		if err := checkOutputs(fs.cmd, nil, vectorFiles("output", *output, format, false)...); err != nil {
			return err
		}
	}
	cfg := demo.Config()
	cfg.Threads = *threads
	bar := newProgress(stderr, *quiet)
	bar.println("training skip-gram word vectors (dimension %d, %d epochs) on the built-in demo corpus...", cfg.Dim, cfg.Epochs)
	cfg.Progress = bar.word2vec()
	start := time.Now()
	m, err := word2vec.Train(ctx, demo.Corpus(), cfg)
	bar.finish()
	if err != nil {
		return err
	}
	e, err := m.Embeddings()
	if err != nil {
		return err
	}
	p := fmt.Fprintf
	p(stdout, "Trained %d word vectors in %.0f s.\n", e.Len(), time.Since(start).Seconds())
	if *output != "" {
		if err := saveVectors(ctx, *output, nil, e, format); err != nil {
			return err
		}
		p(stdout, "Saved them to %s.\n", *output)
	}
	p(stdout, "\nNearest neighbours (cosine similarity):\n")
	for _, w := range demoNeighbors {
		nb, err := e.MostSimilar([]string{w}, nil, 8, embed.QueryOptions{})
		if err != nil {
			return err
		}
		parts := make([]string, len(nb))
		for i, n := range nb {
			parts[i] = fmt.Sprintf("%s %.2f", n.Word, n.Score)
		}
		p(stdout, "  %-7s %s\n", w, strings.Join(parts, ", "))
	}
	p(stdout, "\nAnalogies, a : b :: c : ? (the nearest word to b - a + c):\n")
	for _, a := range demoAnalogies {
		nb, err := e.MostSimilar([]string{a[1], a[2]}, []string{a[0]}, 3, embed.QueryOptions{})
		if err != nil {
			return err
		}
		mark := "✗"
		if nb[0].Word == a[3] {
			mark = "✓"
		}
		parts := make([]string, len(nb))
		for i, n := range nb {
			parts[i] = fmt.Sprintf("%s %.2f", n.Word, n.Score)
		}
		p(stdout, "  %s %-8s : %-8s :: %-8s : %-9s (%s)\n", mark, a[0], a[1], a[2], nb[0].Word, strings.Join(parts, ", "))
	}
	p(stdout, "\nNext: train on your own text with \"wordspace train -train FILE -output vectors.txt\",\n")
	p(stdout, "then query it with \"wordspace neighbors -model vectors.txt WORD\".\n")
	return nil
}
