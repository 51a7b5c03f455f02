package explain

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/transformer/inspect"
)

// Heads is section 5: attention heads, each doing a different job.
type Heads struct {
	Report *inspect.HeadReport
	// Found[r] says whether some head does role r: its score is at least
	// 0.4 and twice a uniform head's.
	Found [4]bool
	// Maps[r] is the attention pattern of role r's best head on Tokens[r]
	// (a held-out sentence with a repeated word for the first three roles,
	// a repeated random sequence for induction).
	Maps   [4][][]float32
	Tokens [4][]string
}

// roleThreshold is the score a head needs for a role to count as its job.
const roleThreshold = 0.4

func measureHeads(ctx context.Context, m *transformer.Model, texts []inspect.Text, o Options) (*Heads, error) {
	seqs := 50
	if o.Quick {
		seqs = 20
	}
	rep, err := inspect.Heads(ctx, m, texts, inspect.HeadOptions{Sequences: seqs, Seed: o.Seed, Threads: o.Threads})
	if err != nil {
		return nil, err
	}
	h := &Heads{Report: rep}
	for _, r := range inspect.Roles {
		_, _, s := rep.Best(r)
		h.Found[r] = s >= roleThreshold && s >= 2*rep.Uniform[r]
	}
	// The example: the first text of 10 to 20 words with a repeated word
	// (not next to itself), without unknown words if there is one, else
	// the first text.
	example := texts[0].Words
	found := false
	for _, unknownOK := range []bool{false, true} {
		for _, t := range texts {
			if len(t.Words) >= 10 && len(t.Words) <= 20 && hasRepeat(t.Words) && (unknownOK || !slices.Contains(t.Words, transformer.Unk)) {
				example, found = t.Words, true
				break
			}
		}
		if found {
			break
		}
	}
	nat, err := m.Contextualize(example, transformer.ContextOptions{Attention: true})
	if err != nil {
		return nil, err
	}
	ind, err := m.Contextualize(rep.Example, transformer.ContextOptions{Attention: true})
	if err != nil {
		return nil, err
	}
	for _, r := range inspect.Roles {
		l, hd, _ := rep.Best(r)
		src := nat
		if r == inspect.Induction {
			src = ind
		}
		h.Maps[r], h.Tokens[r] = src.Attention[l][hd], src.Tokens
	}
	return h, nil
}

func hasRepeat(words []string) bool {
	seen := map[string]int{}
	for i, w := range words {
		if j, ok := seen[w]; ok && j < i-1 && w != transformer.Unk {
			return true
		}
		seen[w] = i
	}
	return false
}

