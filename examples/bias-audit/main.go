// Bias-audit measures gender and other social bias in word vectors, removes
// the gender direction by hard debiasing, and prints what changed: the ten
// WEAT tests of Caliskan et al. (2017) and the direct bias of the
// professions of Bolukbasi et al. (2016), before and after.
//
//	go run ./examples/bias-audit                # vectors trained on the built-in demo corpus
//	go run ./examples/bias-audit vectors.bin    # any word2vec, GloVe, fastText or .npy file
//
// With -questions (Google analogies) and -wordsim (WordSim-353) it also
// shows what debiasing costs in analogy accuracy and similarity:
//
//	go run ./examples/bias-audit -questions ../shared/data/eval/questions-words.txt \
//	    -wordsim ../shared/data/eval/wordsim353.tsv vectors.txt
//
// "wordspace bias report" writes the same audit as a Markdown report with
// plots.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/bias/audit"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log.SetFlags(0)
	questions := flag.String("questions", "", "analogy questions `file` for the utility check")
	wordsim := flag.String("wordsim", "", "word-pair similarity `file` for the utility check")
	flag.Parse()

	var vectors *embed.Embeddings
	var err error
	if flag.NArg() > 0 {
		vectors, err = embed.Load(flag.Arg(0), embed.LoadOptions{})
	} else {
		fmt.Fprintln(os.Stderr, "no vector file given: training on the built-in demo corpus (cached after the first run)")
		progress, done := demo.Progress(os.Stderr)
		vectors, err = demo.Vectors(ctx, progress)
		done()
	}
	if err != nil {
		log.Fatal(err)
	}

	opt := audit.Options{
		// Seeded, so that every run prints the same numbers.
		WEAT:   bias.WEATOptions{Seed: 1},
		Debias: true,
	}
	if *questions != "" && *wordsim != "" {
		// 3CosAdd accuracy among the 30,000 most frequent words and the
		// Spearman correlation with human similarity ratings.
		opt.Utility, err = audit.LoadUtility(*questions, *wordsim, 30000)
		if err != nil {
			log.Fatal(err)
		}
	}
	report, err := audit.Run(ctx, vectors, opt)
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
