package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/explain"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/transformer"
)

func explainCommand() command {
	return command{
		name:    "explain",
		summary: "check the classic explainer of language models on a corpus: report.md with figures and verdicts",
		run:     runExplain,
	}
}

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("explain", `[-corpus FILE] [-output DIR] [flags]

Checks the claims of Lee and Trott's explainer of large language models on a
corpus (default: the built-in demo corpus): trains word vectors and a compact
transformer on it (or takes -model and -transformer), measures word space,
vector arithmetic, bias, words in context, attention heads, feed-forward
neurons, the logit lens and training, and writes DIR/report.md with PNG
figures and a verdict per claim. -scaling adds model-size and data ladders
with power-law fits (a longer run). About 5 minutes on two busy cores for
the demo corpus, half an hour with -scaling on a 15-million-word corpus;
-quick takes under a minute.`, stderr)
	corpusPath := fs.String("corpus", "", "training text `file` or directory (plain or gzip, one sentence a line; default: the demo corpus)")
	out := fs.String("output", "explain-report", "write report.md and the figures into this `directory`")
	fs.alias("output", "out")
	vectors := fs.String("model", "", "static word vectors `file` instead of training them")
	fs.alias("model", "vectors")
	model := fs.String("transformer", "", "transformer model `file` (from wordspace context train, or .npz) instead of training one")
	fs.alias("transformer", "context")
	quick := fs.Bool("quick", false, "small models, short training: a first look in a minute or two")
	scaling := fs.Bool("scaling", false, "add the scaling section: ladders of model and data sizes with power-law fits")
	steps := fs.Int("steps", 0, "transformer training steps (default 6000; -quick 300)")
	vocab := fs.Int("max-vocab", 0, "words the transformer knows (default 5000; -quick 2000)")
	fs.alias("max-vocab", "vocab")
	layers := fs.Int("layers", 0, "transformer blocks (default 4; -quick 2)")
	heads := fs.Int("heads", 0, "attention heads per block (default 4)")
	dModel := fs.Int("d-model", 0, "width of the transformer (default 64; -quick 32)")
	texts := fs.Int("texts", 0, "held-out sentences for heads, neurons and the logit lens (default 1500; -quick 150)")
	questions := fs.String("analogies", "", "analogy questions `file` (Google, MSR or a BATS directory) instead of the built-in relations")
	lower := fs.Bool("lower", false, "lower-case the corpus")
	threads := fs.Int("threads", 0, "goroutines (default: all processors)")
	seed := fs.Uint64("seed", 1, "random seed")
	save := fs.Bool("save-models", false, "also save the vectors and the transformer into the directory (vectors.bin, context.model), to measure again with -model and -transformer")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"steps", *steps}, {"max-vocab", *vocab}, {"layers", *layers}, {"heads", *heads}, {"d-model", *dModel}, {"texts", *texts}, {"threads", *threads}} {
		if err := notNegative(fs, f.name, f.v); err != nil {
			return err
		}
	}
	inputs := []file{{flag: "corpus", path: *corpusPath}, {flag: "model", path: *vectors}, {flag: "transformer", path: *model}, {flag: "analogies", path: *questions}}
	if err := checkOutputs(fs.cmd, inputs, file{flag: "output", path: *out, dir: true}); err != nil {
		return err
	}
	o := explain.Options{Quick: *quick, Scaling: *scaling, Steps: *steps, Vocab: *vocab, Layers: *layers, Heads: *heads,
		DModel: *dModel, Texts: *texts, Threads: *threads, Seed: *seed}
	var src corpus.Source = demo.Corpus()
	if *corpusPath != "" {
		c, err := corpus.Open([]string{*corpusPath}, corpus.TokenOptions{Lower: *lower})
		if err != nil {
			return err
		}
		src = c
	}
	bar := newProgress(stderr, *quiet)
	stage := ""
	o.Progress = func(p explain.Progress) {
		desc := p.Stage
		if p.Detail != "" {
			desc += ": " + p.Detail
		}
		if p.Stage != stage { // a line of its own in a log
			stage = p.Stage
			bar.mark(p.Stage, p.Done, p.Total, desc)
			return
		}
		bar.set(p.Stage, p.Done, p.Total, desc)
	}
	var err error
	switch {
	case *vectors != "":
		if o.Vectors, err = embed.Load(*vectors, embed.LoadOptions{}); err != nil {
			return err
		}
	case *corpusPath == "" && *model == "":
		// The demo's vectors are cached after their first training.
		if !*quiet {
			fmt.Fprintln(stderr, "word vectors of the demo corpus (trained once, then cached)...")
		}
		if o.Vectors, err = demo.Vectors(ctx, nil); err != nil {
			return err
		}
	}
	if *model != "" {
		if strings.HasSuffix(*model, ".npz") {
			o.Model, err = transformer.LoadNPZ(*model)
		} else {
			o.Model, err = transformer.Load(*model)
		}
		if err != nil {
			return err
		}
	}
	if *questions != "" {
		if o.Analogies, err = analogy.LoadQuestions(*questions); err != nil {
			return err
		}
	}
	began := time.Now()
	r, err := explain.Run(ctx, src, o)
	bar.finish()
	if err != nil {
		return err
	}
	if err := r.Write(*out); err != nil {
		return err
	}
	if *save {
		if err := r.Vectors.Save(filepath.Join(*out, "vectors.bin"), embed.Binary); err != nil {
			return err
		}
		if err := r.Model.Save(filepath.Join(*out, "context.model")); err != nil {
			return err
		}
	}
	for _, s := range r.Sections {
		fmt.Fprintf(stdout, "%d. %s: %s\n", s.Number, s.Title, s.Verdict)
	}
	fmt.Fprintf(stdout, "report written to %s in %s\n", filepath.Join(*out, explain.ReportFile), time.Since(began).Round(time.Second))
	return nil
}
