package main

import (
	"context"
	"errors"
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

const contextUsage = `Usage: wordspace context train -corpus FILE -vectors M -out T [flags]
       wordspace context show -model T [-k K] [-attention out.png] "the river bank flooded"

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
		return runContextTrain(ctx, args[1:], stdout, stderr)
	case "show":
		return runContextShow(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stderr, contextUsage)
		return flag.ErrHelp
	}
	fmt.Fprintf(stderr, "wordspace context: unknown subcommand %q\n%s", args[0], contextUsage)
	return errUsage
}

func runContextTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("context train", "-corpus FILE -vectors M -out T [flags]\n\nTrains a causal transformer on next-word prediction over FILE (plain or\ngzip, one sentence per line) with its token embedding initialised from the\nstatic vectors M (any format embed reads; the vocabulary is M's first -vocab\nwords). Without -vectors the vocabulary is counted from FILE and the\nembedding is random. Ctrl-C stops, saving a checkpoint T.ckpt that -resume\ncontinues from.", stderr)
	corpusPath := fs.String("corpus", "", "training text `file` or directory")
	vectors := fs.String("vectors", "", "static word vectors `file` to initialise the token embedding")
	out := fs.String("out", "", "write the trained model to `file`")
	npz := fs.String("npz", "", "also write the weights as a PyTorch-readable .npz `file`")
	vocab := fs.Int("vocab", 5000, "keep the `N` most frequent words (plus <unk>, <bos>, <eos>)")
	layers := fs.Int("layers", 2, "transformer blocks")
	heads := fs.Int("heads", 4, "attention heads per block")
	dModel := fs.Int("d-model", 64, "width of the hidden states")
	dFF := fs.Int("d-ff", 0, "width of the feed-forward layer (default 4×d-model)")
	ctxLen := fs.Int("context", 32, "longest sequence in tokens")
	dropout := fs.Float64("dropout", 0, "dropout probability while training")
	untied := fs.Bool("untied", false, "separate output projection instead of the token embedding")
	steps := fs.Int("steps", 2000, "optimisation steps")
	batch := fs.Int("batch", 16, "sequences per step")
	lr := fs.Float64("lr", 1e-3, "peak learning rate")
	warmup := fs.Int("warmup", 0, "warm-up steps (default steps/20)")
	heldOut := fs.Float64("held-out", 0.02, "fraction of sentences held out for perplexity")
	evalEvery := fs.Int("eval-every", 0, "steps between held-out evaluations (default steps/10)")
	embedStd := fs.Float64("embed-std", 0, "rescale the static vectors to this element standard deviation (default 0.1)")
	seed := fs.Int64("seed", 1, "random seed")
	threads := fs.Int("threads", 0, "goroutines (default: all processors)")
	lower := fs.Bool("lower", false, "lower-case the corpus")
	resume := fs.Bool("resume", false, "continue from the checkpoint T.ckpt")
	quiet := fs.Bool("quiet", false, "no progress bar or summary")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *corpusPath == "" || *out == "" {
		fmt.Fprintln(stderr, "wordspace context train: -corpus and -out are required")
		fs.Usage()
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	c, err := corpus.Open([]string{*corpusPath}, corpus.TokenOptions{Lower: *lower})
	if err != nil {
		return err
	}
	if *dModel == 0 || *heads == 0 || *layers == 0 || *ctxLen == 0 {
		// The library reads 0 as its default; here it is a mistake.
		return fmt.Errorf("-d-model, -heads, -layers and -context must be positive")
	}
	cfg := transformer.Config{Vocab: *vocab, DModel: *dModel, Heads: *heads, Layers: *layers, DFF: *dFF,
		Context: *ctxLen, Dropout: float32(*dropout), Untied: *untied, EmbedStd: float32(*embedStd), Seed: uint64(*seed)}
	if err := cfg.Validate(); err != nil {
		return err
	}
	ckpt := *out + ".ckpt"
	var m *transformer.Model
	var state *transformer.TrainState
	switch {
	case *resume:
		m, state, err = transformer.LoadCheckpoint(ckpt)
		if err != nil {
			return err
		}
	case *vectors != "":
		e, err := embed.Load(*vectors, embed.LoadOptions{})
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
	tc := transformer.TrainOptions{Steps: *steps, Batch: *batch, LR: *lr, Warmup: *warmup, HeldOut: *heldOut,
		EvalEvery: *evalEvery, Threads: *threads, Checkpoint: ckpt, Resume: state, Progress: bar.transformer()}
	res, err := transformer.Train(ctx, m, c, tc)
	bar.finish()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted at step %d; checkpoint saved to %s (continue with -resume)", res.Steps, ckpt)
		}
		return err
	}
	if err := m.Save(*out); err != nil {
		return err
	}
	os.Remove(ckpt)
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

func runContextShow(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("context show", "-model T [-k K] [-attention out.png] \"a sentence\"\n\nRuns the model on the words (after <bos>) and prints, for every layer, each\nword's K nearest words of the model's vocabulary: the token embeddings\nclosest by cosine to the word's hidden state. Layer 0 is the input\n(token + position); the last, the final layer norm, is what predicts the\nnext word, so its neighbours lean towards likely continuations.", stderr)
	model := fs.String("model", "", "model `file` written by context train (or a .npz)")
	k := fs.Int("k", 5, "neighbours per word")
	attention := fs.String("attention", "", "draw every head's attention as a heat map into this PNG `file`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *model == "" || fs.NArg() == 0 {
		fmt.Fprintln(stderr, "wordspace context show: -model and a text are required")
		fs.Usage()
		return errUsage
	}
	if *k <= 0 {
		return fmt.Errorf("-k must be positive, not %d", *k)
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
		if err := drawAttention(*attention, r); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "attention heat maps written to %s\n", *attention)
	}
	return nil
}
