package main

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/wordspace/wordspace/transformer"
)

// attentionGrid is one head's attention as a heat map: column = the
// position attended to (key), row = the attending position (query), first
// word on top. The future positions a causal model may not see are NaN,
// drawn apart from any weight.
type attentionGrid struct{ p [][]float32 }

func (g attentionGrid) Dims() (c, r int) { return len(g.p), len(g.p) }
func (g attentionGrid) Z(c, r int) float64 {
	q := len(g.p) - 1 - r
	if c > q {
		return math.NaN()
	}
	return float64(g.p[q][c])
}
func (g attentionGrid) X(c int) float64 { return float64(c) }
func (g attentionGrid) Y(r int) float64 { return float64(r) }

var (
	maskedColor = color.NRGBA{R: 0xd9, G: 0xd9, B: 0xd9, A: 0xff}
	// attentionColors runs from white (no attention) to dark blue (all of
	// it), so that a weight reads as an amount of ink.
	attentionColors = mustLuminance(color.NRGBA{R: 0x08, G: 0x30, B: 0x6b, A: 0xff},
		color.NRGBA{R: 0x6b, G: 0xae, B: 0xd6, A: 0xff}, color.NRGBA{R: 0xf7, G: 0xfb, B: 0xff, A: 0xff})
)

// mustLuminance returns the colour map through c (from dark to light, as
// moreland requires) reversed, so that 0 is light and 1 dark.
func mustLuminance(c ...color.Color) palette.ColorMap {
	m, err := moreland.NewLuminance(c)
	if err != nil {
		panic(err) // constant, valid controls
	}
	m.SetMin(0)
	m.SetMax(1)
	return palette.Reverse(m)
}

// attentionLabels are the tick labels: the words as given, an unknown one
// marked with "*" (the model read it as <unk>), after <bos>.
func attentionLabels(r *transformer.Representation) (labels []string, unknown bool) {
	labels = append(labels, r.Tokens[0])
	for i, w := range r.Words {
		if r.Tokens[i+1] == transformer.Unk {
			w += "*"
			unknown = true
		}
		labels = append(labels, w)
	}
	return labels, unknown
}

