package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
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
"wordspace train". The output's format follows its name (.bin binary,
.txt/.vec text, .npy NumPy, .gz compressed; see "wordspace convert -h"),
else -binary; -output - writes to standard output. Ctrl-C (or SIGTERM,
SIGHUP) saves a checkpoint; the same command with -resume continues from it.
`

// trainFlags are the C tool's flags plus wordspace's own.
type trainFlags struct {
	fs                                                                *flagSet
	train, output, saveVocab, readVocab, checkpoint, stem, cpuProfile string
	saveModel                                                         string
	size, window, negative, threads, iter, minCount, maxVocab         int
	minn, maxn, bucket                                                int
	hs, cbow, binary, shared                                          int
	sample, alpha, minAlpha, initRange, nsExponent                    float64
	seed                                                              uint64
	lower, quiet, resume                                              bool
	format                                                            embed.Format
}

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, `wordspace train needs a corpus and an output file, as in
  wordspace train -train corpus.txt -output vectors.txt
Run "wordspace train -h" for all flags. New here? "wordspace demo" trains on a
built-in corpus in about 15 seconds and shows what the vectors can do.`)
		return errUsage
	}
	fs := newFlagSet("train", trainSynopsis, stderr)
	f := addTrainFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	cfg, err := f.config()
	if err != nil {
		return err
	}
	if err := f.checkFiles(); err != nil {
		return err
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	text, err := corpus.Open([]string{f.train}, corpus.TokenOptions{Lower: f.lower, Stem: f.stem})
	if err != nil {
		return err
	}
	fp, err := text.Fingerprint()
	if err != nil {
		return err
	}
	r := &trainRun{f: f, text: text, fingerprint: fp, stdout: stdout, stderr: stderr, start: time.Now()}
	var m *word2vec.Model
	if f.resume {
		m, err = r.resume(ctx, cfg)
	} else {
		m, err = r.fresh(ctx, cfg)
	}
	if err != nil {
		return r.stopped(ctx, m, err)
	}
	if m == nil {
		return nil // -save-vocab without -output
	}
	return r.save(ctx, m)
}

func addTrainFlags(fs *flagSet) *trainFlags {
	def := word2vec.DefaultConfig()
	f := &trainFlags{fs: fs}
	fs.StringVar(&f.train, "train", "", "corpus `file` or directory (plain or gzip)")
	fs.alias("train", "corpus")
	fs.StringVar(&f.output, "output", "", "write the word vectors to `file` (- for standard output)")
	fs.IntVar(&f.size, "size", def.Dim, "vector `dimension`")
	fs.IntVar(&f.window, "window", def.Window, "largest distance between a word and its context")
	fs.Float64Var(&f.sample, "sample", def.Sample, "subsampling `threshold` for frequent words; 0 turns it off")
	fs.IntVar(&f.hs, "hs", 0, "hierarchical softmax: 1 on, 0 off")
	fs.IntVar(&f.negative, "negative", def.Negative, "noise words per example; 0 turns negative sampling off")
	fs.IntVar(&f.shared, "shared-negatives", boolInt(!def.PerPairNegatives), "skip-gram: 1 shares the noise words across a window (about 1.6x faster, as good in the benchmarks), 0 draws them per pair as the C tool does; with subwords always per pair")
	fs.IntVar(&f.threads, "threads", 0, "training goroutines (0: all processors)")
	fs.IntVar(&f.iter, "iter", def.Epochs, "training epochs")
	fs.IntVar(&f.minCount, "min-count", def.MinCount, "drop words seen fewer times")
	fs.IntVar(&f.maxVocab, "max-vocab", 0, "keep only the `n` most frequent words; 0 for all")
	fs.Float64Var(&f.alpha, "alpha", 0.025, "starting learning `rate`; with -cbow 1 and no -alpha, 0.05 as in the C tool")
	fs.Float64Var(&f.minAlpha, "min-alpha", 0, "final learning `rate` (default alpha/(2·iter), with subwords alpha·1e-4 as fastText; the C tool's is alpha·1e-4)")
	fs.Float64Var(&f.initRange, "init-range", 0, "vectors start uniformly in ±`r`/size (default 2 for skip-gram, 1 for CBOW and with subwords; the C tool's is 0.5, gensim's 1)")
	fs.Float64Var(&f.nsExponent, "ns-exponent", 0, "noise words are drawn with probability count^`e` (default 0.75 as the C tool and gensim, 0.5 with subwords as fastText; gensim's ns_exponent)")
	fs.IntVar(&f.binary, "binary", 0, "1 writes the word2vec binary format, 0 text; an output name that says its format (.bin, .txt, .npy) needs no -binary")
	fs.IntVar(&f.cbow, "cbow", 0, "1 trains CBOW, 0 skip-gram")
	fs.StringVar(&f.saveVocab, "save-vocab", "", "write the vocabulary with counts to `file`")
	fs.StringVar(&f.readVocab, "read-vocab", "", "read the vocabulary from `file` instead of counting the corpus")
	fs.Uint64Var(&f.seed, "seed", def.Seed, "random seed; with -threads 1 the same seed gives the same vectors")
	fs.BoolVar(&f.lower, "lower", false, "lower-case the corpus")
	fs.StringVar(&f.stem, "stem", "", "stem tokens with the snowball stemmer for `language` (english, french, ...)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress or summary")
	fs.StringVar(&f.checkpoint, "checkpoint", "", "`file` where an interruption saves the model for -resume (default OUTPUT.ckpt)")
	fs.BoolVar(&f.resume, "resume", false, "continue from the checkpoint instead of starting afresh")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) to `file`")
	fs.IntVar(&f.minn, "minn", 3, "subwords: shortest character n-gram (fastText's -minn)")
	fs.IntVar(&f.maxn, "maxn", 0, "subwords: longest character n-gram; 0 trains plain word2vec, 6 as fastText (fastText's -maxn); a text -output then has 5 significant digits, as fastText's .vec")
	fs.IntVar(&f.bucket, "bucket", 2000000, "subwords: rows the hashed n-grams share (fastText's -bucket)")
	fs.StringVar(&f.saveModel, "save-model", "", "also write the whole model to `file` in fastText's .bin format (for \"wordspace vectors\", fastText and gensim)")
	return f
}

// config checks the flags and turns them into training settings. The C
// tool's 0 for "off" (-negative 0, -sample 0) and "every word"
// (-min-count 0) becomes what word2vec.Config says for them; a 0 where
// the C tool takes none (-size 0) is refused, with word2vec's message,
// rather than read as word2vec's default.
func (f *trainFlags) config() (word2vec.Config, error) {
	cmd := f.fs.cmd
	for _, b := range []struct {
		name string
		v    int
	}{{"hs", f.hs}, {"cbow", f.cbow}, {"binary", f.binary}, {"shared-negatives", f.shared}} {
		if b.v != 0 && b.v != 1 {
			return word2vec.Config{}, usagef(cmd, "-%s %d: must be 0 or 1", b.name, b.v)
		}
	}
	switch {
	case f.train == "":
		return word2vec.Config{}, usagef(cmd, "-train FILE is required (run \"wordspace demo\" for a first try)")
	case f.output == "" && f.saveVocab == "":
		return word2vec.Config{}, usagef(cmd, "-output FILE is required")
	case f.threads < 0:
		return word2vec.Config{}, usagef(cmd, "-threads %d: must not be negative (0: all processors)", f.threads)
	case f.size <= 0:
		return word2vec.Config{}, usagef(cmd, "vector size %d: must be positive", f.size)
	case f.window <= 0:
		return word2vec.Config{}, usagef(cmd, "window %d: must be at least 1", f.window)
	case f.negative < 0:
		return word2vec.Config{}, usagef(cmd, "negative %d: must not be negative", f.negative)
	case f.sample < 0:
		return word2vec.Config{}, usagef(cmd, "sample %v: must be 0 or positive", f.sample)
	case f.fs.isSet("alpha") && f.alpha <= 0:
		return word2vec.Config{}, usagef(cmd, "learning rate %v: must be in (0, 10]", f.alpha)
	case f.iter <= 0:
		return word2vec.Config{}, usagef(cmd, "epochs %d: must be at least 1", f.iter)
	case f.minCount < 0 || f.maxVocab < 0:
		return word2vec.Config{}, usagef(cmd, "-min-count and -max-vocab must not be negative")
	case f.fs.isSet("min-alpha") && !(f.minAlpha > 0):
		return word2vec.Config{}, usagef(cmd, "final learning rate %v: must be positive", f.minAlpha)
	case f.fs.isSet("init-range") && !(f.initRange > 0):
		return word2vec.Config{}, usagef(cmd, "initial range %v: must be positive", f.initRange)
	case f.fs.isSet("ns-exponent") && !(f.nsExponent != 0 && math.Abs(f.nsExponent) <= 10):
		return word2vec.Config{}, usagef(cmd, "noise exponent %v: must be in [-10, 10] and not 0", f.nsExponent)
	case f.maxn < 0 || f.minn < 0:
		return word2vec.Config{}, usagef(cmd, "-minn %d -maxn %d: must not be negative", f.minn, f.maxn)
	case f.maxn > 0 && f.minn > f.maxn:
		return word2vec.Config{}, usagef(cmd, "-minn %d is larger than -maxn %d: no n-gram would be used", f.minn, f.maxn)
	case f.maxn > 0 && f.minn == 0:
		return word2vec.Config{}, usagef(cmd, "-minn 0 with -maxn %d: n-grams are at least 1 character long", f.maxn)
	case f.maxn > 0 && f.bucket <= 0:
		return word2vec.Config{}, usagef(cmd, "-bucket %d with n-grams of %d..%d characters: n-grams need buckets (-maxn 0 turns them off)", f.bucket, f.minn, f.maxn)
	case f.saveModel != "" && f.output == "":
		return word2vec.Config{}, usagef(cmd, "-save-model needs -output")
	}
	if f.output != "" {
		binary := -1
		if f.fs.isSet("binary") {
			binary = f.binary
		}
		var err error
		if f.format, err = vectorFormat(cmd, f.output, "", binary); err != nil {
			return word2vec.Config{}, err
		}
	}
	cfg := word2vec.Config{
		Dim: f.size, Window: f.window, Negative: offIfZero(f.negative), HS: f.hs == 1, CBOW: f.cbow == 1,
		PerPairNegatives: f.shared == 0, Sample: offIfZero(f.sample), Epochs: f.iter,
		MinCount: f.minCount, MaxVocab: f.maxVocab, Threads: f.threads, Seed: f.seed,
		MinAlpha: f.minAlpha, InitRange: f.initRange, NoiseExponent: f.nsExponent,
	}
	if f.maxn > 0 {
		cfg.MinN, cfg.MaxN, cfg.Bucket = f.minn, f.maxn, f.bucket
	}
	if f.fs.isSet("alpha") {
		cfg.Alpha = f.alpha // else word2vec's default: 0.025, or 0.05 for CBOW
	}
	if f.minCount == 0 {
		cfg.MinCount = 1 // every word
	}
	if err := cfg.Validate(); err != nil {
		return cfg, usagef(cmd, "%v", err)
	}
	return cfg, nil
}

// checkFiles refuses, before any work, outputs that cannot be written or
// that would overwrite an input, and a resume without a checkpoint.
func (f *trainFlags) checkFiles() error {
	if f.checkpoint == "" && f.output != "" && f.output != "-" {
		f.checkpoint = f.output + ".ckpt"
	}
	if f.resume && f.checkpoint == "" {
		return usagef(f.fs.cmd, "-resume needs -checkpoint FILE (with -output - there is no default)")
	}
	inputs := []file{{flag: "train", path: f.train}, {flag: "read-vocab", path: f.readVocab}}
	var outs []file
	if f.output != "" {
		outs = vectorFiles("output", f.output, f.format, true)
	}
	outs = append(outs, file{flag: "save-vocab", path: f.saveVocab, stdout: true}, file{flag: "save-model", path: f.saveModel})
	if f.resume {
		if _, err := os.Stat(f.checkpoint); err != nil {
			return fmt.Errorf("-resume: %w", err)
		}
		inputs = append(inputs, file{flag: "checkpoint", path: f.checkpoint})
		for _, in := range inputs[:2] {
			if in.path != "" && samePath(in.path, f.checkpoint) {
				return usagef(f.fs.cmd, "-checkpoint %s is also the input -%s", f.checkpoint, in.flag)
			}
		}
	} else if f.output != "" {
		outs = append(outs, file{flag: "checkpoint", path: f.checkpoint})
	}
	return checkOutputs(f.fs.cmd, inputs, outs...)
}

// offIfZero turns the C tool's 0 ("off") into word2vec.Config's -1.
func offIfZero[T int | float64](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

// trainRun is one run of the train command after its flags are checked.
type trainRun struct {
	f              *trainFlags
	text           *corpus.Corpus
	fingerprint    string // of text
	stdout, stderr io.Writer
	start          time.Time
	before         int64 // words trained before a resumed run
}

func (r *trainRun) say(format string, a ...any) {
	if !r.f.quiet {
		fmt.Fprintf(r.stderr, format, a...)
	}
}

// resume continues the checkpoint; the flags given must agree with it.
func (r *trainRun) resume(ctx context.Context, cfg word2vec.Config) (*word2vec.Model, error) {
	f := r.f
	m, err := word2vec.LoadCheckpoint(f.checkpoint)
	if err != nil {
		return nil, err
	}
	if err := sameSettings(m.Config(), f); err != nil {
		return nil, fmt.Errorf("%s: %w", f.checkpoint, err)
	}
	if have := m.CorpusFingerprint(); have != "" && r.fingerprint != "" && have != r.fingerprint {
		return nil, fmt.Errorf("%s: -train %s is %w (or was read with other -lower/-stem settings); give the same corpus or start afresh without -resume",
			f.checkpoint, f.train, corpus.ErrChanged)
	}
	if f.fs.isSet("threads") {
		m.SetThreads(cfg.Threads)
	}
	p := m.Progress()
	r.before = p.Done
	r.say("resuming %s: epoch %d of %d, %d of %d words done\n", f.checkpoint, p.Epoch, p.Epochs, p.Done, p.Total)
	bar := newProgress(r.stderr, f.quiet)
	err = m.Resume(ctx, r.text, bar.word2vec())
	bar.finish()
	return m, err
}

// fresh counts or reads the vocabulary, saves it if asked, and trains;
// it returns no model when there is no -output to train for.
func (r *trainRun) fresh(ctx context.Context, cfg word2vec.Config) (*word2vec.Model, error) {
	f := r.f
	var vocab *embed.Vocab
	var err error
	if f.readVocab != "" {
		vocab, err = corpus.LoadVocab(f.readVocab)
	} else {
		r.say("counting words in %s\n", f.train)
		vocab, err = corpus.BuildVocab(ctx, r.text, corpus.VocabOptions{MinCount: cfg.MinCount, MaxVocab: cfg.MaxVocab})
	}
	if err != nil {
		return nil, err
	}
	var total int64
	for _, c := range vocab.Counts() {
		total += c
	}
	r.say("vocabulary: %d words, %d corpus words in it (%.1fs)\n", vocab.Len(), total, time.Since(r.start).Seconds())
	if f.saveVocab != "" {
		err := writeOutput(ctx, f.saveVocab, r.stdout, func(w io.Writer) error { return corpus.WriteVocab(w, vocab) })
		if err != nil {
			return nil, err
		}
	}
	if f.output == "" {
		return nil, nil
	}
	cfg.Vocab = vocab
	bar := newProgress(r.stderr, f.quiet)
	cfg.Progress = bar.word2vec()
	m, err := word2vec.Train(ctx, r.text, cfg)
	bar.finish()
	if m != nil {
		m.SetCorpusFingerprint(r.fingerprint)
	}
	return m, err
}

// stopped handles a training error: an interruption saves a checkpoint.
func (r *trainRun) stopped(ctx context.Context, m *word2vec.Model, err error) error {
	if m == nil || ctx.Err() == nil || m.Done() {
		return err
	}
	p := m.Progress()
	where := fmt.Sprintf("in epoch %d after %d of %d words", p.Epoch, p.Done, p.Total)
	if r.f.checkpoint == "" {
		return &interruptedError{where + "; no checkpoint saved (give -checkpoint FILE with -output -)"}
	}
	if serr := m.SaveCheckpoint(r.f.checkpoint); serr != nil {
		return fmt.Errorf("interrupted %s; saving the checkpoint failed: %w", where, serr)
	}
	return &interruptedError{where + "; checkpoint saved to " + r.f.checkpoint + ": run the same command with -resume to continue"}
}

// save writes the vectors and says what was done.
func (r *trainRun) save(ctx context.Context, m *word2vec.Model) error {
	f := r.f
	if f.saveModel != "" {
		sm, err := m.SubwordModel()
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := sm.Save(f.saveModel); err != nil {
			return err
		}
	}
	e, err := m.Embeddings()
	if err != nil {
		return err
	}
	// With subwords, text values are rounded to 5 significant digits as
	// fastText writes its .vec files, so that the two compare alike.
	var opts embed.WriteOptions
	if m.Config().MaxN > 0 {
		opts.Digits = fastTextDigits
	}
	if err := saveVectorsWith(ctx, f.output, r.stdout, e, f.format, opts); err != nil {
		return err
	}
	if f.resume {
		os.Remove(f.checkpoint)
	}
	p := m.Progress()
	el := time.Since(r.start)
	r.say("trained %d words in %s (%.0f words/s, all included); wrote %d vectors of dimension %d to %s\n",
		p.Done-r.before, el.Round(time.Second/10), float64(p.Done-r.before)/el.Seconds(), m.Vocab().Len(), m.Dim(), f.output)
	return nil
}

// fastTextDigits is the significant digits of fastText's text vectors
// (its .vec files and print-word-vectors).
const fastTextDigits = 5

func startCPUProfile(path string) (stop func(), err error) {
	pf, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(pf); err != nil {
		pf.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); pf.Close() }, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sameSettings refuses a resume whose explicitly given flags contradict
// the checkpoint's settings, compared as the flags spell them.
func sameSettings(have word2vec.Config, f *trainFlags) error {
	for _, d := range []struct {
		flag string
		a, b any
	}{
		{"size", have.Dim, f.size}, {"window", have.Window, f.window}, {"negative", max(have.Negative, 0), f.negative},
		{"hs", have.HS, f.hs == 1}, {"cbow", have.CBOW, f.cbow == 1}, {"sample", max(have.Sample, 0), f.sample},
		{"alpha", have.Alpha, f.alpha}, {"iter", have.Epochs, f.iter}, {"min-count", max(have.MinCount, 1), max(f.minCount, 1)},
		{"seed", have.Seed, f.seed}, {"shared-negatives", !have.PerPairNegatives, f.shared == 1},
		{"maxn", have.MaxN, f.maxn}, {"minn", have.MinN, f.minn}, {"bucket", have.Bucket, f.bucket},
		{"min-alpha", have.MinAlpha, f.minAlpha}, {"init-range", have.InitRange, f.initRange},
		{"ns-exponent", have.NoiseExponent, f.nsExponent},
	} {
		if f.fs.isSet(d.flag) && d.a != d.b {
			return fmt.Errorf("the checkpoint was trained with -%s %v, not %v; drop -%s or start afresh without -resume", d.flag, d.a, d.b, d.flag)
		}
	}
	return nil
}
