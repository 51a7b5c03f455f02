package explain

import (
	"context"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/transformer/inspect"
)

// Lens is section 7: the prediction refined layer by layer.
type Lens struct {
	Report *inspect.LensReport
	Texts  int
	// Unigram and Bigram are the perplexities of the count baselines on
	// the held-out stream (see Training).
	Unigram, Bigram float64
}

func measureLens(ctx context.Context, m *transformer.Model, texts []inspect.Text, data *transformer.Data, o Options) (*Lens, error) {
	rep, err := inspect.Lens(ctx, m, texts, inspect.LensOptions{Threads: o.Threads})
	if err != nil {
		return nil, err
	}
	uni, bi := transformer.Baselines(data, len(m.Tokens()), m.Config().Context, evalTokens)
	return &Lens{Report: rep, Texts: len(texts), Unigram: uni, Bigram: bi}, nil
}

func (l *Lens) verdict() (Verdict, string, string) {
	ls := l.Report.Layers
	monotone, best := true, 0
	var parts []string
	for i, x := range ls {
		parts = append(parts, number(x.Perplexity))
		if i > 0 && x.Perplexity >= ls[i-1].Perplexity {
			monotone = false
		}
		if x.Perplexity < ls[best].Perplexity {
			best = i
		}
	}
	last := len(ls) - 1
	rule := "held if the perplexity falls from every layer to the next and the last is best; weakly if the last layer is best but some step does not help"
	nums := fmt.Sprintf("perplexity by layer %s; next-word accuracy %.1f%% at the input, %.1f%% at the top", strings.Join(parts, " → "), 100*ls[0].Accuracy, 100*ls[last].Accuracy)
	switch {
	case monotone:
		return Held, nums, rule
	case best == last:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const lensFigure = "7-logit-lens.png"

func (l *Lens) section() *Section {
	rep := l.Report
	sec := &Section{Title: "Layer by layer: the logit lens",
		Claim: "Each layer passes its hidden states up to the next, and the model's guess of the next word is built up along the way: read out early, the hidden state already predicts, and every layer predicts better."}
	sec.Verdict, sec.Because, sec.Rule = l.verdict()
	sec.Numbers = []float64{l.Unigram, l.Bigram}
	for _, x := range rep.Layers {
		sec.Numbers = append(sec.Numbers, x.Accuracy, x.Loss, x.Perplexity)
	}
	sec.body = func(m *md) {
		m.p("The residual stream after each block is decoded as if it were the last: through the final LayerNorm and the output embedding (the \"logit lens\", nostalgebraist 2020), at all %d positions of %d held-out sentences. The last row is the model's own prediction.\n\n", rep.Predictions, l.Texts)
		m.p("| read out after | next-word accuracy | cross-entropy (nats) | perplexity |\n|---|---|---|---|\n")
		for _, x := range rep.Layers {
			name := fmt.Sprintf("block %d", x.Layer)
			if x.Layer == 0 {
				name = "the input (token + position)"
			}
			m.p("| %s | %.1f%% | %.3f | %s |\n", name, 100*x.Accuracy, x.Loss, number(x.Perplexity))
		}
		m.p("\nFor scale, counting models on the held-out stream: unigram perplexity %.1f, bigram %.1f. Read out at the input, the tied embedding mostly predicts the current word again, which is rarely right.\n\n", l.Unigram, l.Bigram)
		m.p("![Logit lens](%s)\n\n", lensFigure)
	}
	sec.plots = []figure{{lensFigure, l.plot}}
	return sec
}

func (l *Lens) plot(path string) error {
	rep := l.Report
	var acc, ppl plotter.XYs
	for _, x := range rep.Layers {
		acc = append(acc, plotter.XY{X: float64(x.Layer), Y: 100 * x.Accuracy})
		ppl = append(ppl, plotter.XY{X: float64(x.Layer), Y: x.Perplexity})
	}
	last := float64(len(rep.Layers) - 1)
	p1 := newPlot("Next-word accuracy read out after each block", "block (0: input)", "accuracy (%)")
	p2 := newPlot("Perplexity read out after each block", "block (0: input)", "perplexity (log scale)")
	add := func(p *plot.Plot, pts plotter.XYs, c int, name string, dashed bool) error {
		ln, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		ln.Color, sc.Color = colours[c], colours[c]
		ln.Width = vg.Points(2)
		if dashed {
			ln.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			sc.Radius = 0
		}
		p.Add(ln, sc)
		if name != "" {
			p.Legend.Add(name, ln)
		}
		return nil
	}
	if err := add(p1, acc, 0, "", false); err != nil {
		return err
	}
	if err := add(p2, ppl, 0, "logit lens", false); err != nil {
		return err
	}
	if err := add(p2, plotter.XYs{{X: 0, Y: l.Unigram}, {X: last, Y: l.Unigram}}, 7, "unigram", true); err != nil {
		return err
	}
	if err := add(p2, plotter.XYs{{X: 0, Y: l.Bigram}, {X: last, Y: l.Bigram}}, 1, "bigram", true); err != nil {
		return err
	}
	p1.Y.Min = 0
	p1.Y.Tick.Marker = linearTicks{}
	p2.Y.Scale = plot.LogScale{}
	p2.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	lo, hi := math.Inf(1), 0.0
	for _, x := range ppl {
		lo, hi = math.Min(lo, x.Y), math.Max(hi, x.Y)
	}
	p2.Y.Min = math.Min(lo, l.Bigram) / 1.5
	p2.Y.Max = math.Max(hi, l.Unigram) * 1.5
	for _, p := range []*plot.Plot{p1, p2} {
		p.X.Tick.Marker = integerTicks{}
		p.Add(plotter.NewGrid())
	}
	p2.Legend.Top = true
	return saveTiles([][]*plot.Plot{{p1, p2}}, 11*vg.Inch, 4.5*vg.Inch, path)
}

// number writes a positive number readably: with one decimal below 1000,
// whole up to a million, in scientific notation above.
func number(x float64) string {
	switch {
	case x < 1000:
		return fmt.Sprintf("%.1f", x)
	case x < 1e6:
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2g", x)
}
