package explain

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/wordspace/wordspace/transformer"
)

// ScalePoint is one model of a scaling ladder.
type ScalePoint struct {
	// DModel is the model's width; N its number of non-embedding weights
	// (the attention and feed-forward blocks and their LayerNorms, as
	// Kaplan et al. count), Params all its weights.
	DModel, N, Params int
	// D is the number of distinct training tokens it saw (at most
	// Tokens); Tokens the number it was trained on (steps × tokens per
	// step).
	D, Tokens int
	// Loss is its best held-out cross-entropy (nats per token) over the
	// run's evaluations.
	Loss float64
}

// Scaling is section 9: loss as a power law of model size and data.
type Scaling struct {
	// Sizes is the model-size ladder: widths Widths, two blocks each,
	// trained on the same tokens for Steps steps; SizeFit fits L(N).
	Sizes   []ScalePoint
	SizeFit Fit
	// Data is the data ladder: one model of width DataWidth trained for
	// Steps steps on the first D training tokens (repeated as needed),
	// early-stopped on the held-out loss; DataFit fits L(D).
	Data      []ScalePoint
	DataFit   Fit
	Steps     int
	DataWidth int
	// EvalTokens is the number of held-out tokens each model is scored on.
	EvalTokens int
	// Vocab is the number of words of the models.
	Vocab int
}

// scaleLayers is the depth of every model of the ladders.
const scaleLayers = 2

// nonEmbedding counts the weights of m outside the token and position
// embeddings and the output head.
func nonEmbedding(m *transformer.Model) int {
	n := 0
	for _, p := range m.Params() {
		if strings.HasPrefix(p.Name, "blocks.") || strings.HasPrefix(p.Name, "ln_f.") {
			n += p.Len()
		}
	}
	return n
}

func measureScaling(ctx context.Context, base *transformer.Model, data *transformer.Data, o Options, progress func(done, total int64, detail string)) (*Scaling, error) {
	s := &Scaling{Steps: 3000, DataWidth: 64, EvalTokens: 30000}
	widths := []int{16, 24, 32, 48, 64, 96, 128}
	fractions := []float64{1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 1}
	resamples := 1000
	if o.Quick {
		s.Steps, s.DataWidth, s.EvalTokens = 60, 16, 5000
		widths = []int{8, 12, 16, 24, 32}
		fractions = []float64{1.0 / 8, 1.0 / 4, 1.0 / 2, 1}
		resamples = 100
	}
	words := base.Tokens()[3:] // the same vocabulary, so the same token ids
	s.Vocab = len(words)
	perStep := 16 * base.Config().Context
	seen := s.Steps * perStep
	total := int64(len(widths) + len(fractions))
	done := int64(0)
	run := func(width int, train []int32) (ScalePoint, error) {
		m, err := newRandomModel(words, o, width, scaleLayers)
		if err != nil {
			return ScalePoint{}, err
		}
		progress(done, total, fmt.Sprintf("width %d, %d training tokens", width, len(train)))
		loss, err := trainOn(ctx, m, data, train, s.Steps, s.EvalTokens, o)
		done++
		return ScalePoint{DModel: width, N: nonEmbedding(m), Params: m.NumParams(), D: min(len(train), seen), Tokens: seen, Loss: loss}, err
	}
	// The size ladder: every model on the same tokens (the same seed draws
	// the same windows).
	for _, w := range widths {
		p, err := run(w, data.Train)
		if err != nil {
			return nil, err
		}
		s.Sizes = append(s.Sizes, p)
	}
	// The data ladder: nested prefixes of the training stream up to the
	// tokens one run sees, so the largest is read about once.
	for _, f := range fractions {
		n := min(len(data.Train), int(f*float64(seen)))
		p, err := run(s.DataWidth, data.Train[:n])
		if err != nil {
			return nil, err
		}
		s.Data = append(s.Data, p)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 9))
	var x, y []float64
	for _, p := range s.Sizes {
		x, y = append(x, float64(p.N)), append(y, p.Loss)
	}
	s.SizeFit = FitPowerLaw(x, y, resamples, rng)
	x, y = nil, nil
	for _, p := range s.Data {
		x, y = append(x, float64(p.D)), append(y, p.Loss)
	}
	s.DataFit = FitPowerLaw(x, y, resamples, rng)
	return s, nil
}

