package bias

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/wordspace/wordspace/embed"
)

// Direction is a bias direction g in an embedding, found as in Bolukbasi,
// Chang, Zou, Saligrama & Kalai (2016), "Man is to Computer Programmer as
// Woman is to Homemaker? Debiasing Word Embeddings", NIPS 2016: the first
// principal component of the definitional pairs' vectors (unit-normalised,
// each pair centred on its own midpoint). Its methods measure the
// embedding it is bound to.
type Direction struct {
	e *embed.Embeddings
	// Vector is g, of unit length, in float64. Its sign is chosen so that
	// the first word of each pair projects above the second on average:
	// for Bolukbasi's [female, male] pairs, positive means "she" side.
	Vector []float64
	// ExplainedVariance holds the ratios of variance explained by each
	// principal component of the centred pairs, in descending order; the
	// first is g's. Bolukbasi et al. found about 60% for the first
	// component of the ten gender pairs in word2vec GoogleNews.
	ExplainedVariance []float64
	// Pairs are the definitional pairs used (vocabulary forms).
	Pairs [][2]string
	// OOV reports the pairs' coverage; a pair missing a word is dropped.
	OOV Coverage
	l   Lookup
}

// NewDirection computes the bias direction of e from definitional pairs
// (nil: Bolukbasi's ten gender pairs) under the lookup policy l (the zero
// Lookup is the default). Each pair's vectors are scaled to unit length and centred on
// the pair's mean; g is the first principal component (gonum stat.PC) of
// those 2n centred vectors.
func NewDirection(e *embed.Embeddings, pairs [][2]string, l Lookup) (*Direction, error) {
	if pairs == nil {
		pairs = DefinitionalPairs()
	}
	p := l
	first, second, cov, err := p.resolvePairs(e, "definitional pairs", pairs)
	d := &Direction{e: e, OOV: cov, l: p}
	if err != nil {
		return d, err
	}
	n, dim := first.len(), e.Dim()
	m := mat.NewDense(2*n, dim, nil)
	for i := range n {
		a, b := first.unit[i], second.unit[i]
		for j := range dim {
			c := (a[j] + b[j]) / 2
			m.Set(2*i, j, a[j]-c)
			m.Set(2*i+1, j, b[j]-c)
		}
		d.Pairs = append(d.Pairs, [2]string{first.words[i], second.words[i]})
	}
	var pc stat.PC
	if !pc.PrincipalComponents(m, nil) {
		return d, fmt.Errorf("bias: principal components of the definitional pairs failed: %w", ErrUndefined)
	}
	vars := pc.VarsTo(nil)
	var total float64
	for _, v := range vars {
		total += v
	}
	if total == 0 {
		return d, fmt.Errorf("bias: every definitional pair has two equal vectors: %w", ErrUndefined)
	}
	for _, v := range vars {
		d.ExplainedVariance = append(d.ExplainedVariance, v/total)
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	g := mat.Col(nil, 0, &vecs)
	diffs := make([][]float64, n)
	for i := range n {
		diffs[i] = sub(first.unit[i], second.unit[i])
	}
	orient(g, diffs)
	d.Vector = scaled(g, 1/norm(g))
	return d, nil
}

// NewDirectionFromVector binds a given direction (of e's dimension, not
// zero) to e; it is scaled to unit length.
func NewDirectionFromVector(e *embed.Embeddings, g []float64, l Lookup) (*Direction, error) {
	if len(g) != e.Dim() {
		return nil, fmt.Errorf("bias: direction has %d components, embeddings %d", len(g), e.Dim())
	}
	n := norm(g)
	if n == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, fmt.Errorf("bias: direction has length %v", n)
	}
	return &Direction{e: e, Vector: scaled(g, 1/n), l: l}, nil
}

// On returns the same direction bound to other embeddings of the same
// dimension, for instance to measure debiased vectors along the direction
// that was removed from them.
func (d *Direction) On(e *embed.Embeddings) (*Direction, error) {
	if e.Dim() != len(d.Vector) {
		return nil, fmt.Errorf("bias: direction has %d components, embeddings %d", len(d.Vector), e.Dim())
	}
	c := *d
	c.e = e
	return &c, nil
}

