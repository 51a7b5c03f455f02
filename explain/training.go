package explain

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/wordspace/wordspace/transformer"
)

// evalTokens is how many held-out tokens the held-out loss is measured on.
const evalTokens = 50000

// Training is section 8: training by next-word prediction.
type Training struct {
	// History is the training run's progress (nil for a given model).
	History []transformer.Progress
	Steps   int
	// TokensPerStep is the number of training tokens of one step.
	TokensPerStep int
	// HeldOut is the final held-out perplexity; Unigram and Bigram those
	// of an add-one unigram and a Witten–Bell bigram model counted on the
	// training tokens, on the same held-out tokens; Start the perplexity
	// of guessing uniformly over the vocabulary (an untrained model's).
	HeldOut, Unigram, Bigram, Start float64
}

func measureTraining(m *transformer.Model, data *transformer.Data, res *transformer.Result, o Options) (*Training, error) {
	cfg := m.Config()
	t := &Training{TokensPerStep: 16 * cfg.Context, Start: float64(len(m.Tokens()))}
	t.Unigram, t.Bigram = transformer.Baselines(data, len(m.Tokens()), cfg.Context, evalTokens)
	if res != nil {
		t.History, t.Steps = res.History, res.Steps
		t.HeldOut = res.HeldOutPerplexity
	} else {
		t.HeldOut = math.Exp(transformer.Evaluate(m, data.HeldOut, 16, evalTokens, o.Threads))
	}
	if math.IsNaN(t.HeldOut) || math.IsNaN(t.Unigram) {
		return nil, fmt.Errorf("the held-out text is too short to measure a perplexity")
	}
	return t, nil
}

func (t *Training) verdict() (Verdict, string, string) {
	rule := "held if the trained model's held-out perplexity is below the bigram model's; weakly if only below the unigram model's"
	nums := fmt.Sprintf("held-out perplexity %.1f after training against %.1f for the bigram and %.1f for the unigram model (%.0f before training)", t.HeldOut, t.Bigram, t.Unigram, t.Start)
	switch {
	case t.HeldOut < t.Bigram:
		return Held, nums, rule
	case t.HeldOut < t.Unigram:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const trainingFigure = "8-training.png"

func (t *Training) section() *Section {
	sec := &Section{Title: "Training by next-word prediction",
		Claim: "A language model learns by predicting the next word of its training text, again and again, nudging every weight (a forward pass, then a backward pass) to make the right word more likely; no labels are needed, and it ends up predicting better than counting word frequencies or word pairs."}
	sec.Verdict, sec.Because, sec.Rule = t.verdict()
	sec.Numbers = []float64{t.HeldOut, t.Unigram, t.Bigram, t.Start}
	sec.body = func(m *md) {
		if t.History == nil {
			m.p("The model was given, not trained here, so there is no loss curve; its held-out perplexity is compared with the counting baselines.\n\n")
		} else {
			m.p("The transformer was trained for %d steps of %d tokens (%.1f million tokens) with AdamW, a warm-up and a cosine learning-rate decay; every step predicts each next token of 16 random windows of its training text, runs the backward pass and updates the weights. ", t.Steps, t.TokensPerStep, float64(t.Steps*t.TokensPerStep)/1e6)
			m.p("The held-out loss is measured on %d tokens of sentences it never trains on.\n\n", evalTokens)
		}
		m.p("| model | held-out perplexity | cross-entropy (nats/token) |\n|---|---|---|\n")
		m.p("| uniform guess over the vocabulary (untrained) | %.0f | %.2f |\n", t.Start, math.Log(t.Start))
		m.p("| unigram (word frequencies, add-one) | %.1f | %.3f |\n", t.Unigram, math.Log(t.Unigram))
		m.p("| bigram (word pairs, Witten–Bell) | %.1f | %.3f |\n", t.Bigram, math.Log(t.Bigram))
		m.p("| the transformer | %.1f | %.3f |\n\n", t.HeldOut, math.Log(t.HeldOut))
		if t.History != nil {
			m.p("![Loss curve](%s)\n\n", trainingFigure)
		}
	}
	if t.History != nil {
		sec.plots = []figure{{trainingFigure, t.plot}}
	}
	return sec
}

func (t *Training) plot(path string) error {
	p := newPlot("Next-word prediction: loss during training", "training tokens (millions)", "cross-entropy (nats/token)")
	var tr, ho plotter.XYs
	per := float64(t.TokensPerStep) / 1e6
	for _, h := range t.History {
		if !math.IsNaN(h.Loss) {
			tr = append(tr, plotter.XY{X: float64(h.Done) * per, Y: h.Loss})
		}
		if !math.IsNaN(h.HeldOutLoss) {
			ho = append(ho, plotter.XY{X: float64(h.Done) * per, Y: h.HeldOutLoss})
		}
	}
	end := float64(t.Steps) * per
	type series struct {
		pts    plotter.XYs
		c      int
		name   string
		width  float64
		dashed bool
		points bool
	}
	for _, s := range []series{
		{tr, 0, "training loss", 1, false, false},
		{ho, 3, "held-out loss", 2.5, false, true},
		{plotter.XYs{{X: 0, Y: math.Log(t.Unigram)}, {X: end, Y: math.Log(t.Unigram)}}, 7, "unigram model (held-out)", 1.5, true, false},
		{plotter.XYs{{X: 0, Y: math.Log(t.Bigram)}, {X: end, Y: math.Log(t.Bigram)}}, 1, "bigram model (held-out)", 1.5, true, false},
	} {
		if len(s.pts) == 0 {
			continue
		}
		ln, err := plotter.NewLine(s.pts)
		if err != nil {
			return err
		}
		ln.Color, ln.Width = colours[s.c], vg.Points(s.width)
		if s.dashed {
			ln.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		p.Add(ln)
		p.Legend.Add(s.name, ln)
		if s.points {
			sc, err := plotter.NewScatter(s.pts)
			if err != nil {
				return err
			}
			sc.Color = colours[s.c]
			p.Add(sc)
		}
	}
	p.Y.Max = math.Log(t.Unigram) + 1.5
	p.Y.Min = math.Max(0, math.Log(t.HeldOut)-1)
	p.Y.Tick.Marker = linearTicks{}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return savePNG(p, 8*vg.Inch, 5*vg.Inch, path)
}
