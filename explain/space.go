package explain

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
)

// restrict is how many of the most frequent words the word-space and
// arithmetic sections search, as analogy benchmarks do (rarer words have
// noisy vectors).
const restrict = 30000

// probeWords are the words whose neighbours section 1 lists, those in the
// vocabulary.
var probeWords = []string{"cat", "dog", "king", "water", "run", "god", "money", "house", "three", "good"}

// WordGroup is a named set of words of one kind.
type WordGroup struct {
	Name  string
	Words []string
}

// wordGroups are the groups of the word map; the most frequent groupMax
// words of each that the vectors know are used.
var wordGroups = []WordGroup{
	{"animals", strings.Fields("horse dog sheep lion cattle ox bird fish cat wolf goat bear camel deer mouse fox eagle snake cow pig rabbit elephant tiger monkey")},
	{"countries", strings.Fields("egypt israel france england america spain germany italy china russia greece india japan ireland scotland mexico canada syria persia britain turkey poland sweden")},
	{"numbers", strings.Fields("two three four five six seven eight nine ten twelve twenty thirty forty fifty hundred thousand eleven fifteen sixty seventy")},
	{"verbs", strings.Fields("eat drink sleep walk run speak write read sing swim jump throw fight build climb dance cook wash")},
	{"colours", strings.Fields("red white black green blue yellow purple brown grey gray pink orange scarlet")},
	{"family", strings.Fields("father mother son daughter brother sister wife husband uncle aunt cousin nephew niece grandfather grandmother")},
}

const groupMax = 10

// Space is section 1: words as points in a space.
type Space struct {
	// Probes are the probe words found and their nearest neighbours
	// among the Restrict most frequent words.
	Probes   []Neighbours
	Restrict int
	// Groups are the words of each group found in the vocabulary.
	Groups []WordGroup
	// Purity is the share of group words whose nearest other group word
	// (by cosine) is in the same group; ChancePurity its mean over random
	// relabellings that keep the group sizes, and PurityP the share of
	// those reaching Purity (one-sided permutation p-value, (k+1)/(n+1)).
	Purity, ChancePurity, PurityP float64
	Shuffles                      int
	// Silhouette is the mean silhouette with cosine distance (1: tight,
	// well separated groups; 0: overlapping; negative: misassigned).
	Silhouette float64
	// Map holds each group word's coordinates on the first two principal
	// components (in the order of Groups' words); Explained the share of
	// the variance they carry.
	Map       [][2]float64
	Explained [2]float64
	// Dim is the vectors' dimension.
	Dim int
}

// Neighbours is a word and its nearest words.
type Neighbours struct {
	Word string
	Near []embed.Neighbor
}

