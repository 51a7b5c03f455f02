// Command contextual shows a small transformer giving a word different
// vectors in different contexts. By default it trains word vectors and then
// a tiny transformer on the demo corpus embedded in wordspace (a few
// minutes on two cores) and prints, layer by layer, how similar "bank" (and
// 29 other ambiguous words) is to itself across contexts of the same sense
// and of different senses. Static word vectors would say 1 for both.
//
//	go run ./examples/contextual
//
// -model evaluates the senses of a saved model without training. With
// -corpus and -vectors it runs the same on any corpus; -compare also
// trains the same model from a random embedding and plots both learning
// curves, and the held-out perplexity is compared with unigram and bigram
// models on the same split:
//
//	go run ./examples/contextual -corpus ../shared/data/corpus-en.txt.gz \
//	    -vectors vec64.bin -steps 6000 -compare -plot curves.png
package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"log"
	"math"
	"os"
	"os/signal"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/transformer/inspect"
)

func main() {
	corpusPath := flag.String("corpus", "", "training text (default: the embedded demo corpus)")
	vectorsPath := flag.String("vectors", "", "static vectors (default: trained on the demo corpus, cached)")
	steps := flag.Int("steps", 1500, "training steps")
	minutes := flag.Float64("minutes", 0, "stop each training run after this many minutes (0: no limit)")
	vocab := flag.Int("vocab", 5000, "words in the model's vocabulary (most frequent first)")
	lr := flag.Float64("lr", 2e-3, "peak learning rate")
	embedStd := flag.Float64("embed-std", 0, "element standard deviation of the rescaled static vectors (0: package default)")
	compare := flag.Bool("compare", false, "also train from a random embedding and compare learning curves")
	plotPath := flag.String("plot", "", "write the learning curves to this PNG")
	out := flag.String("out", "", "save the word2vec-initialised model to this file")
	sensesPath := flag.String("senses", "", "sense-pair file (default: the built-in 30 words)")
	evalTokens := flag.Int("eval-tokens", 10000, "held-out tokens scored at each evaluation during training")
	finalTokens := flag.Int("final-eval-tokens", 200000, "held-out tokens scored at the end (and by the baselines)")
	seed := flag.Uint64("seed", 1, "random seed")
	modelPath := flag.String("model", "", "skip training: evaluate the senses on this saved model")
	flag.Parse()
	log.SetFlags(0)

	if *modelPath != "" {
		m, err := transformer.Load(*modelPath)
		if err != nil {
			log.Fatal(err)
		}
		items, err := senses(*sensesPath)
		if err != nil {
			log.Fatal(err)
		}
		senseReport(m, items)
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	text := demo.Corpus()
	if *corpusPath != "" {
		c, err := corpus.Open([]string{*corpusPath}, corpus.TokenOptions{})
		if err != nil {
			log.Fatal(err)
		}
		text = c
	}
	var vectors *embed.Embeddings
	var err error
	if *vectorsPath != "" {
		vectors, err = embed.Load(*vectorsPath, embed.LoadOptions{})
	} else {
		if *corpusPath != "" {
			log.Fatal("-vectors is required with -corpus")
		}
		fmt.Println("word vectors for the demo corpus (trained once, then cached)...")
		vectors, err = demo.Vectors(ctx, nil)
	}
	if err != nil {
		log.Fatal(err)
	}

	cfg := transformer.Tiny()
	cfg.Vocab, cfg.Seed, cfg.EmbedStd = *vocab, *seed, float32(*embedStd)
	w2vModel, err := transformer.FromEmbeddings(cfg, vectors)
	if err != nil {
		log.Fatal(err)
	}
	data, err := transformer.Encode(ctx, w2vModel, text, 0.02)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("corpus %s: %d words (%.1f%% outside the %d-word vocabulary), %d training and %d held-out tokens\n",
		text.Name(), data.Words, 100*float64(data.Unknown)/float64(data.Words), w2vModel.Config().Vocab, len(data.Train), len(data.HeldOut))
	uni, bi := transformer.Baselines(data, len(w2vModel.Tokens()), cfg.Context, *finalTokens)
	fmt.Printf("held-out perplexity of baselines on the same tokens: unigram %.1f, bigram (Witten-Bell) %.1f\n", uni, bi)

	tc := transformer.TrainOptions{Steps: *steps, Batch: 16, LR: *lr, EvalEvery: max(1, *steps/20), EvalTokens: *evalTokens,
		ReportEvery: max(1, *steps/100), Data: data}
	train := func(name string, m *transformer.Model) *transformer.Result {
		runCtx, cancel := ctx, context.CancelFunc(func() {})
		if *minutes > 0 {
			runCtx, cancel = context.WithTimeout(ctx, time.Duration(*minutes*float64(time.Minute)))
		}
		defer cancel()
		tc.Progress = func(p transformer.Progress) {
			if p.HeldOutPerplexity == p.HeldOutPerplexity {
				fmt.Printf("  %s step %5d/%d  train loss %.3f  held-out perplexity %7.1f  %5.0f tokens/s  %s\n",
					name, p.Done, p.Total, p.Loss, p.HeldOutPerplexity, p.TokensPerSec, p.Elapsed.Round(time.Second))
			}
		}
		res, err := transformer.Train(runCtx, m, nil, tc)
		if err != nil && runCtx.Err() == nil {
			log.Fatal(err)
		}
		if err != nil {
			fmt.Printf("  %s stopped after %d steps: %v\n", name, res.Steps, err)
		}
		return res
	}
	fmt.Printf("training the tiny transformer from word2vec vectors (%d parameters)...\n", w2vModel.NumParams())
	w2vRes := train("word2vec-init", w2vModel)
	final := math.Exp(transformer.Evaluate(w2vModel, data.HeldOut, 16, *finalTokens, 0))
	fmt.Printf("held-out perplexity on the baselines' tokens: transformer %.1f, bigram %.1f, unigram %.1f\n", final, bi, uni)
	if *out != "" {
		if err := w2vModel.Save(*out); err != nil {
			log.Fatal(err)
		}
	}

	if *compare {
		randModel, err := transformer.New(cfg, w2vModel.Tokens()[3:])
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("training the same model from a random embedding...")
		randRes := train("random-init  ", randModel)
		fmt.Printf("held-out perplexity of the random-init model: %.1f\n", math.Exp(transformer.Evaluate(randModel, data.HeldOut, 16, *finalTokens, 0)))
		compareCurves(w2vRes, randRes)
		if *plotPath != "" {
			if err := plotCurves(*plotPath, w2vRes, randRes, bi, uni); err != nil {
				log.Fatal(err)
			}
			fmt.Println("learning curves written to", *plotPath)
		}
	}

	items, err := senses(*sensesPath)
	if err != nil {
		log.Fatal(err)
	}
	senseReport(w2vModel, items)
}

func lastHeldOut(r *transformer.Result) float64 {
	for i := len(r.History) - 1; i >= 0; i-- {
		if p := r.History[i].HeldOutPerplexity; p == p {
			return p
		}
	}
	return math.NaN()
}

// compareCurves prints, for a few held-out loss levels, the first step at
// which each run reached it.
func compareCurves(a, b *transformer.Result) {
	first := func(r *transformer.Result, loss float64) int64 {
		for _, p := range r.History {
			if p.HeldOutLoss <= loss {
				return p.Done
			}
		}
		return -1
	}
	worst := math.Max(heldOutLoss(a), heldOutLoss(b))
	fmt.Println("steps to reach a held-out loss (nats/token):")
	for _, d := range []float64{1.0, 0.5, 0.25, 0.1, 0} {
		target := worst + d
		fmt.Printf("  %.3f: word2vec-init %5d, random-init %5d\n", target, first(a, target), first(b, target))
	}
}

func heldOutLoss(r *transformer.Result) float64 {
	for i := len(r.History) - 1; i >= 0; i-- {
		if l := r.History[i].HeldOutLoss; l == l {
			return l
		}
	}
	return math.Inf(1)
}

func plotCurves(path string, a, b *transformer.Result, bigram, unigram float64) error {
	p := plot.New()
	p.Title.Text = "tiny transformer: word2vec vs random token embedding"
	p.X.Label.Text = "training step"
	p.Y.Label.Text = "cross-entropy (nats/token)"
	add := func(r *transformer.Result, name string, c color.Color) error {
		var tr, ho plotter.XYs
		for _, h := range r.History {
			if h.Loss == h.Loss {
				tr = append(tr, plotter.XY{X: float64(h.Done), Y: h.Loss})
			}
			if h.HeldOutLoss == h.HeldOutLoss {
				ho = append(ho, plotter.XY{X: float64(h.Done), Y: h.HeldOutLoss})
			}
		}
		l1, err := plotter.NewLine(tr)
		if err != nil {
			return err
		}
		l1.Color = c
		l1.Width = vg.Points(0.7)
		l1.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
		l2, err := plotter.NewLine(ho)
		if err != nil {
			return err
		}
		l2.Color = c
		l2.Width = vg.Points(2)
		p.Add(l1, l2)
		p.Legend.Add(name+" (training)", l1)
		p.Legend.Add(name+" (held-out)", l2)
		return nil
	}
	if err := add(a, "word2vec init", color.RGBA{R: 200, A: 255}); err != nil {
		return err
	}
	if err := add(b, "random init", color.RGBA{B: 200, A: 255}); err != nil {
		return err
	}
	last := float64(a.Steps)
	for _, bl := range []struct {
		name string
		ppl  float64
		c    color.Color
	}{{"bigram baseline", bigram, color.Gray{Y: 90}}, {"unigram baseline", unigram, color.Gray{Y: 160}}} {
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: math.Log(bl.ppl)}, {X: last, Y: math.Log(bl.ppl)}})
		if err != nil {
			return err
		}
		l.Color = bl.c
		p.Add(l)
		p.Legend.Add(bl.name+" (held-out)", l)
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p.Save(8*vg.Inch, 5*vg.Inch, path)
}