// Embeddings returns the embeddings the direction measures.
func (d *Direction) Embeddings() *embed.Embeddings { return d.e }

// Projections returns cos(w, g) for each word found (missing words are
// dropped and reported; at least one word must be found).
func (d *Direction) Projections(words []string) ([]WordScore, Coverage, error) {
	ws, cov, err := d.l.resolveMin(d.e, "words", words, 1)
	if err != nil {
		return nil, cov, err
	}
	out := make([]WordScore, ws.len())
	for i, v := range ws.unit {
		out[i] = WordScore{ws.words[i], dot(v, d.Vector)}
	}
	return out, cov, nil
}

// DirectBiasResult is the outcome of DirectBias.
type DirectBiasResult struct {
	// Value is (1/|N|) Σ_{w∈N} |cos(w, g)|^c.
	Value float64 `json:"direct_bias"`
	C     float64 `json:"c"`
	// Words is |N|, the number of words measured.
	Words int `json:"words"`
	// PerWord is cos(w, g) for each word (signed).
	PerWord []WordScore `json:"per_word"`
	OOV     Coverage    `json:"oov"`
}

// DirectBias is Bolukbasi et al.'s direct bias of the neutral words N along
// g with strictness c:
//
//	DirectBias_c = (1/|N|) Σ_{w∈N} |cos(w, g)|^c.
//
// c = 1 is the usual choice; as c → 0 it tends to the fraction of words
// with any component along g (0^0 is taken as 0, so an exactly neutral
// word counts as unbiased). Words missing from the vocabulary are
// dropped and reported under the lookup policy.
func (d *Direction) DirectBias(words []string, c float64) (*DirectBiasResult, error) {
	if !(c >= 0) || math.IsInf(c, 0) {
		return nil, fmt.Errorf("bias: direct-bias strictness c = %v is not a non-negative number", c)
	}
	ws, cov, err := d.l.resolve(d.e, "neutral words", words)
	res := &DirectBiasResult{C: c, OOV: cov}
	if err != nil {
		return res, err
	}
	for i, v := range ws.unit {
		p := dot(v, d.Vector)
		res.PerWord = append(res.PerWord, WordScore{ws.words[i], p})
		if p != 0 {
			res.Value += math.Pow(math.Abs(p), c)
		}
	}
	res.Words = ws.len()
	res.Value /= float64(res.Words)
	return res, nil
}

// IndirectBias is Bolukbasi et al.'s indirect bias between words w and v:
// the share of their similarity that comes from g,
//
//	β(w, v) = (w·v − w⊥·v⊥ / (‖w⊥‖ ‖v⊥‖)) / (w·v),
//
// with w and v unit-normalised and w⊥ = w − (w·g)g. It is undefined (an
// error wrapping ErrUndefined) when w·v = 0 or either word lies along g.
func (d *Direction) IndirectBias(w, v string) (float64, error) {
	ws, _, err := d.l.resolveMin(d.e, "pair", []string{w, v}, 2)
	if err != nil {
		return 0, err
	}
	a, b := ws.unit[0], ws.unit[1]
	ab := dot(a, b)
	if ab == 0 {
		return 0, fmt.Errorf("bias: %q and %q are orthogonal: %w", w, v, ErrUndefined)
	}
	ap, bp := reject(a, d.Vector), reject(b, d.Vector)
	na, nb := norm(ap), norm(bp)
	if na == 0 || nb == 0 {
		return 0, fmt.Errorf("bias: %q or %q lies along the bias direction: %w", w, v, ErrUndefined)
	}
	return (ab - dot(ap, bp)/(na*nb)) / ab, nil
}

// reject returns v minus its projection on the unit vector g.
func reject(v, g []float64) []float64 {
	p := dot(v, g)
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x - p*g[i]
	}
	return out
}
