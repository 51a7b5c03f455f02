package explain

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/transformer/inspect"
)

// Neurons is section 6: feed-forward neurons as pattern detectors.
type Neurons struct {
	Report *inspect.NeuronReport
	Texts  []inspect.Text
	// Clearest[l] are the neurons of block l+1 whose top contexts share a
	// pattern most clearly, best first: the highest lift, the share of
	// its contexts with the pattern over the share of all positions with
	// it, so that a neuron for "lord" ranks above one for "the".
	Clearest [][]inspect.Neuron
	// Rate[k][v] is the share of all positions read whose value of kind k
	// is v.
	Rate [3]map[string]float64
}

// clearest is the number of example neurons shown per block.
const clearest = 4

func measureNeurons(ctx context.Context, m *transformer.Model, texts []inspect.Text, o Options) (*Neurons, error) {
	rep, err := inspect.Neurons(ctx, m, texts, inspect.NeuronOptions{Seed: o.Seed, Threads: o.Threads})
	if err != nil {
		return nil, err
	}
	n := &Neurons{Report: rep, Texts: texts}
	for k := range n.Rate {
		n.Rate[k] = map[string]float64{}
	}
	for ti := range texts {
		for pos := 1; pos <= len(texts[ti].Words); pos++ {
			for _, k := range inspect.PatternKinds {
				n.Rate[k][n.value(k, inspect.Trigger{Text: ti, Pos: pos})] += 1 / float64(rep.Positions)
			}
		}
	}
	lift := func(ne inspect.Neuron) float64 {
		p, _ := ne.Pattern(rep.MinShare)
		return p.Share / max(n.Rate[p.Kind][p.Value], 1/float64(rep.Positions))
	}
	for _, layer := range rep.Neurons {
		var cands []inspect.Neuron
		for _, ne := range layer {
			if _, ok := ne.Pattern(rep.MinShare); ok {
				cands = append(cands, ne)
			}
		}
		// Clearest: patterns shared by at least 70% of the contexts first,
		// then by lift.
		sharp := func(ne inspect.Neuron) bool { p, _ := ne.Pattern(rep.MinShare); return p.Share >= 0.7 }
		sort.SliceStable(cands, func(i, j int) bool {
			if ci, cj := sharp(cands[i]), sharp(cands[j]); ci != cj {
				return ci
			}
			return lift(cands[i]) > lift(cands[j])
		})
		// One example per pattern value, so the table is not four
		// neurons for "the".
		var pick []inspect.Neuron
		seen := map[string]bool{}
		for _, c := range cands {
			p, _ := c.Pattern(rep.MinShare)
			if key := p.Kind.String() + p.Value; !seen[key] {
				seen[key] = true
				pick = append(pick, c)
			}
			if len(pick) == clearest {
				break
			}
		}
		n.Clearest = append(n.Clearest, pick)
	}
	return n, nil
}

// value returns the value of pattern kind k at a trigger: its word, the
// word's suffix or the word before.
func (n *Neurons) value(k inspect.PatternKind, t inspect.Trigger) string {
	w := n.Texts[t.Text].Words
	switch k {
	case inspect.SameSuffix:
		return inspect.Suffix(w[t.Pos-1])
	case inspect.SamePrevious:
		if t.Pos < 2 {
			return transformer.Bos
		}
		return w[t.Pos-2]
	}
	return w[t.Pos-1]
}

// examples returns up to k of a neuron's top contexts that have its
// pattern, strongest first: a reader looks at the examples to see the
// pattern, and the strongest contexts can be the minority without it.
func (n *Neurons) examples(ne inspect.Neuron, p inspect.Pattern, k int) []inspect.Trigger {
	var out []inspect.Trigger
	for _, t := range ne.Top {
		if len(out) < k && n.value(p.Kind, t) == p.Value {
			out = append(out, t)
		}
	}
	return out
}

// chanceAny bounds the share of random context sets with some pattern:
// the sum over the kinds.
func (n *Neurons) chanceAny() float64 {
	var s float64
	for _, c := range n.Report.ChanceWithPattern {
		s += c
	}
	return min(1, s)
}

