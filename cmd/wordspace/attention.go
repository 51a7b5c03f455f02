package main

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/transformer"
)

// attentionGrid is one head's attention as a heat map: column = the
// position attended to, row = the attending position, first word on top.
type attentionGrid struct{ p [][]float32 }

func (g attentionGrid) Dims() (c, r int)   { return len(g.p), len(g.p) }
func (g attentionGrid) Z(c, r int) float64 { return float64(g.p[len(g.p)-1-r][c]) }
func (g attentionGrid) X(c int) float64    { return float64(c) }
func (g attentionGrid) Y(r int) float64    { return float64(r) }

// drawAttention writes a PNG with one heat map per block and head (rows:
// blocks, columns: heads), the tokens as tick labels.
func drawAttention(path string, r *transformer.Representation) error {
	layers := len(r.Attention)
	if layers == 0 {
		return fmt.Errorf("no attention weights to draw")
	}
	heads := len(r.Attention[0])
	n := len(r.Tokens)
	var xt, yt []plot.Tick
	for i, t := range r.Tokens {
		xt = append(xt, plot.Tick{Value: float64(i), Label: t})
		yt = append(yt, plot.Tick{Value: float64(n - 1 - i), Label: t})
	}
	pal := moreland.SmoothBlueRed().Palette(64)
	plots := make([][]*plot.Plot, layers)
	for l := range plots {
		plots[l] = make([]*plot.Plot, heads)
		for h := range heads {
			p := plot.New()
			p.Title.Text = fmt.Sprintf("block %d, head %d", l, h)
			hm := plotter.NewHeatMap(attentionGrid{r.Attention[l][h]}, pal)
			hm.Min, hm.Max = 0, 1
			p.Add(hm)
			p.X.Tick.Marker = plot.ConstantTicks(xt)
			p.Y.Tick.Marker = plot.ConstantTicks(yt)
			p.X.Tick.Label.Rotation = 0.8
			p.X.Tick.Label.XAlign = draw.XRight
			p.X.Tick.Label.YAlign = draw.YCenter
			plots[l][h] = p
		}
	}
	side := vg.Length(60+14*n) * vg.Millimeter / 4
	img := vgimg.New(side*vg.Length(heads), side*vg.Length(layers))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: layers, Cols: heads, PadX: vg.Millimeter, PadY: vg.Millimeter,
		PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter}
	canvases := plot.Align(plots, tiles, dc)
	for l := range plots {
		for h := range plots[l] {
			plots[l][h].Draw(canvases[l][h])
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}
