// Bias-audit measures gender and other social bias in word vectors, removes
// the gender direction by hard debiasing, and prints what changed: the ten
// WEAT tests of Caliskan et al. (2017) and the direct bias of the
// professions of Bolukbasi et al. (2016), before and after.
//
//	go run ./examples/bias-audit                # vectors trained on the built-in demo corpus
//	go run ./examples/bias-audit vectors.bin    # any word2vec, GloVe, fastText or .npy file
//
// "wordspace bias report" writes the same audit as a Markdown report with
// plots.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/bias/audit"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/word2vec"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log.SetFlags(0)

	var vectors *embed.Embeddings
	var err error
	if len(os.Args) > 1 {
		vectors, err = embed.Load(os.Args[1])
	} else {
		fmt.Fprintln(os.Stderr, "no vector file given: training on the built-in demo corpus (cached after the first run)")
		vectors, err = demo.Vectors(ctx, func(p word2vec.Progress) {
			fmt.Fprintf(os.Stderr, "\repoch %d/%d %3.0f%%", p.Epoch, p.Epochs, 100*float64(p.Words)/float64(p.TotalWords))
		})
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		log.Fatal(err)
	}

	report, err := audit.Run(ctx, vectors, &audit.Options{
		// Seeded, so that every run prints the same numbers.
		WEAT:   bias.WEATOptions{Seed: 1},
		Debias: true,
	})
	if err != nil {
		log.Fatal(err)
	}

	fmt.Printf("%d words, %d dimensions\n", vectors.Len(), vectors.Dim())
	fmt.Printf("gender direction: first principal component of %d definitional pairs, %.0f%% of their variance\n",
		len(report.Direction.Pairs), 100*report.ExplainedVariance[0])
	for _, row := range report.WEAT {
		if row.Err != "" {
			fmt.Printf("WEAT %d did not run: %s\n", row.ID, row.Err)
			continue
		}
		missing := 0
		for _, c := range row.Before.OOV {
			missing += len(c.Missing)
		}
		if missing > 0 {
			fmt.Printf("WEAT %d: %d words not in the vocabulary\n", row.ID, missing)
		}
	}
	rep := report.Debias
	fmt.Printf("hard debiasing: neutralised %d words, kept %d gender-specific, equalised %d pairs\n\n",
		rep.Neutralized, rep.Gendered, len(rep.Equalized))
	if err := report.Table(os.Stdout); err != nil {
		log.Fatal(err)
	}
}
