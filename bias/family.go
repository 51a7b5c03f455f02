package bias

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/stats"
)

// RNDResult is the outcome of RND.
type RNDResult struct {
	// Value is Σ_{v∈N} (‖v − x̄‖ − ‖v − ȳ‖), Garg et al.'s sum. Negative
	// means the neutral words lie closer to X's centroid.
	Value float64 `json:"rnd"`
	// Mean is Value divided by the number of neutral words (what WEFE
	// reports).
	Mean float64 `json:"mean"`
	// PerWord is each neutral word's term, ‖v − x̄‖ − ‖v − ȳ‖.
	PerWord []WordScore `json:"per_word"`
	OOV     []Coverage  `json:"oov"`
}

// RND computes the relative norm distance of Garg, Schiebinger, Jurafsky &
// Zou (2018), "Word embeddings quantify 100 years of gender and ethnic
// stereotypes", PNAS 115(16):E3635-E3644: with x̄ and ȳ the averages of the
// group words' vectors (e.g. female and male terms) and N the neutral
// words (e.g. occupations),
//
//	RND = Σ_{v∈N} ‖v − x̄‖₂ − ‖v − ȳ‖₂.
//
// As in Garg et al.'s code, every vector is scaled to unit length first
// and the averages are not rescaled. The paper reports the sum; WEFE
// (dccuchile/wefe) reports the mean over N, here Mean.
func RND(e *embed.Embeddings, x, y, neutral []string, l Lookup) (*RNDResult, error) {
	p := l
	res := &RNDResult{}
	sets, err := resolveAll(e, p, &res.OOV, named{"X", x}, named{"Y", y}, named{"N", neutral})
	if err != nil {
		return res, err
	}
	cx, cy := centroid(sets[0].unit), centroid(sets[1].unit)
	for i, v := range sets[2].unit {
		t := dist(v, cx) - dist(v, cy)
		res.PerWord = append(res.PerWord, WordScore{sets[2].words[i], t})
		res.Value += t
	}
	res.Mean = res.Value / float64(sets[2].len())
	return res, nil
}

// MACResult is the outcome of MAC.
type MACResult struct {
	// Value is the mean cosine distance over all (target, attribute set)
	// pairs: 0 for identical directions, 1 for orthogonal, 2 for opposite.
	Value float64 `json:"mac"`
	// PerTarget is each target word's mean over the attribute sets of
	// S(t, A_j).
	PerTarget []WordScore `json:"per_target"`
	OOV       []Coverage  `json:"oov"`
}

// MAC computes the mean average cosine distance of Manzini, Lim, Tsvetkov &
// Black (2019), "Black is to Criminal as Caucasian is to Police: Detecting
// and Removing Multiclass Bias in Word Embeddings", NAACL-HLT 2019: with
// S(t, A_j) = (1/|A_j|) Σ_{a∈A_j} (1 − cos(t, a)),
//
//	MAC(T, A) = (1 / (|T| |A|)) Σ_{t∈T} Σ_{A_j∈A} S(t, A_j),
//
// where T are the target words (e.g. stereotypical attributes) and A the
// attribute sets (e.g. one set of words per religion). The paper divides
// by |T||A|; WEFE (dccuchile/wefe) divides by |T| only, which makes its
// value |A| times larger. Attribute sets are named A1, A2, ... in the
// coverage report.
func MAC(e *embed.Embeddings, targets []string, attributes [][]string, l Lookup) (*MACResult, error) {
	if len(attributes) == 0 {
		return nil, fmt.Errorf("bias: MAC needs at least one attribute set: %w", ErrTooFewWords)
	}
	p := l
	res := &MACResult{}
	all := []named{{"T", targets}}
	for j, a := range attributes {
		all = append(all, named{fmt.Sprintf("A%d", j+1), a})
	}
	sets, err := resolveAll(e, p, &res.OOV, all...)
	if err != nil {
		return res, err
	}
	t, attrs := sets[0], sets[1:]
	var total float64
	for i, v := range t.unit {
		var st float64
		for _, a := range attrs {
			var s float64
			for _, u := range a.unit {
				s += 1 - dot(v, u)
			}
			st += s / float64(a.len())
		}
		st /= float64(len(attrs))
		res.PerTarget = append(res.PerTarget, WordScore{t.words[i], st})
		total += st
	}
	res.Value = total / float64(t.len())
	return res, nil
}

// ECTResult is the outcome of ECT.
type ECTResult struct {
	// Value is Spearman's ρ between the two similarity lists, in [-1, 1];
	// 1 means the attribute words relate to both groups alike.
	Value float64 `json:"ect"`
	// SimX and SimY are cos(x̄, a) and cos(ȳ, a) for each attribute word.
	SimX []WordScore `json:"sim_x"`
	SimY []WordScore `json:"sim_y"`
	OOV  []Coverage  `json:"oov"`
}