func (h *Heads) verdict() (Verdict, string, string) {
	rep := h.Report
	found := 0
	heads := map[[2]int]bool{}
	var parts []string
	for _, r := range inspect.Roles {
		l, hd, s := rep.Best(r)
		parts = append(parts, fmt.Sprintf("%s %.2f (head %d.%d; uniform %.2f)", r, s, l+1, hd+1, rep.Uniform[r]))
		if h.Found[r] {
			found++
			heads[[2]int{l, hd}] = true
		}
	}
	rule := fmt.Sprintf("a role counts as a head's job when the head scores at least %.1f and twice a uniform head; held if at least three roles are some head's job, done by at least three different heads; weakly if two roles are", roleThreshold)
	nums := fmt.Sprintf("best heads: %s; loss on the repeated sequence %.2f → %.2f nats", strings.Join(parts, ", "), rep.FirstLoss, rep.RepeatLoss)
	switch {
	case found >= 3 && len(heads) >= 3:
		return Held, nums, rule
	case found >= 2:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const (
	headsFigure = "5-head-roles.png"
	mapsFigure  = "5-head-maps.png"
)

func (h *Heads) section() *Section {
	rep := h.Report
	sec := &Section{Title: "Attention heads, each doing a different job",
		Claim: "Each attention head matches a query vector against the key vectors of the words before it and takes on a job of its own: looking at the previous word, at an earlier copy of the same word, or completing a repeated pattern (an induction head)."}
	sec.Verdict, sec.Because, sec.Rule = h.verdict()
	sec.Numbers = []float64{rep.FirstLoss, rep.RepeatLoss}
	for _, row := range rep.Scores {
		for _, s := range row {
			sec.Numbers = append(sec.Numbers, s[:]...)
		}
	}
	sec.Numbers = append(sec.Numbers, rep.Uniform[:]...)
	sec.body = func(m *md) {
		m.p("Every head of every block is scored for four known jobs, each the share of its attention (0 to 1) that goes where the job says, averaged over positions: ")
		m.p("**previous token**; **first token**, the <bos> every sentence starts with, where heads with nothing to read park their attention (an attention sink); **earlier copy** of the current word (at %d positions whose word occurred before in the sentence); and **induction** (Olsson et al. 2022): on %d random sequences of %d of the model's words, each repeated once, attention from a word's second occurrence to the word that followed its first occurrence, the move that lets a model continue a pattern it has seen once. ",
			rep.Positions[inspect.Copy], rep.Sequences, rep.Period)
		m.p("The first three are measured on %d held-out sentences (%d positions). A head that spreads its attention evenly would score %.2f, %.2f, %.2f and %.2f.\n\n",
			rep.Texts, rep.Positions[inspect.Previous], rep.Uniform[0], rep.Uniform[1], rep.Uniform[2], rep.Uniform[3])
		m.p("| role | best head (block.head) | score | uniform head | some head's job? |\n|---|---|---|---|---|\n")
		for _, r := range inspect.Roles {
			l, hd, s := rep.Best(r)
			m.p("| %s | %d.%d | %.2f | %.2f | %s |\n", r, l+1, hd+1, s, rep.Uniform[r], yesNo(h.Found[r]))
		}
		m.p("\nOn the repeated random sequences the model's next-word loss is %.2f nats on the first copy and %.2f on the repeat: ", rep.FirstLoss, rep.RepeatLoss)
		if d := rep.FirstLoss - rep.RepeatLoss; d > 0.5 {
			m.p("the repeat is predicted %.2f nats better, the in-context copying that induction heads do.\n\n", d)
		} else {
			m.p("a difference of %.2f nats, so the model barely uses the earlier copy.\n\n", d)
		}
		m.p("![Role scores of every head](%s)\n\n", headsFigure)
		m.p("The attention of the most typical head of each role, on a held-out sentence (on the repeated random sequence for induction); row = the attending word, column = the word attended to:\n\n")
		m.p("![Attention maps of the best head per role](%s)\n\n", mapsFigure)
	}
	sec.plots = []figure{{headsFigure, h.plotGrid}, {mapsFigure, h.plotMaps}}
	return sec
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// whiteBlue is a sequential palette from white (0) to dark blue (1).
type whiteBlue int

func (n whiteBlue) Colors() []color.Color {
	c := make([]color.Color, n)
	for i := range c {
		t := float64(i) / float64(n-1)
		c[i] = color.RGBA{uint8(255 - t*(255-8)), uint8(255 - t*(255-48)), uint8(255 - t*(255-107)), 255}
	}
	return c
}

// grid is a matrix as a heat map: row 0 on top.
type grid struct {
	z          [][]float64
	rows, cols int
}

func (g grid) Dims() (c, r int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return g.z[g.rows-1-r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// heatMap draws z (values in [0, 1]) with the values written in the cells
// when label is set.
func heatMap(p *plot.Plot, z [][]float64, label bool) error {
	g := grid{z: z, rows: len(z), cols: len(z[0])}
	hm := plotter.NewHeatMap(g, whiteBlue(64))
	hm.Min, hm.Max = 0, 1
	p.Add(hm)
	if !label {
		return nil
	}
	var pts plotter.XYs
	var labels []string
	var dark []bool
	for r := range g.rows {
		for c := range g.cols {
			v := z[r][c]
			pts = append(pts, plotter.XY{X: float64(c), Y: float64(g.rows - 1 - r)})
			labels = append(labels, fmt.Sprintf("%.2f", v))
			dark = append(dark, v > 0.55)
		}
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
		l.TextStyle[i].Font.Size = vg.Points(10)
		if dark[i] {
			l.TextStyle[i].Color = color.White
		}
	}
	p.Add(l)
	return nil
}

func (h *Heads) plotGrid(path string) error {
	rep := h.Report
	L, H := len(rep.Scores), len(rep.Scores[0])
	var plots [][]*plot.Plot
	var row []*plot.Plot
	for _, r := range inspect.Roles {
		z := make([][]float64, L)
		for l := range L {
			z[l] = make([]float64, H)
			for hd := range H {
				z[l][hd] = rep.Scores[l][hd][r]
			}
		}
		p := newPlot(r.String(), "head", "block")
		if err := heatMap(p, z, true); err != nil {
			return err
		}
		var xt, yt []plot.Tick
		for hd := range H {
			xt = append(xt, plot.Tick{Value: float64(hd), Label: fmt.Sprint(hd + 1)})
		}
		for l := range L {
			yt = append(yt, plot.Tick{Value: float64(L - 1 - l), Label: fmt.Sprint(l + 1)})
		}
		p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
		row = append(row, p)
		if len(row) == 2 {
			plots, row = append(plots, row), nil
		}
	}
	w := vg.Length(math.Max(3.5, 0.6*float64(H)+1.2)) * vg.Inch
	hgt := vg.Length(math.Max(2.6, 0.5*float64(L)+1.4)) * vg.Inch
	return saveTiles(plots, 2*w, 2*hgt, path)
}

func (h *Heads) plotMaps(path string) error {
	rep := h.Report
	var plots [][]*plot.Plot
	var row []*plot.Plot
	maxT := 0
	for _, r := range inspect.Roles {
		l, hd, s := rep.Best(r)
		att := h.Maps[r]
		T := len(att)
		maxT = max(maxT, T)
		z := make([][]float64, T)
		for p := range T {
			z[p] = make([]float64, T)
			for q := range T {
				z[p][q] = float64(att[p][q])
			}
		}
		p := newPlot(fmt.Sprintf("%s: head %d.%d (score %.2f)", r, l+1, hd+1, s), "", "")
		if err := heatMap(p, z, false); err != nil {
			return err
		}
		var xt, yt []plot.Tick
		for i, t := range h.Tokens[r] {
			xt = append(xt, plot.Tick{Value: float64(i), Label: t})
			yt = append(yt, plot.Tick{Value: float64(T - 1 - i), Label: t})
		}
		p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
		p.X.Tick.Label.Font.Size = vg.Points(8.5)
		p.Y.Tick.Label.Font.Size = vg.Points(8.5)
		row = append(row, p)
		if len(row) == 2 {
			plots = append(plots, row)
			row = nil
		}
	}
	side := vg.Length(math.Max(4, 0.16*float64(maxT)+1.2)) * vg.Inch
	return saveTiles(plots, 2*side, 2*side, path)
}
