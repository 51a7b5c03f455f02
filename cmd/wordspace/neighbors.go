package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/subword"
)

// loadFlags are the flags every command that reads a vector file shares.
type loadFlags struct {
	model  *string
	limit  *int
	strict *bool
	format *string
}

func addLoadFlags(fs *flag.FlagSet, name, help string) loadFlags {
	return loadFlags{
		model:  fs.String(name, "", help),
		limit:  fs.Int("limit", 0, "read only the first `N` words of the file (0: all)"),
		strict: fs.Bool("strict", false, "reject words that are not valid UTF-8 (default: keep their bytes)"),
		format: fs.String("format", "auto", "input `format`: auto, text, binary, glove or npy"),
	}
}

func (l loadFlags) load(flagName string) (*embed.Embeddings, error) {
	e, _, err := l.loadModel(flagName)
	return e, err
}

// loadModel is load for the commands that can also answer for words
// outside the vocabulary: from a fastText .bin it returns the subword
// model too (else nil).
func (l loadFlags) loadModel(flagName string) (*embed.Embeddings, *subword.Model, error) {
	if *l.model == "" {
		return nil, nil, fmt.Errorf("-%s is required", flagName)
	}
	f, err := embed.ParseFormat(*l.format)
	if err != nil {
		return nil, nil, err
	}
	return subword.LoadVectors(*l.model, embed.LoadOptions{Limit: *l.limit, StrictUTF8: *l.strict, Format: f})
}

// unseen returns the words that sub, if any, can give a vector from their
// n-grams alone, and tells the user about them on stderr.
func unseen(sub *subword.Model, words []string, stderr io.Writer) []string {
	var out []string
	for _, w := range words {
		if sub != nil && !sub.Known(w) && !slices.Contains(out, w) {
			if _, err := sub.Vector(w); err == nil {
				out = append(out, w)
				fmt.Fprintf(stderr, "%q is not in the vocabulary: its vector comes from its character n-grams only\n", w)
			}
		}
	}
	return out
}

func neighborsCommand() command {
	return command{
		name:    "neighbors",
		summary: "print a word's nearest neighbours by cosine similarity",
		run:     runNeighbors,
	}
}

func runNeighbors(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("neighbors", "-model FILE [-k K] [-index FILE.hnsw] WORD [WORD...]\n\nPrints the K words closest to WORD (to the mean of the words' unit vectors\nminus those of -negative), one a line as word<TAB>cosine, best first.\nFrom a fastText .bin model, words outside the vocabulary get vectors from\ntheir character n-grams (said on standard error).\nWith -index, the answer comes from an approximate index (see \"wordspace\nindex\"): much faster on large vocabularies, and it may miss a few.", stderr)
	lf := addLoadFlags(fs, "model", "vector `file` (word2vec text or binary, GloVe, .npy, fastText .bin; gzip detected)")
	k := fs.Int("k", 10, "number of neighbours")
	restrict := fs.Int("restrict", 0, "search only the first `N` words of the vocabulary (0: all)")
	negative := fs.String("negative", "", "comma-separated `words` to subtract")
	index := fs.String("index", "", "answer from the approximate nearest-neighbour index in `file` (built by \"wordspace index\" from the same -model)")
	ef := fs.Int("ef", 0, "with -index: candidates the search keeps (0: the index's default); more is slower, nearer to exact")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "wordspace neighbors: give at least one word")
		fs.Usage()
		return errUsage
	}
	if *k <= 0 {
		return fmt.Errorf("-k must be positive, not %d", *k)
	}
	if *ef < 0 {
		return fmt.Errorf("-ef must not be negative, not %d", *ef)
	}
	e, sub, err := lf.loadModel("model")
	if err != nil {
		return err
	}
	opts := embed.QueryOptions{Restrict: *restrict}
	if *index != "" {
		if opts.Index, err = loadIndex(*index, *ef, e); err != nil {
			return err
		}
	}
	var neg []string
	if *negative != "" {
		neg = strings.Split(*negative, ",")
	}
	mostSimilar := e.MostSimilar
	if len(unseen(sub, append(fs.Args(), neg...), stderr)) > 0 {
		mostSimilar = sub.MostSimilar
	}
	res, err := mostSimilar(fs.Args(), neg, *k, opts)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	for _, n := range res {
		fmt.Fprintf(w, "%s\t%.6f\n", n.Word, n.Score)
	}
	return w.Flush()
}

func similarityCommand() command {
	return command{
		name:    "similarity",
		summary: "print the cosine similarity of word pairs",
		run:     runSimilarity,
	}
}

func runSimilarity(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("similarity", "-model FILE WORD1 WORD2\n       wordspace similarity -model FILE < pairs.txt\n\nPrints the cosine similarity of two words; with no words, reads pairs from\nstandard input, two words a line, and prints word1<TAB>word2<TAB>cosine\n(or an empty cosine when a word is unknown).", stderr)
	lf := addLoadFlags(fs, "model", "vector `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 && fs.NArg() != 2 {
		fmt.Fprintln(stderr, "wordspace similarity: give two words, or none to read pairs from standard input")
		fs.Usage()
		return errUsage
	}
	e, err := lf.load("model")
	if err != nil {
		return err
	}
	if fs.NArg() == 2 {
		s, err := e.Similarity(fs.Arg(0), fs.Arg(1))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%.6f\n", s)
		return nil
	}
	return similarityPairs(ctx, e, stdin, stdout)
}

// stdin is where similarity reads pairs; tests replace it.
var stdin io.Reader = os.Stdin

func similarityPairs(ctx context.Context, e *embed.Embeddings, in io.Reader, stdout io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	w := bufio.NewWriter(stdout)
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			return err
		}
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) < 2 {
			return fmt.Errorf("standard input line %d: want two words", line)
		}
		s, err := e.Similarity(f[0], f[1])
		if err != nil {
			fmt.Fprintf(w, "%s\t%s\t\n", f[0], f[1])
			continue
		}
		fmt.Fprintf(w, "%s\t%s\t%.6f\n", f[0], f[1], s)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}