// ECT computes the embedding coherence test of Dev & Phillips (2019),
// "Attenuating Bias in Word Vectors", AISTATS 2019: the Spearman rank
// correlation between the cosine similarities of each attribute word
// (e.g. professions) to the mean vector of target group X and to the mean
// vector of group Y (e.g. male and female names). Higher is less biased.
// Vectors are unit-normalised before averaging; tied similarities get
// their average rank.
func ECT(e *embed.Embeddings, x, y, attributes []string, l Lookup) (*ECTResult, error) {
	p := l
	res := &ECTResult{}
	sets, err := resolveAll(e, p, &res.OOV, named{"X", x}, named{"Y", y}, named{"A", attributes})
	if err != nil {
		return res, err
	}
	cx, cy := centroid(sets[0].unit), centroid(sets[1].unit)
	nx, ny := norm(cx), norm(cy)
	if nx == 0 || ny == 0 {
		return res, fmt.Errorf("bias: a target group's vectors cancel out: %w", ErrUndefined)
	}
	a := sets[2]
	sx, sy := make([]float64, a.len()), make([]float64, a.len())
	for i, v := range a.unit {
		sx[i], sy[i] = dot(v, cx)/nx, dot(v, cy)/ny
		res.SimX = append(res.SimX, WordScore{a.words[i], sx[i]})
		res.SimY = append(res.SimY, WordScore{a.words[i], sy[i]})
	}
	rho := stats.Spearman(sx, sy)
	if math.IsNaN(rho) {
		return res, fmt.Errorf("bias: the similarities to one group are all equal, so their rank correlation is undefined: %w", ErrUndefined)
	}
	res.Value = rho
	return res, nil
}

// RIPAResult is the outcome of RIPA.
type RIPAResult struct {
	// PerWord is β(w; b) = ⟨w, b⟩ for each word.
	PerWord []WordScore `json:"per_word"`
	// Mean is the average of PerWord.
	Mean float64 `json:"mean"`
	// Relation is the unit relation vector b.
	Relation []float64  `json:"-"`
	OOV      []Coverage `json:"oov"`
}

// RIPA computes the relational inner product association of Ethayarajh,
// Duvenaud & Hirst (2019), "Understanding Undesirable Word Embedding
// Associations", ACL 2019: β(w; b) = ⟨w, b⟩, the inner product of the word
// vector as stored (not normalised: the paper derives RIPA for raw SGNS
// vectors) with a unit relation vector b. For one pair (x, y),
// b = (x − y)/‖x − y‖; for several, b is the first principal component of
// the differences {x − y}, as the paper defines it, taken without
// centring (centring would remove the shared difference that is the
// relation) and signed so that the mean difference projects positively.
// WEFE instead averages β over one relation vector per pair.
func RIPA(e *embed.Embeddings, pairs [][2]string, words []string, l Lookup) (*RIPAResult, error) {
	p := l
	res := &RIPAResult{}
	first, second, cov, err := p.resolvePairs(e, "pairs", pairs)
	res.OOV = append(res.OOV, cov)
	if err != nil {
		return res, err
	}
	diffs := make([][]float64, first.len())
	for i := range diffs {
		diffs[i] = sub(first.raw[i], second.raw[i])
	}
	b, err := relation(diffs)
	if err != nil {
		return res, err
	}
	res.Relation = b
	ws, cov, err := p.resolve(e, "W", words)
	res.OOV = append(res.OOV, cov)
	if err != nil {
		return res, err
	}
	for i, w := range ws.raw {
		beta := dot(w, b)
		res.PerWord = append(res.PerWord, WordScore{ws.words[i], beta})
		res.Mean += beta
	}
	res.Mean /= float64(ws.len())
	return res, nil
}

// relation returns the unit first right-singular vector of the rows
// (their uncentred first principal component), signed along their sum.
func relation(rows [][]float64) ([]float64, error) {
	d := len(rows[0])
	if len(rows) == 1 {
		n := norm(rows[0])
		if n == 0 {
			return nil, fmt.Errorf("bias: the pair's two vectors are equal: %w", ErrUndefined)
		}
		return scaled(rows[0], 1/n), nil
	}
	m := mat.NewDense(len(rows), d, nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	var svd mat.SVD
	if !svd.Factorize(m, mat.SVDThinV) {
		return nil, fmt.Errorf("bias: SVD of the pair differences failed: %w", ErrUndefined)
	}
	if svd.Values(nil)[0] == 0 {
		return nil, fmt.Errorf("bias: every pair's two vectors are equal: %w", ErrUndefined)
	}
	var v mat.Dense
	svd.VTo(&v)
	b := mat.Col(nil, 0, &v)
	orient(b, rows)
	return b, nil
}

// orient flips b so that the rows' sum projects onto it non-negatively.
func orient(b []float64, rows [][]float64) {
	var s float64
	for _, r := range rows {
		s += dot(r, b)
	}
	if s < 0 {
		for i := range b {
			b[i] = -b[i]
		}
	}
}

type named struct {
	name  string
	words []string
}

// resolveAll resolves sets in order, appending each coverage to oov, and
// stops at the first set that fails.
func resolveAll(e *embed.Embeddings, p Lookup, oov *[]Coverage, sets ...named) ([]wordSet, error) {
	out := make([]wordSet, len(sets))
	for i, s := range sets {
		ws, cov, err := p.resolve(e, s.name, s.words)
		*oov = append(*oov, cov)
		if err != nil {
			return nil, err
		}
		out[i] = ws
	}
	return out, nil
}

func centroid(vs [][]float64) []float64 {
	c := make([]float64, len(vs[0]))
	for _, v := range vs {
		for i, x := range v {
			c[i] += x
		}
	}
	for i := range c {
		c[i] /= float64(len(vs))
	}
	return c
}

func dist(x, y []float64) float64 {
	var s float64
	for i, v := range x {
		d := v - y[i]
		s += d * d
	}
	return math.Sqrt(s)
}

func sub(x, y []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v - y[i]
	}
	return out
}

func scaled(x []float64, a float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = a * v
	}
	return out
}