// senses returns the built-in ambiguous words, or those of path.
func senses(path string) ([]inspect.Ambiguous, error) {
	if path == "" {
		return inspect.AmbiguousWords(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return inspect.ReadAmbiguous(f)
}

// senseReport prints, per layer, the mean cosine between a word's hidden
// states in two contexts of the same sense and of different senses, beside
// the bag-of-context-words baseline.
func senseReport(m *transformer.Model, items []inspect.Ambiguous) {
	rep, err := inspect.Senses(m, items)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range rep.Skipped {
		fmt.Printf("  (skipping %q: not in the model's vocabulary)\n", w)
	}
	layers := len(rep.Layers)
	for i, w := range rep.Words {
		if w != "bank" {
			continue
		}
		it := items[0]
		for _, x := range items {
			if x.Word == "bank" {
				it = x
			}
		}
		fmt.Println(`"bank" at the top layer (final layer norm), cosine between contexts:`)
		s := it.Sentences
		names := []string{strings.Join(s[0][0], " "), strings.Join(s[0][1], " "), strings.Join(s[1][0], " "), strings.Join(s[1][1], " ")}
		pairs := [6][2]int{{0, 1}, {2, 3}, {0, 2}, {0, 3}, {1, 2}, {1, 3}}
		for k, pr := range pairs {
			kind := "different senses"
			if k < 2 {
				kind = "same sense"
			}
			fmt.Printf("  %.3f  %-16s  %q vs %q\n", rep.Examples[i][layers-1][k], kind, names[pr[0]], names[pr[1]])
		}
	}
	used := len(rep.Words)
	fmt.Printf("sense separation over %d ambiguous words (mean cosine of the word's hidden states; static vectors: 1 and 1):\n", used)
	fmt.Println("  layer                         same sense  different sense  gap     words with same > different")
	row := func(name string, s inspect.SenseLayer) {
		fmt.Printf("  %-28s  %.3f       %.3f            %+.3f  %d/%d\n", name, s.Same, s.Different, s.Gap(), s.Wins, used)
	}
	for l, s := range rep.Layers {
		name := fmt.Sprintf("%d block %d", l, l)
		switch l {
		case 0:
			name = "0 input (token + position)"
		case layers - 1:
			name = fmt.Sprintf("%d final layer norm (top)", l)
		}
		row(name, s)
	}
	row("bag of preceding words", rep.Bag)
}