// drop is the relative fall of the loss from the first (smallest) to the
// last (largest) rung of a ladder.
func drop(ps []ScalePoint) float64 {
	if len(ps) < 2 {
		return 0
	}
	return 1 - ps[len(ps)-1].Loss/ps[0].Loss
}

func (s *Scaling) verdict() (Verdict, string, string) {
	f, g := s.SizeFit, s.DataFit
	rule := "held if, in both ladders, the loss falls at every rung and by at least 5% from the smallest rung to the largest, and a saturating power law fits it with R² ≥ 0.9 on ln L and a bootstrap interval for α above 0.01; weakly if the loss falls by at least 1% in both"
	nums := fmt.Sprintf("model size: loss %.2f → %.2f nats (−%.1f%%), α = %.2f [%.2f, %.2f], R² = %.3f over %d sizes; data: loss %.2f → %.2f (−%.1f%%), α = %.2f [%.2f, %.2f], R² = %.3f over %d sizes",
		s.Sizes[0].Loss, s.Sizes[len(s.Sizes)-1].Loss, 100*drop(s.Sizes), f.Alpha, f.AlphaLow, f.AlphaHigh, f.R2, len(s.Sizes),
		s.Data[0].Loss, s.Data[len(s.Data)-1].Loss, 100*drop(s.Data), g.Alpha, g.AlphaLow, g.AlphaHigh, g.R2, len(s.Data))
	// A ladder whose loss rises somewhere is not the smooth law the claim
	// states, however well a curve fits the rest.
	falls := func(ps []ScalePoint) bool {
		for i := 1; i < len(ps); i++ {
			if ps[i].Loss > ps[i-1].Loss {
				return false
			}
		}
		return true
	}
	fits := func(f Fit, ps []ScalePoint) bool {
		return falls(ps) && drop(ps) >= 0.05 && f.R2 >= 0.9 && f.AlphaLow > 0.01
	}
	switch {
	case fits(f, s.Sizes) && fits(g, s.Data):
		return Held, nums, rule
	case drop(s.Sizes) >= 0.01 && drop(s.Data) >= 0.01:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const scalingFigure = "9-scaling.png"

func (s *Scaling) section() *Section {
	sec := &Section{Title: "Scaling: loss as a power law of size and data",
		Claim: "A language model's loss falls smoothly as a power law of its size, of its training data and of the compute spent, so bigger models trained on more text are predictably better (Kaplan et al. 2020; Hoffmann et al. 2022)."}
	sec.Verdict, sec.Because, sec.Rule = s.verdict()
	for _, f := range []Fit{s.SizeFit, s.DataFit} {
		sec.Numbers = append(sec.Numbers, f.E, f.A, f.Alpha, f.R2, f.AlphaLow, f.AlphaHigh, f.PureAlpha, f.PureR2)
	}
	for _, p := range append(append([]ScalePoint(nil), s.Sizes...), s.Data...) {
		sec.Numbers = append(sec.Numbers, p.Loss)
	}
	sec.body = func(m *md) {
		m.p("Two ladders of models with two blocks each, every one trained from random weights for %d steps (%d tokens) with the same settings and scored on %d held-out tokens (the best of its evaluations). ", s.Steps, s.Steps*16*32, s.EvalTokens)
		m.p("Compute is not varied on its own: along the size ladder it grows with the width at a fixed number of tokens. ")
		m.p("**Model size:** widths %s on the same training tokens. **Data:** a model of width %d trained on the first D training tokens, repeated as often as the steps need (small D is read many times; early stopping picks the best held-out loss, as Kaplan et al. do for L(D)).\n\n", widthList(s.Sizes), s.DataWidth)
		m.p("| ladder | width | non-embedding weights N | all weights | distinct tokens seen D | held-out loss (nats) | perplexity |\n|---|---|---|---|---|---|---|\n")
		for _, p := range s.Sizes {
			m.p("| size | %d | %d | %d | %d | %.3f | %.1f |\n", p.DModel, p.N, p.Params, p.D, p.Loss, math.Exp(p.Loss))
		}
		for _, p := range s.Data {
			m.p("| data | %d | %d | %d | %d | %.3f | %.1f |\n", p.DModel, p.N, p.Params, p.D, p.Loss, math.Exp(p.Loss))
		}
		m.p("\nEach ladder is fitted with L(x) = E + A·x^−α by least squares on ln L (gonum's Nelder–Mead from a grid of starts); the 95%% interval of α comes from %d refits to residual-bootstrap resamples, and the pure power law L = (c/x)^α (E = 0, Kaplan et al.'s form) is fitted as a straight line in log–log space.\n\n", s.SizeFit.Resamples)
		m.p("| fit | E (nats) | α | 95%% interval | R² (ln L) | pure power law α | its R² |\n|---|---|---|---|---|---|---|\n")
		m.p("| L(N), model size | %.2f | %.3f | [%.3f, %.3f] | %.3f | %.3f | %.3f |\n", s.SizeFit.E, s.SizeFit.Alpha, s.SizeFit.AlphaLow, s.SizeFit.AlphaHigh, s.SizeFit.R2, s.SizeFit.PureAlpha, s.SizeFit.PureR2)
		m.p("| L(D), data | %.2f | %.3f | [%.3f, %.3f] | %.3f | %.3f | %.3f |\n\n", s.DataFit.E, s.DataFit.Alpha, s.DataFit.AlphaLow, s.DataFit.AlphaHigh, s.DataFit.R2, s.DataFit.PureAlpha, s.DataFit.PureR2)
		m.p("![Scaling ladders with their fits](%s)\n\n", scalingFigure)
		for _, l := range []struct {
			name string
			ps   []ScalePoint
		}{{"model-size", s.Sizes}, {"data", s.Data}} {
			for i := 1; i < len(l.ps); i++ {
				if l.ps[i].Loss > l.ps[i-1].Loss {
					m.p("On the %s ladder the loss rises from rung %d to rung %d (%.3f → %.3f nats): at this training budget the larger model is further from convergence, which bends the curve away from a power law.\n\n", l.name, i, i+1, l.ps[i-1].Loss, l.ps[i].Loss)
					break
				}
			}
		}
		m.p("**Against the published laws.** Kaplan et al. (2020) fit pure power laws over GPT-style models of 10^3 to 10^9 non-embedding weights on WebText2: α_N ≈ 0.076 for size (models trained to convergence) and α_D ≈ 0.095 for data (large models, early-stopped). Hoffmann et al. (2022, Chinchilla) fit L(N, D) = E + A/N^α + B/D^β with α ≈ 0.34, β ≈ 0.28 and an irreducible E ≈ 1.69 nats per token. ")
		m.p("Here the pure-law exponents are %.3f (size) and %.3f (data), and the saturating fits give α = %.2f and %.2f with E = %.2f and %.2f nats. ", s.SizeFit.PureAlpha, s.DataFit.PureAlpha, s.SizeFit.Alpha, s.DataFit.Alpha, s.SizeFit.E, s.DataFit.E)
		m.p("Why tiny models on a small corpus differ: the models span %d to %d non-embedding weights, below the range the laws were measured on, where the output embedding (not counted in N) holds most of the weights and does most of the computing; ", s.Sizes[0].N, s.Sizes[len(s.Sizes)-1].N)
		m.p("every model is trained on the same %.2g million tokens with one learning rate and schedule, so the larger ones are further from convergence (Kaplan et al.'s L(N) assumes each model trained to convergence, Hoffmann et al. scale the data with the model); ", float64(s.Steps*16*32)/1e6)
		m.p("the loss is per word over a %d-word vocabulary with an <unk> token, not per BPE token, so E absorbs the unpredictability of rare words folded into <unk> and the numbers are not on the same scale; the context is 32 tokens; the data ladder repeats a small corpus, and with %d and %d points the fits have one or a few degrees of freedom, so E and α trade off and the intervals are wide.\n\n", s.Vocab, len(s.Sizes), len(s.Data))
	}
	sec.plots = []figure{{scalingFigure, s.plot}}
	return sec
}

func widthList(ps []ScalePoint) string {
	var w []string
	for _, p := range ps {
		w = append(w, fmt.Sprint(p.DModel))
	}
	return strings.Join(w, ", ")
}

func (s *Scaling) plot(path string) error {
	panel := func(title, xlabel string, pts []ScalePoint, x func(ScalePoint) float64, f Fit) (*plot.Plot, error) {
		p := newPlot(fmt.Sprintf("%s: α = %.2f [%.2f, %.2f], R² = %.3f", title, f.Alpha, f.AlphaLow, f.AlphaHigh, f.R2), xlabel, "held-out loss (nats/token, log scale)")
		var xy plotter.XYs
		lo, hi := math.Inf(1), 0.0
		ylo, yhi := math.Inf(1), 0.0
		for _, q := range pts {
			xy = append(xy, plotter.XY{X: x(q), Y: q.Loss})
			lo, hi = math.Min(lo, x(q)), math.Max(hi, x(q))
			ylo, yhi = math.Min(ylo, q.Loss), math.Max(yhi, q.Loss)
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Radius = colours[0], vg.Points(4)
		var curve plotter.XYs
		for i := 0; i <= 60; i++ {
			v := lo * math.Pow(hi/lo, float64(i)/60)
			curve = append(curve, plotter.XY{X: v, Y: f.At(v)})
		}
		ln, err := plotter.NewLine(curve)
		if err != nil {
			return nil, err
		}
		ln.Color, ln.Width = colours[3], vg.Points(2)
		var pure plotter.XYs
		for _, c := range curve {
			pure = append(pure, plotter.XY{X: c.X, Y: f.PureScale * math.Pow(c.X, -f.PureAlpha)})
		}
		pl, err := plotter.NewLine(pure)
		if err != nil {
			return nil, err
		}
		pl.Color, pl.Width, pl.Dashes = colours[2], vg.Points(1.5), []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(pl, ln, sc, plotter.NewGrid())
		p.Legend.Add("trained models", sc)
		p.Legend.Add(fmt.Sprintf("fit %.2f + %.3g·x^−%.2f", f.E, f.A, f.Alpha), ln)
		p.Legend.Add(fmt.Sprintf("pure power law %.3g·x^−%.3f", f.PureScale, f.PureAlpha), pl)
		if f.E > ylo/3 {
			e, err := plotter.NewLine(plotter.XYs{{X: lo, Y: f.E}, {X: hi, Y: f.E}})
			if err != nil {
				return nil, err
			}
			e.Color, e.Dashes = grey, []vg.Length{vg.Points(5), vg.Points(3)}
			p.Add(e)
			p.Legend.Add("E, the loss it tends to", e)
			ylo = math.Min(ylo, f.E)
		}
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		p.Y.Tick.Marker = fineLogTicks{}
		p.X.Min, p.X.Max = lo/1.3, hi*1.3
		p.Y.Min, p.Y.Max = ylo/1.03, yhi*1.03
		p.Legend.Top = true
		return p, nil
	}
	p1, err := panel("Model size", "non-embedding weights N (log scale)", s.Sizes, func(q ScalePoint) float64 { return float64(q.N) }, s.SizeFit)
	if err != nil {
		return err
	}
	p2, err := panel("Data", "distinct training tokens D (log scale)", s.Data, func(q ScalePoint) float64 { return float64(q.D) }, s.DataFit)
	if err != nil {
		return err
	}
	return saveTiles([][]*plot.Plot{{p1, p2}}, 13*vg.Inch, 5.5*vg.Inch, path)
}

// fineLogTicks labels a narrow log axis (a loss between 4 and 6, say)
// with a few round values.
type fineLogTicks struct{}

func (fineLogTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Pow(10, math.Floor(math.Log10(hi-lo)))
	if (hi-lo)/step < 3 {
		step /= 5
	}
	var t []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		t = append(t, plot.Tick{Value: v, Label: fmt.Sprintf("%.3g", v)})
	}
	return t
}
