package main

import (
	"bufio"
	"context"
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
	fs     *flagSet
	model  *string
	limit  *int
	strict *bool
	format *string
}

// addLoadFlags defines -model (the vector file; old spellings in old)
// and the flags that say how to read it.
func addLoadFlags(fs *flagSet, help string, old ...string) loadFlags {
	l := loadFlags{
		fs:     fs,
		model:  fs.String("model", "", help),
		limit:  fs.Int("limit", 0, "read only the first `N` words of the file (0: all)"),
		strict: fs.Bool("strict", false, "reject words that are not valid UTF-8 (default: keep their bytes)"),
		format: fs.String("format", "auto", "input `format`: auto, text, binary, glove or npy"),
	}
	if len(old) > 0 {
		fs.alias("model", old...)
	}
	return l
}

const modelHelp = "vector `file` (word2vec text or binary, GloVe, .npy, fastText .bin; gzip detected)"

// check validates the flags without reading the file.
func (l loadFlags) check() (embed.Format, error) {
	if *l.model == "" {
		return 0, usagef(l.fs.cmd, "-model is required")
	}
	if *l.limit < 0 {
		return 0, usagef(l.fs.cmd, "-limit must not be negative, not %d", *l.limit)
	}
	f, err := embed.ParseFormat(*l.format)
	if err != nil {
		return 0, usagef(l.fs.cmd, "-format: %v", err)
	}
	return f, nil
}

func (l loadFlags) load() (*embed.Embeddings, error) {
	e, _, err := l.loadModel()
	return e, err
}

// loadModel is load for the commands that can also answer for words
// outside the vocabulary: from a fastText .bin it returns the subword
// model too (else nil).
func (l loadFlags) loadModel() (*embed.Embeddings, *subword.Model, error) {
	f, err := l.check()
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

// input names the vector file for checkOutputs.
func (l loadFlags) input() file { return file{flag: "model", path: *l.model} }

// positive checks that flag's value is at least 1.
func positive(fs *flagSet, flag string, v int) error {
	if v <= 0 {
		return usagef(fs.cmd, "-%s must be positive, not %d", flag, v)
	}
	return nil
}

// notNegative checks that flag's value is 0 or more.
func notNegative(fs *flagSet, flag string, v int) error {
	if v < 0 {
		return usagef(fs.cmd, "-%s must not be negative, not %d", flag, v)
	}
	return nil
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
	lf := addLoadFlags(fs, modelHelp)
	k := fs.Int("k", 10, "number of neighbours")
	restrict := fs.Int("restrict", 0, "search only the first `N` words of the vocabulary (0: all)")
	negative := fs.String("negative", "", "comma-separated `words` to subtract")
	index := fs.String("index", "", "answer from the approximate nearest-neighbour index in `file` (built by \"wordspace index\" from the same -model)")
	ef := fs.Int("ef", 0, "with -index: candidates the search keeps (0: the index's default); more is slower, nearer to exact")
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef(fs.cmd, "give at least one word")
	}
	if err := positive(fs, "k", *k); err != nil {
		return err
	}
	if err := notNegative(fs, "restrict", *restrict); err != nil {
		return err
	}
	if err := notNegative(fs, "ef", *ef); err != nil {
		return err
	}
	e, sub, err := lf.loadModel()
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
	return flushed(stdout, func(w *bufio.Writer) error {
		for _, n := range res {
			fmt.Fprintf(w, "%s\t%.6f\n", n.Word, n.Score)
		}
		return nil
	})
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
	lf := addLoadFlags(fs, modelHelp)
	if err := fs.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 && fs.NArg() != 2 {
		return usagef(fs.cmd, "give two words, or none to read pairs from standard input")
	}
	e, err := lf.load()
	if err != nil {
		return err
	}
	if fs.NArg() == 2 {
		s, err := e.Similarity(fs.Arg(0), fs.Arg(1))
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%.6f\n", s)
		return err
	}
	return similarityPairs(ctx, e, stdin, stdout)
}

// stdin is where similarity and analogy read questions; tests replace it.
var stdin io.Reader = os.Stdin

func similarityPairs(ctx context.Context, e *embed.Embeddings, in io.Reader, stdout io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return flushed(stdout, func(w *bufio.Writer) error {
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
		return sc.Err()
	})
}