func measureSpace(ctx context.Context, e *embed.Embeddings, o Options) (*Space, error) {
	s := &Space{Restrict: min(restrict, e.Len()), Dim: e.Dim()}
	for _, w := range probeWords {
		i, ok := e.Vocab().Index(w)
		if !ok || i >= s.Restrict {
			continue
		}
		near, err := e.MostSimilar([]string{w}, nil, 8, embed.QueryOptions{Restrict: s.Restrict})
		if err != nil {
			return nil, err
		}
		s.Probes = append(s.Probes, Neighbours{w, near})
	}
	var rows []int
	var labels []int
	for _, g := range wordGroups {
		var idx []int
		for _, w := range g.Words {
			if i, ok := e.Vocab().Index(w); ok && i < s.Restrict && !slices.Contains(idx, i) {
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		if len(idx) > groupMax {
			idx = idx[:groupMax]
		}
		if len(idx) < 3 {
			continue
		}
		found := WordGroup{Name: g.Name}
		for _, i := range idx {
			found.Words = append(found.Words, e.Vocab().Word(i))
			rows = append(rows, i)
			labels = append(labels, len(s.Groups))
		}
		s.Groups = append(s.Groups, found)
	}
	if len(s.Groups) < 2 {
		return s, nil // nothing to cluster; the section says so
	}
	n := len(rows)
	unit := e.Unit()
	d := e.Dim()
	sim := make([]float64, n*n)
	for i := range n {
		for j := range n {
			sim[i*n+j] = f32.Dot64(unit[rows[i]*d:(rows[i]+1)*d], unit[rows[j]*d:(rows[j]+1)*d])
		}
	}
	nn := make([]int, n)
	for i := range n {
		best := -1
		for j := range n {
			if j != i && (best < 0 || sim[i*n+j] > sim[i*n+best]) {
				best = j
			}
		}
		nn[i] = best
	}
	purity := func(lab []int) float64 {
		c := 0
		for i := range n {
			if lab[nn[i]] == lab[i] {
				c++
			}
		}
		return float64(c) / float64(n)
	}
	s.Purity = purity(labels)
	s.Shuffles = 2000
	if o.Quick {
		s.Shuffles = 200
	}
	rng := rand.New(rand.NewPCG(o.Seed, 1))
	shuffled := slices.Clone(labels)
	atLeast := 0
	for range s.Shuffles {
		rng.Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		p := purity(shuffled)
		s.ChancePurity += p / float64(s.Shuffles)
		if p >= s.Purity {
			atLeast++
		}
	}
	s.PurityP = float64(atLeast+1) / float64(s.Shuffles+1)
	s.Silhouette = silhouette(sim, labels, len(s.Groups))

	// PCA of the unit vectors.
	x := mat.NewDense(n, d, nil)
	for i, r := range rows {
		for j := range d {
			x.Set(i, j, float64(unit[r*d+j]))
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		return nil, fmt.Errorf("principal components did not converge")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	var total float64
	for _, v := range vars {
		total += v
	}
	if total > 0 {
		s.Explained = [2]float64{vars[0] / total, vars[1] / total}
	}
	var proj mat.Dense
	proj.Mul(x, vecs.Slice(0, d, 0, 2))
	for i := range n {
		s.Map = append(s.Map, [2]float64{proj.At(i, 0), proj.At(i, 1)})
	}
	return s, ctx.Err()
}

// silhouette is the mean silhouette coefficient with distance 1 − cos.
func silhouette(sim []float64, labels []int, k int) float64 {
	n := len(labels)
	var total float64
	for i := range n {
		sum := make([]float64, k)
		cnt := make([]int, k)
		for j := range n {
			if j != i {
				sum[labels[j]] += 1 - sim[i*n+j]
				cnt[labels[j]]++
			}
		}
		own := labels[i]
		if cnt[own] == 0 {
			continue
		}
		a := sum[own] / float64(cnt[own])
		b := math.Inf(1)
		for c := range k {
			if c != own && cnt[c] > 0 {
				b = math.Min(b, sum[c]/float64(cnt[c]))
			}
		}
		if m := math.Max(a, b); m > 0 && !math.IsInf(b, 0) {
			total += (b - a) / m
		}
	}
	return total / float64(n)
}

func (s *Space) verdict() (Verdict, string, string) {
	rule := "held if at least 75% of the group words have a nearest neighbour of their own group and shuffled groups reach that less than 1% of the time; weakly if the purity is above chance with p < 0.05"
	if len(s.Groups) < 2 {
		return NotSeen, "fewer than two word groups have three words in the vocabulary, so nothing could be measured", rule
	}
	nums := fmt.Sprintf("nearest-neighbour purity %.2f against %.2f for shuffled groups (p %s), silhouette %.2f", s.Purity, s.ChancePurity, pValue(s.PurityP, s.Shuffles), s.Silhouette)
	switch {
	case s.Purity >= 0.75 && s.PurityP < 0.01:
		return Held, nums, rule
	case s.PurityP < 0.05:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

// pValue writes a permutation p-value, as a bound when no permutation
// reached the observed value.
func pValue(p float64, n int) string {
	if p <= 1/float64(n+1)+1e-12 {
		return fmt.Sprintf("< %.1g", 1/float64(n))
	}
	return fmt.Sprintf("%.2g", p)
}

const spaceFigure = "1-word-map.png"

func (s *Space) section() *Section {
	sec := &Section{Title: "Words are points in a space",
		Claim: "A word vector places words used in similar ways close together, so that cat lies near dog, kitten and pet, and groups of words (animals, countries, numbers) form clusters."}
	sec.Verdict, sec.Because, sec.Rule = s.verdict()
	sec.Numbers = []float64{s.Purity, s.ChancePurity, s.PurityP, s.Silhouette, s.Explained[0], s.Explained[1]}
	sec.body = func(m *md) {
		m.p("Nearest neighbours by cosine among the %d most frequent words:\n\n| word | nearest words (cosine) |\n|---|---|\n", s.Restrict)
		for _, p := range s.Probes {
			var parts []string
			for _, n := range p.Near {
				parts = append(parts, fmt.Sprintf("%s %.2f", n.Word, n.Score))
			}
			m.p("| **%s** | %s |\n", esc(p.Word), esc(strings.Join(parts, ", ")))
		}
		if len(s.Probes) == 0 {
			m.p("| (none of the probe words is in the vocabulary) | |\n")
		}
		m.p("\n")
		if len(s.Groups) < 2 {
			m.p("Too few words of the groups are in the vocabulary to draw the map.\n\n")
			return
		}
		var gs []string
		for _, g := range s.Groups {
			gs = append(gs, fmt.Sprintf("%s (%d)", g.Name, len(g.Words)))
		}
		m.p("The map places %s on the two directions along which their vectors vary most (principal components of the unit vectors, %.0f%% and %.0f%% of the variance). ", strings.Join(gs, ", "), 100*s.Explained[0], 100*s.Explained[1])
		m.p("Two numbers say how well the groups separate in all %d dimensions: the share of words whose nearest other word of the map is of their own group (nearest-neighbour purity) is **%.2f**, against %.2f when the group labels are shuffled %d times (p %s); the mean silhouette (cosine distance; 1 tight and apart, 0 overlapping) is **%.2f**.\n\n",
			s.Dim, s.Purity, s.ChancePurity, s.Shuffles, pValue(s.PurityP, s.Shuffles), s.Silhouette)
		m.p("![PCA map of word groups](%s)\n\n", spaceFigure)
	}
	if len(s.Groups) >= 2 {
		sec.plots = []figure{{spaceFigure, s.plot}}
	}
	return sec
}

func (s *Space) plot(path string) error {
	p := newPlot("Word groups on the first two principal components", "PC 1", "PC 2")
	k := 0
	for gi, g := range s.Groups {
		pts := make(plotter.XYs, len(g.Words))
		for i := range g.Words {
			pts[i].X, pts[i].Y = s.Map[k+i][0], s.Map[k+i][1]
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Color = colours[gi%len(colours)]
		sc.GlyphStyle.Radius = vg.Points(3.5)
		sc.GlyphStyle.Shape = shapes[gi%len(shapes)]
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: g.Words})
		if err != nil {
			return err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].Color = colours[gi%len(colours)]
			lab.TextStyle[i].Font.Size = vg.Points(8.5)
			lab.TextStyle[i].XAlign = draw.XLeft
		}
		lab.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(-3)}
		p.Add(sc, lab)
		p.Legend.Add(g.Name, sc)
		k += len(g.Words)
	}
	// Room on the right for the labels and the legend.
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, m := range s.Map {
		xlo, xhi = math.Min(xlo, m[0]), math.Max(xhi, m[0])
		ylo, yhi = math.Min(ylo, m[1]), math.Max(yhi, m[1])
	}
	w, h := xhi-xlo, yhi-ylo
	p.X.Min, p.X.Max = xlo-0.04*w, xhi+0.3*w
	p.Y.Min, p.Y.Max = ylo-0.05*h, yhi+0.05*h
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return savePNG(p, 9*vg.Inch, 7*vg.Inch, path)
}

var shapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}}
