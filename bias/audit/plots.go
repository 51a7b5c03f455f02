package audit

import (
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/internal/atomicfile"
)

var (
	blue = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	red  = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	grey = color.RGBA{R: 120, G: 120, B: 120, A: 255}
)

// Plots writes the report's figures as PNG files into dir (which must
// exist) and returns their paths: WEAT effect sizes with their confidence
// intervals, the professions projected on the gender direction (most
// female- and male-leaning, as in Bolukbasi et al.'s figure), and the
// explained variance of the definitional pairs' principal components.
func (r *Report) Plots(dir string) ([]string, error) {
	var paths []string
	for _, f := range []struct {
		name string
		make func() (*plot.Plot, vg.Length, vg.Length, error)
	}{
		{WEATPlot, r.weatPlot},
		{ProfessionsPlot, r.professionsPlot},
		{VariancePlot, r.variancePlot},
	} {
		p, w, h, err := f.make()
		if err != nil {
			return paths, fmt.Errorf("audit: %s: %w", f.name, err)
		}
		path := filepath.Join(dir, f.name)
		if err := savePNG(p, w, h, path); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func savePNG(p *plot.Plot, w, h vg.Length, path string) error {
	wt, err := p.WriterTo(w, h, "png")
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return fmt.Errorf("audit: plot directory: %w", err)
	}
	return atomicfile.Write(path, func(out io.Writer) error {
		_, err := wt.WriteTo(out)
		return err
	})
}

// points is a list of x, y with optional x error bars.
type points struct {
	plotter.XYs
	plotter.XErrors
}

func (r *Report) weatPlot() (*plot.Plot, vg.Length, vg.Length, error) {
	p := plot.New()
	p.Title.Text = "WEAT effect sizes (Caliskan et al. 2017)"
	p.X.Label.Text = "effect size d (positive: X closer to A, Y to B)"
	n := len(r.WEAT)
	names := make([]string, n)
	var before, after, pub points
	var beforeCI points
	for i, row := range r.WEAT {
		y := float64(n - 1 - i) // test 1 on top
		names[n-1-i] = plotLabel(row)
		off := 0.0
		if r.Debias != nil {
			off = 0.15
		}
		if ok(row.Before, row.Err) {
			before.XYs = append(before.XYs, plotter.XY{X: row.Before.EffectSize, Y: y + off})
			if ci := row.Before.CI; ci != nil {
				beforeCI.XYs = append(beforeCI.XYs, plotter.XY{X: row.Before.EffectSize, Y: y + off})
				beforeCI.XErrors = append(beforeCI.XErrors, struct{ Low, High float64 }{row.Before.EffectSize - ci.Low, ci.High - row.Before.EffectSize})
			}
		}
		if row.After != nil && ok(row.After, row.ErrAft) {
			after.XYs = append(after.XYs, plotter.XY{X: row.After.EffectSize, Y: y - off})
			if ci := row.After.CI; ci != nil {
				after.XErrors = append(after.XErrors, struct{ Low, High float64 }{row.After.EffectSize - ci.Low, ci.High - row.After.EffectSize})
			}
		}
		if d, ok := row.Test.PublishedD["glove_840B_common_crawl"]; ok {
			pub.XYs = append(pub.XYs, plotter.XY{X: d, Y: y})
		}
	}
	p.NominalY(names...)
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, 0, 0, err
	}
	zero.LineStyle.Color = grey
	zero.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(zero, plotter.NewGrid())
	if len(beforeCI.XYs) > 0 {
		eb, err := plotter.NewXErrorBars(beforeCI)
		if err != nil {
			return nil, 0, 0, err
		}
		eb.LineStyle.Color = blue
		p.Add(eb)
	}
	if len(after.XErrors) == len(after.XYs) && len(after.XYs) > 0 {
		eb, err := plotter.NewXErrorBars(after)
		if err != nil {
			return nil, 0, 0, err
		}
		eb.LineStyle.Color = red
		p.Add(eb)
	}
	if err := addScatter(p, pub.XYs, grey, draw.RingGlyph{}, "published (GloVe)"); err != nil {
		return nil, 0, 0, err
	}
	label := "these vectors"
	if r.Debias != nil {
		label = "before debiasing"
	}
	if err := addScatter(p, before.XYs, blue, draw.CircleGlyph{}, label); err != nil {
		return nil, 0, 0, err
	}
	if r.Debias != nil {
		if err := addScatter(p, after.XYs, red, draw.TriangleGlyph{}, "after hard debiasing"); err != nil {
			return nil, 0, 0, err
		}
	}
	if ci := r.ciLevel(); ci > 0 {
		p.Title.Text += fmt.Sprintf(", %g%% bootstrap CIs", 100*ci)
	}
	lo, hi := 0.0, 0.0
	for _, pts := range []points{before, beforeCI, after, pub} {
		for i, xy := range pts.XYs {
			l, h := xy.X, xy.X
			if i < len(pts.XErrors) {
				l, h = xy.X-pts.XErrors[i].Low, xy.X+pts.XErrors[i].High
			}
			lo, hi = min(lo, l), max(hi, h)
		}
	}
	pad := 0.05 * (hi - lo)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.Y.Min, p.Y.Max = -0.6, float64(n)+0.9 // room for the legend above test 1
	p.Legend.Top = true
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	return p, 11 * vg.Inch, vg.Length(1.6+0.62*float64(n)) * vg.Inch, nil
}