// drawAttention writes a PNG with one heat map per layer and head (rows:
// layers from 1, as context show's text numbers them; columns: heads from
// 1), the words on both axes, the weights written in the cells of short
// texts, the masked future in grey, and a colour scale.
func drawAttention(ctx context.Context, path string, r *transformer.Representation) error {
	layers := len(r.Attention)
	if layers == 0 {
		return fmt.Errorf("no attention weights to draw")
	}
	heads := len(r.Attention[0])
	n := len(r.Tokens)
	labels, unknown := attentionLabels(r)
	var xt, yt []plot.Tick
	for i, t := range labels {
		xt = append(xt, plot.Tick{Value: float64(i), Label: t})
		yt = append(yt, plot.Tick{Value: float64(n - 1 - i), Label: t})
	}
	pal := attentionColors.Palette(256)
	showValues := n <= 12
	plots := make([][]*plot.Plot, layers)
	for l := range plots {
		plots[l] = make([]*plot.Plot, heads)
		for h := range heads {
			p := plot.New()
			p.Title.Text = fmt.Sprintf("layer %d, head %d", l+1, h+1)
			p.Title.TextStyle.Font.Size = vg.Points(12)
			hm := plotter.NewHeatMap(attentionGrid{r.Attention[l][h]}, pal)
			hm.Min, hm.Max = 0, 1
			hm.NaN = maskedColor
			p.Add(hm)
			if showValues {
				p.Add(cellValues(r.Attention[l][h]))
			}
			p.X.Tick.Marker = plot.ConstantTicks(xt)
			p.Y.Tick.Marker = plot.ConstantTicks(yt)
			for _, a := range []*plot.Axis{&p.X, &p.Y} {
				a.Tick.Label.Font.Size = vg.Points(10)
				a.Tick.Length = 0
				a.Padding = 0
			}
			p.X.Tick.Label.Rotation = math.Pi / 4
			p.X.Tick.Label.XAlign = draw.XRight
			p.X.Tick.Label.YAlign = draw.YTop
			if l == layers-1 {
				p.X.Label.Text = "attended to (key)"
			}
			if h == 0 {
				p.Y.Label.Text = "attending (query)"
			}
			p.X.Label.TextStyle.Font.Size = vg.Points(10)
			p.Y.Label.TextStyle.Font.Size = vg.Points(10)
			plots[l][h] = p
		}
	}
	// A panel grows with the text: about a third of an inch a word.
	panel := vg.Length(max(2.4, 1.3+0.36*float64(n))) * vg.Inch
	legend := 1.1 * vg.Inch
	title := 0.75 * vg.Inch
	w, hgt := panel*vg.Length(heads)+legend, panel*vg.Length(layers)+title
	img := vgimg.NewWith(vgimg.UseWH(w, hgt), vgimg.UseDPI(110))
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())

	// The heading: what the panels show.
	head := draw.Crop(dc, 0, -legend, hgt-title, 0)
	font := plot.DefaultFont
	font.Size = vg.Points(14)
	st := draw.TextStyle{Color: color.Black, Font: font, Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YTop}
	x := (head.Min.X + head.Max.X) / 2
	head.FillText(st, vg.Point{X: x, Y: head.Max.Y - 0.08*vg.Inch}, "Attention weights: how much each word (row) draws on each earlier word (column)")
	note := "each row sums to 1; grey cells are future words, which a causal model cannot see"
	if unknown {
		note += "; * marks a word outside the vocabulary, read as <unk>"
	}
	font.Size = vg.Points(10)
	st.Font = font
	head.FillText(st, vg.Point{X: x, Y: head.Max.Y - 0.38*vg.Inch}, note)

	grid := draw.Crop(dc, 0, -legend, 0, -title)
	tiles := draw.Tiles{Rows: layers, Cols: heads, PadX: 0.15 * vg.Inch, PadY: 0.15 * vg.Inch,
		PadTop: 0.05 * vg.Inch, PadBottom: 0.05 * vg.Inch, PadLeft: 0.05 * vg.Inch, PadRight: 0.05 * vg.Inch}
	canvases := plot.Align(plots, tiles, grid)
	for l := range plots {
		for h := range plots[l] {
			plots[l][h].Draw(canvases[l][h])
		}
	}

	// The colour scale, beside the grid.
	cb := plot.New()
	cb.Title.Text = "weight"
	cb.Title.TextStyle.Font.Size = vg.Points(10)
	cb.Add(&plotter.ColorBar{ColorMap: attentionColors, Vertical: true})
	cb.HideX()
	cb.Y.Tick.Label.Font.Size = vg.Points(9)
	cb.Y.Padding = 0
	barH := min(3*vg.Inch, hgt-title-0.4*vg.Inch)
	top := hgt - title - 0.2*vg.Inch
	cb.Draw(draw.Crop(dc, w-legend+0.15*vg.Inch, -0.35*vg.Inch, top-barH, -(hgt - top)))

	return writeOutput(ctx, path, nil, func(w io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}

// cellValues writes each visible weight in its cell, white on dark cells.
func cellValues(p [][]float32) plot.Plotter {
	return cellText{p}
}

type cellText struct{ p [][]float32 }

func (c cellText) Plot(cv draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&cv)
	font := plot.DefaultFont
	font.Size = vg.Points(8)
	n := len(c.p)
	for q := range n {
		for k := 0; k <= q; k++ {
			v := c.p[q][k]
			col := color.Color(color.Black)
			if v > 0.55 {
				col = color.White
			}
			st := draw.TextStyle{Color: col, Font: font, Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YCenter}
			cv.FillText(st, vg.Point{X: trX(float64(k)), Y: trY(float64(n - 1 - q))}, fmt.Sprintf("%.2f", v))
		}
	}
}
