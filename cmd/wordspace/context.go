package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/transformer"
)

func contextCommand() command {
	return command{
		name:    "context",
		summary: "train a small transformer on static vectors; show per-context word vectors",
		run:     runContext,
	}
}

const contextUsage = `Usage: wordspace context train -corpus FILE -model M -output T [flags]
       wordspace context show -transformer T [-k K] [-attention out.png] "the river bank flooded"

train  trains a causal transformer (next-word prediction) whose token
       embedding starts from the static vectors M, and saves it to T.
show   prints, for every layer, each word's nearest words of the model's
       static vocabulary to its hidden state in this context.

Run "wordspace context train -h" or "wordspace context show -h" for flags.
`

func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, contextUsage)
		return errUsage
	}
	switch args[0] {
	case "train":
		return inSubcommand("context train", runContextTrain(ctx, args[1:], stdout, stderr))
	case "show":
		return inSubcommand("context show", runContextShow(ctx, args[1:], stdout, stderr))
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stderr, contextUsage)
		return flag.ErrHelp
	}
	return usagef("context", "unknown command %q (context train or show)", args[0])
}

const contextTrainSynopsis = `-corpus FILE -model M -output T [flags]

Trains a causal transformer on next-word prediction over FILE (plain or
gzip, one sentence per line) with its token embedding initialised from the
static vectors M (any format embed reads; the vocabulary is M's first
-max-vocab words). Without -model the vocabulary is counted from FILE and
the embedding is random. Ctrl-C (or SIGTERM, SIGHUP) stops, saving a
checkpoint (T.ckpt) that the same command with -resume continues from.
When standard error is not a terminal, a line is logged at every held-out
evaluation and at least every 10 seconds.`

func runContextTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("context train", contextTrainSynopsis, stderr)
	corpusPath := fs.String("corpus", "", "training text `file` or directory")
	lf := addLoadFlags(fs, "static word vectors `file` to initialise the token embedding (optional)", "vectors")
	out := fs.String("output", "", "write the trained model to `file`")
	fs.alias("output", "out")
	checkpoint := fs.String("checkpoint", "", "`file` where an interruption (and every evaluation) saves the run for -resume (default OUTPUT.ckpt)")
	npz := fs.String("npz", "", "also write the weights as a PyTorch-readable .npz `file`")
	vocab := fs.Int("max-vocab", 5000, "keep the `N` most frequent words (plus <unk>, <bos>, <eos>)")
	fs.alias("max-vocab", "vocab")
	layers := fs.Int("layers", 2, "transformer blocks")
	heads := fs.Int("heads", 4, "attention heads per block")
	dModel := fs.Int("d-model", 64, "width of the hidden states")
	dFF := fs.Int("d-ff", 0, "width of the feed-forward layer (0: 4×d-model)")
	ctxLen := fs.Int("context", 32, "longest sequence in tokens")
	dropout := fs.Float64("dropout", 0, "dropout probability while training")
	untied := fs.Bool("untied", false, "separate output projection instead of the token embedding")
	steps := fs.Int("steps", 2000, "optimisation steps")
	batch := fs.Int("batch", 16, "sequences per step")
	lr := fs.Float64("lr", 1e-3, "peak learning rate")
	warmup := fs.Int("warmup", 0, "warm-up steps (0: steps/20)")
	heldOut := fs.Float64("held-out", 0.02, "fraction of sentences held out for perplexity")
	evalEvery := fs.Int("eval-every", 0, "steps between held-out evaluations (0: steps/10)")
	embedStd := fs.Float64("embed-std", 0, "rescale the static vectors to this element standard deviation (0: 0.1)")
	seed := fs.Uint64("seed", 1, "random seed")
	threads := fs.Int("threads", 0, "goroutines (0: all processors)")
	lower := fs.Bool("lower", false, "lower-case the corpus")
	resume := fs.Bool("resume", false, "continue from the checkpoint")
	quiet := fs.Bool("quiet", false, "no progress or summary")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if err := fs.required("corpus", "output"); err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"max-vocab", *vocab}, {"layers", *layers}, {"heads", *heads}, {"d-model", *dModel}, {"context", *ctxLen}, {"steps", *steps}, {"batch", *batch}} {
		// The library reads 0 as its default; here it is a mistake.
		if err := positive(fs, c.name, c.v); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"d-ff", *dFF}, {"warmup", *warmup}, {"eval-every", *evalEvery}, {"threads", *threads}} {
		if err := notNegative(fs, c.name, c.v); err != nil {
			return err
		}
	}
	switch {
	case !(*lr > 0):
		return usagef(fs.cmd, "-lr must be positive, not %v", *lr)
	case !(*heldOut > 0 && *heldOut < 1):
		return usagef(fs.cmd, "-held-out must be in (0, 1), not %v", *heldOut)
	case !(*dropout >= 0 && *dropout < 1):
		return usagef(fs.cmd, "-dropout must be in [0, 1), not %v", *dropout)
	case *embedStd < 0:
		return usagef(fs.cmd, "-embed-std must not be negative, not %v", *embedStd)
	case *out == "-" || *npz == "-":
		return usagef(fs.cmd, "a model cannot go to standard output; give a file name")
	}
	if *lf.model != "" && !*resume { // a resumed run's model is in the checkpoint
		if _, err := lf.check(); err != nil {
			return err
		}
	}
	cfg := transformer.Config{Vocab: *vocab, DModel: *dModel, Heads: *heads, Layers: *layers, DFF: *dFF,
		Context: *ctxLen, Dropout: float32(*dropout), Untied: *untied, EmbedStd: float32(*embedStd), Seed: *seed}
	if err := cfg.Validate(); err != nil {
		return usagef(fs.cmd, "%v", err)
	}
	if *checkpoint == "" {
		*checkpoint = *out + ".ckpt"
	}
	inputs := []file{{flag: "corpus", path: *corpusPath}, lf.input()}
	outs := []file{{flag: "output", path: *out}, {flag: "npz", path: *npz}}
	if *resume {
		inputs = append(inputs, file{flag: "checkpoint", path: *checkpoint})
	} else {
		outs = append(outs, file{flag: "checkpoint", path: *checkpoint})
	}
	if err := checkOutputs(fs.cmd, inputs, outs...); err != nil {
		return err
	}
	c, err := corpus.Open([]string{*corpusPath}, corpus.TokenOptions{Lower: *lower})
	if err != nil {
		return err
	}
	tc := transformer.TrainOptions{Steps: *steps, Batch: *batch, LR: *lr, Warmup: *warmup, HeldOut: *heldOut,
		EvalEvery: *evalEvery, Threads: *threads, Checkpoint: *checkpoint}
	var m *transformer.Model
	switch {
	case *resume:
		var state *transformer.TrainState
		m, state, err = transformer.LoadCheckpoint(*checkpoint)
		if err != nil {
			return err
		}
		if err := sameRun(fs, *checkpoint, m.Config(), cfg, state.Options, tc); err != nil {
			return err
		}
		tc.Resume = state
	case *lf.model != "":
		e, err := lf.load()
		if err != nil {
			return err
		}
		if m, err = transformer.FromEmbeddings(cfg, e); err != nil {
			return err
		}
	default:
		v, err := corpus.BuildVocab(ctx, c, corpus.VocabOptions{MinCount: 1, MaxVocab: *vocab})
		if err != nil {
			return err
		}
		if m, err = transformer.New(cfg, v.Words()); err != nil {
			return err
		}
	}
	bar := newProgress(stderr, *quiet)
	tc.Progress = bar.transformer()
	res, err := transformer.Train(ctx, m, c, tc)
	bar.finish()
	if err != nil {
		if ctx.Err() != nil && res != nil {
			return &interruptedError{fmt.Sprintf("at step %d of %d; checkpoint saved to %s: run the same command with -resume to continue", res.Steps, *steps, *checkpoint)}
		}
		return err
	}
	if err := m.Save(*out); err != nil {
		return err
	}
	os.Remove(*checkpoint)
	if *npz != "" {
		if err := m.SaveNPZ(*npz); err != nil {
			return err
		}
	}
	if !*quiet {
		last := res.History[len(res.History)-1]
		fmt.Fprintf(stdout, "trained %d steps in %s (%.0f tokens/s): training loss %.3f, held-out perplexity %.1f\n",
			res.Steps, last.Elapsed.Round(time.Second), last.TokensPerSec, last.Loss, res.HeldOutPerplexity)
		fmt.Fprintf(stdout, "corpus: %d words, %d (%.1f%%) outside the %d-word vocabulary; model saved to %s\n",
			res.Words, res.Unknown, 100*float64(res.Unknown)/float64(max(1, res.Words)), m.Config().Vocab, *out)
	}
	return nil
}

