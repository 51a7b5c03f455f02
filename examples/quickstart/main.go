// Quickstart trains word vectors on the corpus built into wordspace and
// asks them a few questions: the shortest complete use of the library.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/word2vec"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	// Any corpus works the same way: corpus.Open reads files,
	// directories and .gz files. The demo corpus is built in.
	cfg := word2vec.DefaultConfig()
	cfg.Sample = 1e-4 // subsample frequent words harder: better vectors, faster
	// On a terminal, one line redrawn in place; in a log or a pipe, a
	// line per epoch.
	progress, done := demo.Progress(os.Stderr)
	cfg.Progress = progress
	model, err := word2vec.Train(ctx, demo.Corpus(), cfg)
	done()
	if err != nil {
		log.Fatal(err)
	}
	vectors, err := model.Embeddings()
	if err != nil {
		log.Fatal(err)
	}

	for _, word := range []string{"king", "water"} {
		neighbors, err := vectors.MostSimilar([]string{word}, nil, 5, embed.QueryOptions{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("nearest to %s:", word)
		for _, n := range neighbors {
			fmt.Printf(" %s (%.2f)", n.Word, n.Score)
		}
		fmt.Println()
	}

	// king - man + woman = ?
	answer, err := vectors.MostSimilar([]string{"king", "woman"}, []string{"man"}, 1, embed.QueryOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("king - man + woman = %s (%.2f)\n", answer[0].Word, answer[0].Score)
}
