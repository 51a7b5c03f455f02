// Analogies asks word vectors the classic analogy questions: man is to
// king as woman is to ?, big is to biggest as small is to ?, a country and
// its capital, a singular and its plural, each answered with 3CosAdd and
// 3CosMul.
//
//	go run ./examples/analogies                  # trains on the built-in demo corpus (cached)
//	go run ./examples/analogies vectors.bin      # any word2vec, GloVe, fastText .vec or .npy file
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
)

// The questions, a:b :: c:d with d the expected answer.
var questions = []struct {
	what       string
	a, b, c, d string
}{
	{"gender", "man", "king", "woman", "queen"},
	{"superlative", "big", "biggest", "small", "smallest"},
	{"capital", "france", "paris", "england", "london"},
	{"capital", "greece", "athens", "italy", "rome"},
	{"plural", "car", "cars", "house", "houses"},
	{"plural", "child", "children", "man", "men"},
}

func main() {
	k := flag.Int("k", 5, "answers shown per method")
	restrict := flag.Int("restrict", 0, "search only the `N` most frequent words (0: all)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: analogies [-k K] [-restrict N] [vectors-file]")
		flag.PrintDefaults()
	}
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var vectors *embed.Embeddings
	var err error
	switch flag.NArg() {
	case 0:
		fmt.Fprintln(os.Stderr, "no vectors given: training on the built-in demo corpus (cached after the first run)")
		progress, done := demo.Progress(os.Stderr)
		vectors, err = demo.Vectors(ctx, progress)
		done()
	case 1:
		vectors, err = embed.Load(flag.Arg(0), embed.LoadOptions{})
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d words, dimension %d; each line: method, rank of the expected answer (- if not shown), best answers\n",
		vectors.Len(), vectors.Dim())

	for _, q := range questions {
		fmt.Printf("\n%s: %s : %s :: %s : ?   (expected %s)\n", q.what, q.a, q.b, q.c, q.d)
		for _, m := range []analogy.Method{analogy.CosAdd, analogy.CosMul} {
			// Case-insensitive lookup, so that vectors with capitalised
			// words (Paris, London) work as well as lower-cased ones.
			answers, err := analogy.Solve(vectors, q.a, q.b, q.c, analogy.Options{
				Method: m, K: *k, Restrict: *restrict,
			})
			if errors.Is(err, embed.ErrUnknownWord) {
				fmt.Printf("  %-8v skipped: %v\n", m, err)
				continue
			}
			if err != nil {
				log.Fatal(err)
			}
			var parts []string
			verdict := "-" // the expected answer is not among them
			for i, a := range answers {
				parts = append(parts, fmt.Sprintf("%s %.3f", a.Word, a.Score))
				if strings.EqualFold(a.Word, q.d) {
					verdict = fmt.Sprintf("#%d", i+1)
				}
			}
			fmt.Printf("  %-8v %-3s %s\n", m, verdict, strings.Join(parts, ", "))
		}
	}
}