// sameRun refuses a resume whose explicitly given flags contradict the
// checkpoint: its model's shape or the run's plan (-steps changes the
// learning-rate schedule, so the run would not be the one interrupted).
func sameRun(fs *flagSet, path string, have, want transformer.Config, plan, opts transformer.TrainOptions) error {
	checks := []struct {
		flag string
		a, b any
	}{
		{"layers", have.Layers, want.Layers}, {"heads", have.Heads, want.Heads}, {"d-model", have.DModel, want.DModel},
		{"context", have.Context, want.Context}, {"untied", have.Untied, want.Untied},
		{"dropout", have.Dropout, want.Dropout}, {"seed", have.Seed, want.Seed},
	}
	if have.Vocab > want.Vocab { // fewer words than asked: the vectors or the corpus had no more
		checks = append(checks, struct {
			flag string
			a, b any
		}{"max-vocab", have.Vocab, want.Vocab})
	}
	if want.DFF != 0 {
		checks = append(checks, struct {
			flag string
			a, b any
		}{"d-ff", have.DFF, want.DFF})
	}
	if plan.Steps > 0 { // checkpoints before plans were recorded have none
		checks = append(checks, []struct {
			flag string
			a, b any
		}{
			{"steps", plan.Steps, opts.Steps}, {"batch", plan.Batch, opts.Batch}, {"lr", plan.LR, opts.LR},
			{"warmup", plan.Warmup, opts.Warmup}, {"held-out", plan.HeldOut, opts.HeldOut}, {"eval-every", plan.EvalEvery, opts.EvalEvery},
		}...)
	}
	for _, c := range checks {
		if fs.isSet(c.flag) && c.a != c.b {
			return fmt.Errorf("%s: the checkpoint's run has -%s %v, not %v; drop -%s or start afresh without -resume", path, c.flag, c.a, c.b, c.flag)
		}
	}
	return nil
}

func runContextShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("context show", "-transformer T [-k K] [-attention out.png] \"a sentence\"\n\nRuns the model on the words (after <bos>) and prints, for every layer, each\nword's K nearest words of the model's vocabulary: the token embeddings\nclosest by cosine to the word's hidden state. Layer 0 is the input\n(token + position); the last, the final layer norm, is what predicts the\nnext word, so its neighbours lean towards likely continuations.", stderr)
	model := fs.String("transformer", "", "model `file` written by context train (or a .npz)")
	fs.alias("transformer", "model")
	k := fs.Int("k", 5, "neighbours per word")
	attention := fs.String("attention", "", "draw every head's attention as a heat map into this PNG `file`")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.required("transformer"); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef(fs.cmd, "give a text, as in \"the river bank flooded\"")
	}
	if err := positive(fs, "k", *k); err != nil {
		return err
	}
	if err := checkOutputs(fs.cmd, []file{{flag: "transformer", path: *model}}, file{flag: "attention", path: *attention}); err != nil {
		return err
	}
	m, err := loadTransformer(*model)
	if err != nil {
		return err
	}
	words := strings.Fields(strings.Join(fs.Args(), " "))
	r, err := m.Contextualize(words, transformer.ContextOptions{Attention: true})
	if err != nil {
		return err
	}
	if r.Unknown > 0 {
		var unk []string
		for i, w := range words {
			if r.Tokens[i+1] == transformer.Unk {
				unk = append(unk, w)
			}
		}
		fmt.Fprintf(stdout, "%d unknown word(s) read as %s: %s\n", r.Unknown, transformer.Unk, strings.Join(unk, " "))
	}
	table, err := m.Embedding()
	if err != nil {
		return err
	}
	width := 0
	for _, w := range words {
		width = max(width, len(w))
	}
	for l := range r.Layers {
		name := fmt.Sprintf("block %d", l)
		switch l {
		case 0:
			name = "input (token + position)"
		case len(r.Layers) - 1:
			name = "final layer norm (predicts the next word)"
		}
		fmt.Fprintf(stdout, "layer %d: %s\n", l, name)
		q := make([]float32, 0, len(words)*table.Dim())
		for i := range words {
			q = append(q, r.Hidden(l, i)...)
		}
		nn, err := table.Nearest(q, *k, embed.QueryOptions{})
		if err != nil {
			return err
		}
		for i, w := range words {
			fmt.Fprintf(stdout, "  %-*s ", width, w)
			for _, n := range nn[i] {
				fmt.Fprintf(stdout, " %s %.2f", n.Word, n.Score)
			}
			fmt.Fprintln(stdout)
		}
	}
	if *attention != "" {
		if err := drawAttention(ctx, *attention, r); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "attention heat maps written to %s\n", *attention)
	}
	return nil
}
