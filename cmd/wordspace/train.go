package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/word2vec"
)

func trainCommand() command {
	return command{
		name:    "train",
		summary: "train word2vec vectors on a corpus (the C tool's flags)",
		run:     runTrain,
	}
}

const trainSynopsis = `-train FILE -output FILE [flags]

Trains word vectors with word2vec (skip-gram or CBOW, negative sampling or
hierarchical softmax) on FILE: a text file, a .gz file or a directory of
them, one sentence per line, tokens separated by spaces. The flags are the
original C tool's, so its command lines work with "word2vec" replaced by
"wordspace train". Ctrl-C saves a checkpoint; -resume continues from it.
`

// trainFlags are the C tool's flags plus wordspace's own.
type trainFlags struct {
	train, output, saveVocab, readVocab, checkpoint, stem, cpuProfile string
	size, window, negative, threads, iter, minCount, maxVocab         int
	hs, cbow, binary, shared                                          int
	sample, alpha                                                     float64
	seed                                                              uint64
	lower, quiet, resume                                              bool
}

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, `wordspace train needs a corpus and an output file, as in
  wordspace train -train corpus.txt -output vectors.txt
Run "wordspace train -h" for all flags. New here? "wordspace demo" trains on a
built-in corpus in about a minute and shows what the vectors can do.`)
		return errUsage
	}
	def := word2vec.DefaultConfig()
	fs := newFlagSet("train", trainSynopsis, stderr)
	var f trainFlags
	fs.StringVar(&f.train, "train", "", "corpus `file` or directory (plain or gzip)")
	fs.StringVar(&f.output, "output", "", "write the word vectors to `file`")
	fs.IntVar(&f.size, "size", def.Dim, "vector `dimension`")
	fs.IntVar(&f.window, "window", def.Window, "largest distance between a word and its context")
	fs.Float64Var(&f.sample, "sample", def.Sample, "subsampling `threshold` for frequent words; 0 turns it off")
	fs.IntVar(&f.hs, "hs", 0, "hierarchical softmax: 1 on, 0 off")
	fs.IntVar(&f.negative, "negative", def.Negative, "noise words per example; 0 turns negative sampling off")
	fs.IntVar(&f.shared, "shared-negatives", boolInt(def.SharedNegatives), "skip-gram: 1 shares the noise words across a window (about 1.5x faster, about a point lower on analogies), 0 draws them per pair as the C tool does")
	fs.IntVar(&f.threads, "threads", runtime.GOMAXPROCS(0), "training goroutines")
	fs.IntVar(&f.iter, "iter", def.Epochs, "training epochs")
	fs.IntVar(&f.minCount, "min-count", def.MinCount, "drop words seen fewer times")
	fs.IntVar(&f.maxVocab, "max-vocab", 0, "keep only the `n` most frequent words; 0 for all")
	fs.Float64Var(&f.alpha, "alpha", def.Alpha, "starting learning `rate`; with -cbow 1 and no -alpha, 0.05 as in the C tool")
	fs.IntVar(&f.binary, "binary", 0, "1 writes the word2vec binary format, 0 text")
	fs.IntVar(&f.cbow, "cbow", 0, "1 trains CBOW, 0 skip-gram")
	fs.StringVar(&f.saveVocab, "save-vocab", "", "write the vocabulary with counts to `file`")
	fs.StringVar(&f.readVocab, "read-vocab", "", "read the vocabulary from `file` instead of counting the corpus")
	fs.Uint64Var(&f.seed, "seed", def.Seed, "random seed; with -threads 1 the same seed gives the same vectors")
	fs.BoolVar(&f.lower, "lower", false, "lower-case the corpus")
	fs.StringVar(&f.stem, "stem", "", "stem tokens with the snowball stemmer for `language` (english, french, ...)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar or summary")
	fs.StringVar(&f.checkpoint, "checkpoint", "", "`file` where Ctrl-C saves the model for -resume (default OUTPUT.ckpt)")
	fs.BoolVar(&f.resume, "resume", false, "continue from the checkpoint instead of starting afresh")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) to `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "wordspace train: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f.cbow == 1 && !set["alpha"] {
		f.alpha = 0.05
	}
	for _, b := range []struct {
		name string
		v    int
	}{{"hs", f.hs}, {"cbow", f.cbow}, {"binary", f.binary}, {"shared-negatives", f.shared}} {
		if b.v != 0 && b.v != 1 {
			return fmt.Errorf("-%s %d: must be 0 or 1", b.name, b.v)
		}
	}
	if f.train == "" {
		return errors.New("-train FILE is required (run \"wordspace demo\" for a first try)")
	}
	if f.output == "" && f.saveVocab == "" {
		return errors.New("-output FILE is required")
	}
	if f.threads <= 0 {
		return fmt.Errorf("-threads %d: must be at least 1", f.threads)
	}
	cfg := word2vec.Config{
		Dim: f.size, Window: f.window, Negative: f.negative, HS: f.hs == 1, CBOW: f.cbow == 1,
		SharedNegatives: f.shared == 1, Sample: f.sample, Alpha: f.alpha, Epochs: f.iter,
		MinCount: f.minCount, MaxVocab: f.maxVocab, Threads: f.threads, Seed: f.seed,
	}
	if err := word2vec.ValidateConfig(cfg); err != nil {
		return err
	}
	format := embed.Text
	if f.binary == 1 {
		format = embed.Binary
	}
	if f.checkpoint == "" && f.output != "" {
		f.checkpoint = f.output + ".ckpt"
	}
	if f.output != "" {
		if err := checkWritable(f.output); err != nil {
			return err
		}
	}
	text, err := corpus.Open([]string{f.train}, corpus.TokenOptions{Lower: f.lower, Stem: f.stem})
	if err != nil {
		return err
	}
	say := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(stderr, format, a...)
		}
	}
	start := time.Now()
	var m *word2vec.Model
	var before int64 // words trained before a resumed run
	if f.resume {
		m, err = word2vec.LoadCheckpoint(f.checkpoint)
		if err != nil {
			return err
		}
		if err := sameSettings(m.Config(), cfg, set); err != nil {
			return fmt.Errorf("%s: %w", f.checkpoint, err)
		}
		if set["threads"] {
			m.SetThreads(f.threads)
		}
		p := m.Progress()
		before = p.Words
		say("resuming %s: epoch %d of %d, %d of %d words done\n", f.checkpoint, p.Epoch, p.Epochs, p.Words, p.TotalWords)
		bar := newProgress(stderr, f.quiet)
		err = m.Resume(ctx, text, bar.word2vec())
		bar.finish()
	} else {
		var vocab *embed.Vocab
		if f.readVocab != "" {
			vocab, err = corpus.LoadVocab(f.readVocab)
		} else {
			say("counting words in %s\n", f.train)
			vocab, err = corpus.BuildVocab(ctx, text, corpus.VocabOptions{MinCount: max(f.minCount, 1), MaxVocab: f.maxVocab})
		}
		if err != nil {
			return err
		}
		var total int64
		for _, c := range vocab.Counts() {
			total += c
		}
		say("vocabulary: %d words, %d corpus words in it (%.1fs)\n", vocab.Len(), total, time.Since(start).Seconds())
		if f.saveVocab != "" {
			if err := corpus.SaveVocab(f.saveVocab, vocab); err != nil {
				return err
			}
		}
		if f.output == "" {
			return nil
		}
		cfg.Vocab = vocab
		bar := newProgress(stderr, f.quiet)
		cfg.Progress = bar.word2vec()
		m, err = word2vec.Train(ctx, text, cfg)
		bar.finish()
	}
	if err != nil {
		if m != nil && ctx.Err() != nil && !m.Done() {
			if serr := m.SaveCheckpoint(f.checkpoint); serr != nil {
				return fmt.Errorf("%w; saving the checkpoint failed too: %v", err, serr)
			}
			p := m.Progress()
			return fmt.Errorf("interrupted in epoch %d after %d of %d words; checkpoint saved to %s: run the same command with -resume to continue",
				p.Epoch, p.Words, p.TotalWords, f.checkpoint)
		}
		return err
	}
	if err := embed.Save(f.output, m.Embeddings(), format); err != nil {
		return err
	}
	if f.resume {
		os.Remove(f.checkpoint)
	}
	p := m.Progress()
	el := time.Since(start)
	say("trained %d words in %s (%.0f words/s, all included); wrote %d vectors of dimension %d to %s\n",
		p.Words-before, el.Round(time.Second/10), float64(p.Words-before)/el.Seconds(), m.Vocab().Len(), m.Dim(), f.output)
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkWritable fails early, before hours of training, if path's
// directory does not take new files.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".wordspace-check-*")
	if err != nil {
		return fmt.Errorf("cannot write the output %s: %w", path, err)
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// sameSettings refuses a resume whose explicitly given flags contradict
// the checkpoint's settings.
func sameSettings(have, want word2vec.Config, set map[string]bool) error {
	diff := func(flag string, a, b any) error {
		if set[flag] && a != b {
			return fmt.Errorf("the checkpoint was trained with -%s %v, not %v; drop -%s or start afresh without -resume", flag, a, b, flag)
		}
		return nil
	}
	for _, d := range []struct {
		flag string
		a, b any
	}{
		{"size", have.Dim, want.Dim}, {"window", have.Window, want.Window}, {"negative", have.Negative, want.Negative},
		{"hs", have.HS, want.HS}, {"cbow", have.CBOW, want.CBOW}, {"sample", have.Sample, want.Sample},
		{"alpha", have.Alpha, want.Alpha}, {"iter", have.Epochs, want.Epochs}, {"min-count", have.MinCount, want.MinCount},
		{"seed", have.Seed, want.Seed}, {"shared-negatives", have.SharedNegatives, want.SharedNegatives},
	} {
		if err := diff(d.flag, d.a, d.b); err != nil {
			return err
		}
	}
	return nil
}
