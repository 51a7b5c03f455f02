package explain

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/transformer/inspect"
)

// Context is section 4: one word, several senses, told apart by context.
type Context struct {
	Senses *inspect.SenseReport
	// Top is the layer compared with the baselines: the final LayerNorm,
	// the hidden state the next word is predicted from.
	Top int
	// OnlyTop counts the words whose senses the top layer tells apart and
	// the bag of preceding words does not; OnlyBag the reverse; McNemarP
	// is the exact two-sided p-value of that difference.
	OnlyTop, OnlyBag int
	McNemarP         float64
}

func measureContext(m *transformer.Model) (*Context, error) {
	rep, err := inspect.Senses(m, inspect.AmbiguousWords())
	if err != nil {
		return nil, err
	}
	c := &Context{Senses: rep, Top: len(rep.Layers) - 1}
	for i := range rep.Words {
		top, bag := rep.Layers[c.Top].Gaps[i] > 0, rep.Bag.Gaps[i] > 0
		switch {
		case top && !bag:
			c.OnlyTop++
		case bag && !top:
			c.OnlyBag++
		}
	}
	c.McNemarP = signTest(c.OnlyTop, c.OnlyBag)
	return c, nil
}

// signTest is the exact two-sided binomial (sign) test of a and b
// successes out of a+b trials at p = 1/2.
func signTest(a, b int) float64 {
	n := a + b
	if n == 0 {
		return 1
	}
	k := min(a, b)
	var p float64
	for i := 0; i <= k; i++ {
		p += math.Exp(lchoose(n, i) - float64(n)*math.Ln2)
	}
	return math.Min(1, 2*p)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// pairedEffect is the mean of the per-word gaps over their standard
// deviation (Cohen's d_z): how consistently the same-sense contexts come
// out closer, on a scale that does not depend on how spread out the
// cosines of a representation are.
func pairedEffect(gaps []float64) float64 {
	n := float64(len(gaps))
	if n < 2 {
		return 0
	}
	var mean float64
	for _, g := range gaps {
		mean += g / n
	}
	var ss float64
	for _, g := range gaps {
		ss += (g - mean) * (g - mean)
	}
	sd := math.Sqrt(ss / (n - 1))
	if sd == 0 {
		return 0
	}
	return mean / sd
}

func (c *Context) verdict() (Verdict, string, string) {
	s := c.Senses
	n := len(s.Words)
	top, bag := s.Layers[c.Top], s.Bag
	rule := "held if the top layer tells at least 80% of the words' senses apart (same-sense contexts more alike than different-sense ones) and at least two more words than the bag of preceding words; weakly if it tells at least 60% apart"
	nums := fmt.Sprintf("top layer %d/%d words, bag of preceding words %d/%d, static vector 0/%d; paired effect d_z %.2f vs %.2f for the bag", top.Wins, n, bag.Wins, n, n, pairedEffect(top.Gaps), pairedEffect(bag.Gaps))
	switch {
	case 5*top.Wins >= 4*n && top.Wins >= bag.Wins+2:
		return Held, nums, rule
	case 5*top.Wins >= 3*n:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const contextFigure = "4-senses.png"

func (c *Context) section() *Section {
	s := c.Senses
	sec := &Section{Title: "One word, several meanings, told apart by context",
		Claim: "A static vector gives \"bank\" one point whatever the sentence; a transformer's layers adjust each word's vector to its context, so that the same word in sentences of the same sense ends up closer than in sentences of different senses."}
	sec.Verdict, sec.Because, sec.Rule = c.verdict()
	sec.Numbers = []float64{s.Bag.Same, s.Bag.Different, c.McNemarP, pairedEffect(s.Bag.Gaps)}
	for _, l := range s.Layers {
		sec.Numbers = append(sec.Numbers, l.Same, l.Different, pairedEffect(l.Gaps))
	}
	n := len(s.Words)
	sec.body = func(m *md) {
		m.p("For each of %d ambiguous words (bank, spring, light, …; hand-written sentences, two per sense, the word last so that what settles its sense comes before it), the word's hidden state is compared across sentences: the mean cosine between the two sentences of one sense (same) and between sentences of different senses (different). A word is told apart when same > different. ", n)
		if len(s.Skipped) > 0 {
			m.p("Not in the model's vocabulary, so left out: %s. ", esc(fmt.Sprint(s.Skipped)))
		}
		m.p("Two baselines: the static vector, identical in every sentence (both cosines 1, no word told apart), and the mean static vector (the model's token embedding) of the words before the ambiguous one, a bag of context words that knows the context but not its order.\n\n")
		m.p("The cosines of different representations are spread differently (a transformer's hidden states share a large common direction, so all their cosines are high), so the gap is also given as a paired effect size d_z, the mean gap over its standard deviation across words.\n\n")
		m.p("| representation | same sense | different senses | gap | d_z | words told apart |\n|---|---|---|---|---|---|\n")
		m.p("| static vector | 1.000 | 1.000 | 0.000 | 0.00 | 0/%d |\n", n)
		m.p("| bag of preceding words | %.3f | %.3f | %+.3f | %.2f | %d/%d |\n", s.Bag.Same, s.Bag.Different, s.Bag.Gap(), pairedEffect(s.Bag.Gaps), s.Bag.Wins, n)
		for l, x := range s.Layers {
			m.p("| %s | %.3f | %.3f | %+.3f | %.2f | %d/%d |\n", layerName(l, len(s.Layers)), x.Same, x.Different, x.Gap(), pairedEffect(x.Gaps), x.Wins, n)
		}
		top := s.Layers[c.Top]
		m.p("\nThe margin over the bag of words: the top layer tells %d words apart against the bag's %d (%+d); %d words are told apart by the top layer only and %d by the bag only (sign test p = %.2g). ",
			top.Wins, s.Bag.Wins, top.Wins-s.Bag.Wins, c.OnlyTop, c.OnlyBag, c.McNemarP)
		m.p("The bag is a strong baseline on these sentences because they were written so that the words before the ambiguous one (river, money) settle its sense; the transformer's advantage should grow where order or grammar decides (\"to lead\" against \"of lead\"), and with more training text, a larger model and a longer training run, which sharpen the contextual states more than they sharpen an average of static vectors.\n\n")
		m.p("![Sense separation per layer](%s)\n\n", contextFigure)
	}
	sec.plots = []figure{{contextFigure, c.plot}}
	return sec
}

// layerName names layer l of the L+2 hidden-state layers.
func layerName(l, layers int) string {
	switch l {
	case 0:
		return "layer 0: input (token + position)"
	case layers - 1:
		return fmt.Sprintf("layer %d: final LayerNorm (top)", l)
	}
	return fmt.Sprintf("layer %d: after block %d", l, l)
}

func (c *Context) plot(path string) error {
	s := c.Senses
	n := len(s.Words)
	var wins, dz plotter.XYs
	for l, x := range s.Layers {
		wins = append(wins, plotter.XY{X: float64(l), Y: float64(x.Wins)})
		dz = append(dz, plotter.XY{X: float64(l), Y: pairedEffect(x.Gaps)})
	}
	last := float64(len(s.Layers) - 1)
	line := func(p *plot.Plot, pts plotter.XYs, i int, name string, dashed bool) error {
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		l.Color, sc.Color = colours[i], colours[i]
		l.Width = vg.Points(2)
		sc.Shape = shapes[i%len(shapes)]
		sc.Radius = vg.Points(3.5)
		if dashed {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			sc.Radius = 0
		}
		p.Add(l, sc)
		p.Legend.Add(name, l, sc)
		return nil
	}
	flat := func(y float64) plotter.XYs { return plotter.XYs{{X: 0, Y: y}, {X: last, Y: y}} }
	xlabel := "layer (0: input; last: final LayerNorm)"
	p1 := newPlot(fmt.Sprintf("Words whose senses are told apart, of %d", n), xlabel, "words (same sense > different)")
	p2 := newPlot("How consistently: paired effect size d_z", xlabel, "mean gap / its spread across words")
	for _, err := range []error{
		line(p1, wins, 0, "transformer hidden state", false),
		line(p1, flat(float64(s.Bag.Wins)), 1, "bag of preceding words", true),
		line(p1, flat(0), 7, "static vector", true),
		line(p2, dz, 0, "transformer hidden state", false),
		line(p2, flat(pairedEffect(s.Bag.Gaps)), 1, "bag of preceding words", true),
		line(p2, flat(0), 7, "static vector", true),
	} {
		if err != nil {
			return err
		}
	}
	p1.Y.Min, p1.Y.Max = -0.5, float64(n)+0.5
	p1.Y.Tick.Marker = linearTicks{}
	lo := math.Min(0, pairedEffect(s.Bag.Gaps))
	hi := pairedEffect(s.Bag.Gaps)
	for _, x := range dz {
		lo, hi = math.Min(lo, x.Y), math.Max(hi, x.Y)
	}
	p2.Y.Min, p2.Y.Max = lo-0.1, hi+0.1+0.3*(hi-lo)
	for _, p := range []*plot.Plot{p1, p2} {
		p.X.Tick.Marker = integerTicks{}
		p.Legend.Top = true
		p.Add(plotter.NewGrid())
	}
	// The line climbs towards the top right; the legend goes low, lifted
	// clear of the static vector's line at 0.
	p1.Legend.Top, p1.Legend.YOffs = false, vg.Points(30)
	return saveTiles([][]*plot.Plot{{p1, p2}}, 12*vg.Inch, 4.8*vg.Inch, path)
}
