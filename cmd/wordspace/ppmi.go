package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/ppmi"
)

func ppmiCommand() command {
	return command{
		name:    "ppmi",
		summary: "count-based vectors: co-occurrence counts, PPMI and truncated SVD",
		run:     runPPMI,
	}
}

const ppmiSynopsis = `-corpus FILE -output FILE [flags]

Builds count-based word vectors from FILE (text, .gz or a directory; one
sentence per line): counts co-occurrences within -window words, weighs them
by positive PMI with context smoothing -cds and shift log(-shift), and keeps
the top -size dimensions of a randomised truncated SVD, scaled by the
singular values to the power -eig. The defaults follow Levy, Goldberg and
Dagan (2015). -save-counts keeps the count matrix (without -output it only
counts); -load-counts starts from one instead of the corpus. The output's
format follows its name (see "wordspace convert -h"); -output - writes
word2vec text to standard output.`

func runPPMI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ppmi", ppmiSynopsis, stderr)
	train := fs.String("corpus", "", "corpus `file` or directory (plain or gzip)")
	fs.alias("corpus", "train")
	output := fs.String("output", "", "write the word vectors to `file` (- for standard output)")
	size := fs.Int("size", 100, "vector `dimension`")
	window := fs.Int("window", 5, "context words on each side")
	weighting := fs.String("weighting", "linear", "context weight by distance d: uniform, linear ((window-d+1)/window, word2vec's dynamic window) or harmonic (1/d)")
	sample := fs.Float64("sample", 0, "subsample frequent words with word2vec's `threshold` (e.g. 1e-5); 0 keeps all")
	cds := fs.Float64("cds", 0.75, "context distribution smoothing `exponent`; 1 turns it off")
	shift := fs.Float64("shift", 1, "subtract log(`k`) from every PMI value (k negative samples); 1 for none")
	eig := fs.Float64("eig", 0.5, "scale the singular vectors by the singular values to this `power` (0, 0.5 or 1)")
	addContexts := fs.Bool("add-contexts", false, "add the context vectors to the word vectors (w+c)")
	minCount := fs.Int("min-count", 5, "drop words seen fewer times")
	maxVocab := fs.Int("max-vocab", 0, "keep only the `n` most frequent words; 0 for all")
	binary := fs.Int("binary", 0, "1 writes the word2vec binary format, 0 text; an output name that says its format (.bin, .txt, .npy) needs no -binary")
	to := fs.String("to", "", "output `format`: text, binary, glove or npy (default: from the output's name)")
	threads := fs.Int("threads", 0, "threads for counting and the SVD (0: all processors)")
	oversample := fs.Int("oversample", 10, "extra random directions in the SVD")
	powerIters := fs.Int("power-iters", 4, "power iterations in the SVD (with -tol: the most, default 50)")
	tol := fs.Float64("tol", 0, "iterate the SVD until no singular value moves by more than this (relative); 0 for a fixed -power-iters")
	seed := fs.Uint64("seed", 1, "random seed for subsampling and the SVD")
	lower := fs.Bool("lower", false, "lower-case the corpus")
	saveCounts := fs.String("save-counts", "", "also write the co-occurrence matrix to `file`")
	loadCounts := fs.String("load-counts", "", "read the co-occurrence matrix from `file` instead of counting a corpus")
	quiet := fs.Bool("quiet", false, "no progress or summary")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	switch {
	case (*train == "") == (*loadCounts == ""):
		return usagef(fs.cmd, "give exactly one of -corpus and -load-counts")
	case *loadCounts != "" && *saveCounts != "":
		return usagef(fs.cmd, "-save-counts with -load-counts would only copy the counts file")
	case *output == "" && *saveCounts == "":
		return usagef(fs.cmd, "-output is required (or -save-counts alone, to count only)")
	case *size <= 0:
		return usagef(fs.cmd, "-size must be positive, not %d", *size)
	case *window <= 0:
		return usagef(fs.cmd, "-window must be positive, not %d", *window)
	case *threads < 0:
		return usagef(fs.cmd, "-threads must not be negative, not %d", *threads)
	case *minCount < 0 || *maxVocab < 0:
		return usagef(fs.cmd, "-min-count and -max-vocab must not be negative")
	case *powerIters < 0 || *oversample < 0:
		return usagef(fs.cmd, "-power-iters and -oversample must not be negative")
	case *cds <= 0 || *cds > 1:
		return usagef(fs.cmd, "-cds must be in (0, 1]; 1 turns smoothing off")
	case *eig < 0 || *eig > 1:
		return usagef(fs.cmd, "-eig must be in [0, 1], not %v", *eig)
	case *shift <= 0:
		return usagef(fs.cmd, "-shift must be positive (1 for no shift), not %v", *shift)
	case *tol < 0 || *sample < 0:
		return usagef(fs.cmd, "-tol and -sample must not be negative")
	}
	w, err := ppmi.ParseWeighting(*weighting)
	if err != nil {
		return usagef(fs.cmd, "-weighting: %v", err)
	}
	format := embed.Text
	var outs []file
	if *output != "" {
		bin := -1
		if fs.isSet("binary") {
			bin = *binary
		}
		if format, err = vectorFormat(fs.cmd, *output, *to, bin); err != nil {
			return err
		}
		outs = vectorFiles("output", *output, format, true)
	}
	outs = append(outs, file{flag: "save-counts", path: *saveCounts})
	if err := checkOutputs(fs.cmd, []file{{flag: "corpus", path: *train}, {flag: "load-counts", path: *loadCounts}}, outs...); err != nil {
		return err
	}
	if *threads == 0 {
		*threads = runtime.GOMAXPROCS(0)
	}
	if *threads < runtime.GOMAXPROCS(0) {
		// -threads bounds every goroutine pool, the matrix-product
		// kernel's included.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(*threads))
	}
	pmiOpts := ppmi.PMIOptions{Smoothing: *cds, Shift: *shift}
	embOpts := ppmi.EmbedOptions{Eig: *eig, AddContexts: *addContexts}
	bar := newProgress(stderr, *quiet)
	defer bar.finish()
	say := bar.println

	start := time.Now()
	var cooc *ppmi.Cooccurrence
	if *loadCounts != "" {
		bar.set("load", 0, 0, "")
		if cooc, err = ppmi.Load(*loadCounts); err != nil {
			return err
		}
		say("loaded %d×%d counts (%d non-zeros) in %.1fs", cooc.Vocab().Len(), cooc.Vocab().Len(), cooc.Counts().NNZ(), time.Since(start).Seconds())
	} else {
		text, err := corpus.Open([]string{*train}, corpus.TokenOptions{Lower: *lower})
		if err != nil {
			return err
		}
		bar.set("vocab", 0, 0, "")
		vocab, err := corpus.BuildVocab(ctx, text, corpus.VocabOptions{MinCount: max(*minCount, 1), MaxVocab: *maxVocab})
		if err != nil {
			return err
		}
		say("vocabulary: %d words in %.1fs", vocab.Len(), time.Since(start).Seconds())
		t := time.Now()
		cooc, err = ppmi.Count(ctx, text, vocab, ppmi.CountOptions{
			Window:    *window,
			Weighting: w,
			Subsample: *sample,
			Seed:      *seed,
			Threads:   *threads,
			Progress:  func(p ppmi.Progress) { bar.set("count", p.Done, p.Total, "") },
		})
		if err != nil {
			return err
		}
		say("counted %d tokens: %d non-zero pairs in %.1fs", cooc.Info().Tokens, cooc.Counts().NNZ(), time.Since(t).Seconds())
		if *saveCounts != "" {
			t := time.Now()
			if err := cooc.Save(*saveCounts); err != nil {
				return err
			}
			say("saved the counts to %s in %.1fs", *saveCounts, time.Since(t).Seconds())
			if *output == "" {
				return nil
			}
		}
	}
	vocab := cooc.Vocab()
	if *size > vocab.Len() {
		return fmt.Errorf("-size %d is larger than the vocabulary (%d words)", *size, vocab.Len())
	}

	t := time.Now()
	bar.set("ppmi", 0, 0, "")
	m, err := cooc.PPMI(pmiOpts)
	if err != nil {
		return err
	}
	say("PPMI: %d positive entries in %.1fs", m.NNZ(), time.Since(t).Seconds())

	iters := *powerIters
	itersSet := fs.isSet("power-iters")
	switch {
	case *tol > 0 && !itersSet:
		iters = 0 // the library's default for tolerance mode
	case iters == 0:
		iters = -1 // none; the library's zero means its default
	}
	t = time.Now()
	svd, err := ppmi.TruncatedSVD(ctx, m, ppmi.SVDOptions{
		Dim:        *size,
		Oversample: *oversample,
		PowerIters: iters,
		Tolerance:  *tol,
		Seed:       *seed,
		Threads:    *threads,
		Progress:   func(p ppmi.Progress) { bar.set("svd", p.Done, p.Total, "") },
	})
	if err != nil {
		return err
	}
	say("SVD: %d dimensions, %d power iterations, in %.1fs", *size, svd.Iterations, time.Since(t).Seconds())

	e, err := svd.Embeddings(vocab, embOpts)
	if err != nil {
		return err
	}
	if err := saveVectors(ctx, *output, stdout, e, format); err != nil {
		return err
	}
	say("wrote %d vectors of dimension %d to %s; total %.1fs", e.Len(), e.Dim(), *output, time.Since(start).Seconds())
	return nil
}