// plotLabel is a test's label on the WEAT plot, on two lines: the targets
// and the attributes with their sources (what tells WEAT 3, 4 and 5
// apart), then whatever limits the result: too few words, a failure, or
// associations that debiasing collapsed.
func plotLabel(row WEATRow) string {
	label := Label(row.Test)
	first, second, cut := strings.Cut(label, " / ")
	if !cut {
		first, second = label, ""
	}
	var flags []string
	switch {
	case row.Err != "":
		flags = append(flags, "failed: "+row.Err)
	case len(LowCoverage(row.Before)) > 0:
		flags = append(flags, "few words found: "+strings.Join(LowCoverage(row.Before), ", "))
	}
	if ok(row.Before, row.Err) && ok(row.After, row.ErrAft) {
		b, a, c := row.collapsed()
		switch {
		case c:
			flags = append(flags, "after debiasing: associations ≈ 0, d meaningless")
		case (row.Before.EffectSize > 0) != (row.After.EffectSize > 0):
			flags = append(flags, fmt.Sprintf("after debiasing: sign flip of associations %.0f%% as large; see the report", 100*a/b))
		default:
			if b, a, inflated := row.inflated(); inflated {
				flags = append(flags, fmt.Sprintf("after debiasing: larger |d| of associations %.0f%% as large; see the report", 100*a/b))
			}
		}
	}
	second = "attributes: " + second
	if len(flags) > 0 {
		second += "  [" + strings.Join(flags, "; ") + "]"
	}
	return first + "\n" + second
}

func addScatter(p *plot.Plot, xys plotter.XYs, c color.Color, shape draw.GlyphDrawer, label string) error {
	if len(xys) == 0 {
		return nil
	}
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	s.GlyphStyle.Color = c
	s.GlyphStyle.Shape = shape
	s.GlyphStyle.Radius = vg.Points(3.5)
	p.Add(s)
	p.Legend.Add(label, s)
	return nil
}

// professionsPlot shows the most female- and male-leaning neutral words,
// each as its projection cos(w, g).
func (r *Report) professionsPlot() (*plot.Plot, vg.Length, vg.Length, error) {
	ranked := sortedScores(r.DirectBefore.PerWord)
	k := min(15, len(ranked)/2)
	shown := append(append([]bias.WordScore(nil), ranked[:k]...), ranked[len(ranked)-k:]...)
	var afterScore map[string]float64
	if r.DirectAfter != nil {
		afterScore = make(map[string]float64)
		for _, w := range r.DirectAfter.PerWord {
			afterScore[w.Word] = w.Score
		}
	}
	p := plot.New()
	first, second := firstWord(r.Direction.Pairs, 0), firstWord(r.Direction.Pairs, 1)
	p.Title.Text = fmt.Sprintf("Professions on the gender direction (%s-leaning top, %s-leaning bottom)", first, second)
	p.X.Label.Text = fmt.Sprintf("cos(w, g)   (g: %s − %s direction)", first, second)
	n := len(shown)
	names := make([]string, n)
	var before, after plotter.XYs
	for i, w := range shown {
		y := float64(n - 1 - i)
		names[n-1-i] = w.Word
		before = append(before, plotter.XY{X: w.Score, Y: y})
		if a, ok := afterScore[w.Word]; ok {
			after = append(after, plotter.XY{X: a, Y: y})
		}
	}
	p.NominalY(names...)
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, 0, 0, err
	}
	zero.LineStyle.Color = grey
	p.Add(zero, plotter.NewGrid())
	label := "projection"
	if after != nil {
		label = "before debiasing"
	}
	if err := addScatter(p, before, blue, draw.CircleGlyph{}, label); err != nil {
		return nil, 0, 0, err
	}
	if after != nil {
		if err := addScatter(p, after, red, draw.TriangleGlyph{}, "after hard debiasing"); err != nil {
			return nil, 0, 0, err
		}
	}
	m := 0.0
	for _, xy := range append(before, after...) {
		m = max(m, xy.X, -xy.X)
	}
	p.X.Min, p.X.Max = -1.1*m, 1.1*m
	p.Y.Min, p.Y.Max = -0.6, float64(n)+1.2 // room for the legend above the list
	p.Legend.Top = true
	return p, 8 * vg.Inch, vg.Length(1.4+0.22*float64(n)) * vg.Inch, nil
}

func (r *Report) variancePlot() (*plot.Plot, vg.Length, vg.Length, error) {
	k := min(10, len(r.ExplainedVariance))
	vals := make(plotter.Values, k)
	names := make([]string, k)
	for i := range k {
		vals[i] = r.ExplainedVariance[i]
		names[i] = fmt.Sprint(i + 1)
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Principal components of the %d definitional pairs", len(r.Direction.Pairs))
	p.X.Label.Text = "component"
	p.Y.Label.Text = "fraction of variance explained"
	bars, err := plotter.NewBarChart(vals, vg.Points(20))
	if err != nil {
		return nil, 0, 0, err
	}
	bars.Color = blue
	bars.LineStyle.Width = 0
	var tops plotter.XYLabels
	for i, v := range vals {
		tops.XYs = append(tops.XYs, plotter.XY{X: float64(i), Y: v})
		tops.Labels = append(tops.Labels, fmt.Sprintf("%.1f%%", 100*v))
	}
	labels, err := plotter.NewLabels(tops)
	if err != nil {
		return nil, 0, 0, err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].XAlign = draw.XCenter
		labels.TextStyle[i].YAlign = draw.YBottom
	}
	p.Add(bars, labels, plotter.NewGrid())
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(k)-0.4
	p.Y.Min, p.Y.Max = 0, 1.15*vals[0]
	return p, 6 * vg.Inch, 4 * vg.Inch, nil
}