func (n *Neurons) verdict() (Verdict, string, string) {
	rep := n.Report
	minFrac, maxFrac := 1.0, 0.0
	var parts, agree []string
	promoting := 0
	for _, l := range rep.Layers {
		f := float64(l.Any) / float64(l.Neurons)
		minFrac, maxFrac = min(minFrac, f), max(maxFrac, f)
		parts = append(parts, fmt.Sprintf("block %d %.0f%%", l.Layer, 100*f))
		agree = append(agree, fmt.Sprintf("%.1f%% (chance %.1f%%)", 100*l.Agreement, 100*l.ShuffledAgreement))
		if l.Agreement >= 1.5*l.ShuffledAgreement && l.Agreement > l.ShuffledAgreement+0.01 {
			promoting++
		}
	}
	rule := fmt.Sprintf("a neuron detects a pattern when at least %.0f%% of its %d top contexts share the word, its suffix or the word before; "+
		"held if at least 25%% of the neurons of every block do (random context sets: under 5%%) and, in at least half of the blocks, the next word of the neurons' contexts is among their promoted words at least 1.5 times as often as with another neuron's (and 1 point more); "+
		"weakly if only one of the two holds, or at least 5%% of some block's neurons detect a pattern", 100*rep.MinShare, rep.TopK)
	nums := fmt.Sprintf("neurons with a pattern: %s (random contexts: %.1f%%); next word among the promoted words: %s",
		strings.Join(parts, ", "), 100*n.chanceAny(), strings.Join(agree, ", "))
	patterns := n.chanceAny() < 0.05 && minFrac >= 0.25
	memory := 2*promoting >= len(rep.Layers)
	switch {
	case patterns && memory:
		return Held, nums, rule
	case patterns || memory || (n.chanceAny() < 0.05 && maxFrac >= 0.05):
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const neuronsFigure = "6-neurons.png"

func (n *Neurons) section() *Section {
	rep := n.Report
	sec := &Section{Title: "Feed-forward neurons as pattern detectors",
		Claim: "The neurons of the feed-forward layers each match a pattern in the text, and their output vectors push the prediction towards the words that tend to follow it, a memory of the training data (Geva et al. 2021, 2022)."}
	sec.Verdict, sec.Because, sec.Rule = n.verdict()
	for _, l := range rep.Layers {
		sec.Numbers = append(sec.Numbers, l.MeanShare[:]...)
		sec.Numbers = append(sec.Numbers, l.Agreement, l.ShuffledAgreement)
	}
	sec.Numbers = append(sec.Numbers, rep.ChanceShare[:]...)
	sec.Numbers = append(sec.Numbers, rep.ChanceWithPattern[:]...)
	sec.body = func(m *md) {
		m.p("For every neuron of every feed-forward layer the %d word positions of %d held-out sentences where it fires most are kept (its trigger contexts, as in Geva et al. 2021). ", rep.TopK, len(n.Texts))
		m.p("A neuron detects a pattern when at least %.0f%% of them share it: the same word, the same ending (last three letters of a word of five or more) or the same preceding word. ", 100*rep.MinShare)
		m.p("Random sets of %d positions from the same sentences share a word in %.1f%% of draws, an ending in %.1f%% and a preceding word in %.1f%% (mean share of the commonest value: %.2f, %.2f, %.2f). ",
			rep.TopK, 100*rep.ChanceWithPattern[0], 100*rep.ChanceWithPattern[1], 100*rep.ChanceWithPattern[2], rep.ChanceShare[0], rep.ChanceShare[1], rep.ChanceShare[2])
		m.p("Each neuron's output vector (its row of the second feed-forward matrix) is also read through the output embedding, as Geva et al. (2022) do, to list the %d words it promotes; the agreement is the share of its trigger contexts whose next word is among them, against the same with another neuron's promoted words (chance).\n\n", rep.Promote)
		m.p("| block | neurons | same word | same suffix | same preceding word | any pattern | next word promoted | chance |\n|---|---|---|---|---|---|---|---|\n")
		for _, l := range rep.Layers {
			f := func(k int) string { return fmt.Sprintf("%.0f%%", 100*float64(k)/float64(l.Neurons)) }
			m.p("| %d | %d | %s | %s | %s | %s | %.1f%% | %.1f%% |\n", l.Layer, l.Neurons, f(l.WithPattern[0]), f(l.WithPattern[1]), f(l.WithPattern[2]), f(l.Any), 100*l.Agreement, 100*l.ShuffledAgreement)
		}
		m.p("\n![Neurons with a pattern, by block](%s)\n\n", neuronsFigure)
		for li, pick := range n.Clearest {
			if len(pick) == 0 {
				continue
			}
			m.p("Clearest neurons of block %d: the patterns most over-represented among their contexts (the three strongest of its top contexts that have the pattern; each ends at the trigger word, in bold, then → the next word):\n\n", li+1)
			m.p("| neuron | pattern (share of its contexts; of all positions) | example contexts | promotes |\n|---|---|---|---|\n")
			for _, ne := range pick {
				p, _ := ne.Pattern(rep.MinShare)
				var ex []string
				for _, t := range n.examples(ne, p, 3) {
					ex = append(ex, n.context(t))
				}
				var pro []string
				for _, w := range ne.Promotes[:min(5, len(ne.Promotes))] {
					pro = append(pro, esc(w.Word))
				}
				m.p("| %d.%d | %s \"%s\" (%.0f%%; %.2g%%) | %s | %s |\n", ne.Layer, ne.Index, p.Kind, esc(p.Value), 100*p.Share, 100*n.Rate[p.Kind][p.Value], strings.Join(ex, "<br>"), strings.Join(pro, ", "))
			}
			m.p("\n")
		}
	}
	sec.plots = []figure{{neuronsFigure, n.plot}}
	return sec
}

// context writes a trigger's context: up to five words before, the
// trigger word in bold, and the next word.
func (n *Neurons) context(t inspect.Trigger) string {
	w := n.Texts[t.Text].Words
	lo := max(0, t.Pos-6)
	var b strings.Builder
	if lo > 0 {
		b.WriteString("… ")
	}
	for _, x := range w[lo : t.Pos-1] {
		b.WriteString(esc(x) + " ")
	}
	b.WriteString("**" + esc(w[t.Pos-1]) + "**")
	next := n.Texts[t.Text].Next
	if t.Pos < len(w) {
		next = w[t.Pos]
	}
	if next != "" {
		b.WriteString(" → " + esc(next))
	}
	return b.String()
}

func (n *Neurons) plot(path string) error {
	rep := n.Report
	p1 := newPlot("Neurons whose top contexts share a pattern", "block", "neurons (%)")
	w := vg.Points(min(28, 330/(5.5*float64(len(rep.Layers)))))
	var names []string
	for _, l := range rep.Layers {
		names = append(names, fmt.Sprint(l.Layer))
	}
	series := []struct {
		name string
		val  func(inspect.NeuronLayer) float64
	}{
		{"same word", func(l inspect.NeuronLayer) float64 { return float64(l.WithPattern[0]) }},
		{"same suffix", func(l inspect.NeuronLayer) float64 { return float64(l.WithPattern[1]) }},
		{"same preceding word", func(l inspect.NeuronLayer) float64 { return float64(l.WithPattern[2]) }},
		{"any of them", func(l inspect.NeuronLayer) float64 { return float64(l.Any) }},
	}
	for i, s := range series {
		var v plotter.Values
		for _, l := range rep.Layers {
			v = append(v, 100*s.val(l)/float64(l.Neurons))
		}
		b, err := plotter.NewBarChart(v, w)
		if err != nil {
			return err
		}
		b.Color = colours[i]
		b.Offset = vg.Length(float64(i)-1.5) * w
		p1.Add(b)
		p1.Legend.Add(s.name, b)
	}
	p1.NominalX(names...)
	p1.Y.Tick.Marker = linearTicks{}
	p1.Legend.Top, p1.Legend.Left = true, true
	p1.Y.Min = 0
	p1.Add(hGrid())

	p2 := newPlot("Does a neuron promote the word that follows its contexts?", "block", "contexts whose next word is promoted (%)")
	var a, c plotter.Values
	for _, l := range rep.Layers {
		a = append(a, 100*l.Agreement)
		c = append(c, 100*l.ShuffledAgreement)
	}
	b1, err := plotter.NewBarChart(a, w)
	if err != nil {
		return err
	}
	b1.Color, b1.Offset = colours[0], -w/2
	b2, err := plotter.NewBarChart(c, w)
	if err != nil {
		return err
	}
	b2.Color, b2.Offset = colours[7], w/2
	p2.Add(b1, b2, hGrid())
	p2.Legend.Add(fmt.Sprintf("its own %d promoted words", rep.Promote), b1)
	p2.Legend.Add("another neuron's (chance)", b2)
	p2.Legend.Top, p2.Legend.Left = true, true
	p2.NominalX(names...)
	p2.Y.Tick.Marker = linearTicks{}
	p2.Y.Min = 0
	// Room above the bars for the legends.
	for _, p := range []*plot.Plot{p1, p2} {
		p.Y.Max *= 1.35
	}
	return saveTiles([][]*plot.Plot{{p1, p2}}, 12*vg.Inch, 4.8*vg.Inch, path)
}
