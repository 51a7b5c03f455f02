package bias

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/wordspace/wordspace/embed"
)

// WEATOptions configures WEAT and SCWEAT. The zero value gives the
// defaults: sample standard deviation, exact test up to DefaultExactLimit
// partitions, else DefaultPermutations Monte-Carlo draws with seed 0, no
// bootstrap, the default Lookup.
type WEATOptions struct {
	// Population divides the effect size by the population standard
	// deviation (ddof = 0) instead of the sample one (ddof = 1, as
	// Caliskan et al. 2017 did). Some tools use the population one, which
	// inflates d by sqrt(n/(n-1)) relative to the paper.
	Population bool
	// ExactLimit is the largest number of partitions counted exactly
	// (default DefaultExactLimit); beyond it the p-value is Monte-Carlo.
	ExactLimit float64
	// Permutations is the number of random partitions of a Monte-Carlo
	// test (default DefaultPermutations).
	Permutations int
	// Seed seeds the Monte-Carlo test and the bootstrap; the same seed
	// gives the same numbers.
	Seed uint64
	// Bootstrap is the number of bootstrap resamples for a confidence
	// interval of the effect size; 0 computes none.
	Bootstrap int
	// Confidence is the interval's coverage (default 0.95).
	Confidence float64
	// BootstrapAttributes resamples the attribute words too, not only the
	// targets, so the interval also reflects the choice of attribute words.
	BootstrapAttributes bool
	// Lookup is the out-of-vocabulary policy.
	Lookup Lookup
}

func (o WEATOptions) orDefault() WEATOptions {
	c := o
	if c.ExactLimit <= 0 {
		c.ExactLimit = DefaultExactLimit
	}
	if c.Permutations <= 0 {
		c.Permutations = DefaultPermutations
	}
	if c.Confidence == 0 {
		c.Confidence = 0.95
	}
	return c
}

func (o WEATOptions) check() error {
	if o.Bootstrap < 0 {
		return fmt.Errorf("bias: negative bootstrap count %d", o.Bootstrap)
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return fmt.Errorf("bias: confidence level %v is not in (0, 1)", o.Confidence)
	}
	if math.IsNaN(o.ExactLimit) {
		return fmt.Errorf("bias: exact limit is NaN")
	}
	return o.Lookup.check()
}

// WordScore is a word and a number computed for it.
type WordScore struct {
	Word  string  `json:"word"`
	Score float64 `json:"score"`
}

// Interval is a bootstrap confidence interval.
type Interval struct {
	Level float64 `json:"level"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	// Resamples is the number of bootstrap resamples used; Degenerate
	// those left out because every resampled score was equal, which leaves
	// the effect size undefined.
	Resamples  int    `json:"resamples"`
	Degenerate int    `json:"degenerate,omitempty"`
	Seed       uint64 `json:"seed"`
}

// WEATResult is the outcome of a WEAT.
type WEATResult struct {
	Test string `json:"test"`
	// EffectSize is d = (mean s(x) − mean s(y)) / std s(w), the standard
	// deviation over X ∪ Y with DDOF degrees of freedom removed.
	EffectSize float64 `json:"effect_size"`
	DDOF       int     `json:"ddof"`
	// Statistic is S(X, Y) = Σx s(x, A, B) − Σy s(y, A, B).
	Statistic float64 `json:"statistic"`
	// PValue is the one-sided permutation p-value P(S(Xi, Yi) ≥ S(X, Y))
	// over the partitions (Xi, Yi) of X ∪ Y; see Permutation.
	PValue float64 `json:"p_value"`
	// PValueSE is the Monte-Carlo standard error of PValue (0 if exact).
	PValueSE    float64     `json:"p_value_se"`
	Permutation Permutation `json:"permutation"`
	// CI is the bootstrap interval for EffectSize, if asked for.
	CI *Interval `json:"ci,omitempty"`
	// SX and SY are s(w, A, B) for each target word used.
	SX []WordScore `json:"s_x"`
	SY []WordScore `json:"s_y"`
	// OOV reports the four sets' vocabulary coverage, in the order X, Y,
	// A, B.
	OOV []Coverage `json:"oov"`
}

// WEAT runs the Word Embedding Association Test of Caliskan, Bryson &
// Narayanan (2017), "Semantics derived automatically from language corpora
// contain human-like biases", Science 356(6334):183-186.
//
// With cos the cosine similarity, the association of a word with the
// attribute sets is s(w, A, B) = mean_{a∈A} cos(w, a) − mean_{b∈B} cos(w, b),
// the test statistic is S(X, Y) = Σ_{x∈X} s(x, A, B) − Σ_{y∈Y} s(y, A, B), and
// the effect size is
//
//	d = (mean_{x∈X} s(x, A, B) − mean_{y∈Y} s(y, A, B)) / std_{w∈X∪Y} s(w, A, B)
//
// with the sample standard deviation (n−1 in the denominator, as in the
// paper) unless opts.Population is set. The p-value is one-sided: the
// fraction of the equal-size partitions (Xi, Yi) of X ∪ Y with
// S(Xi, Yi) ≥ S(X, Y). Partitions whose statistic equals the observed one
// (within rounding) count as "≥", and the observed partition is one of
// them, so p is never 0. When there are at most opts.ExactLimit partitions
// all are counted; otherwise opts.Permutations random partitions are drawn
// (seeded; see Permutation) and the standard error is reported. Swapping X
// and Y negates d and S and turns p into the fraction of partitions with
// S ≤ the observed one.
//
// All arithmetic is in float64. Words follow opts.Lookup's out-of-vocabulary
// policy; the result's OOV says what was dropped.
func WEAT(ctx context.Context, e *embed.Embeddings, t WEATTest, opts WEATOptions) (*WEATResult, error) {
	o := opts.orDefault()
	if err := o.check(); err != nil {
		return nil, err
	}
	res := &WEATResult{Test: t.Name, DDOF: ddof(o.Population)}
	var sets [4]wordSet
	for i, s := range []struct {
		name  string
		words []string
	}{{"X", t.X}, {"Y", t.Y}, {"A", t.A}, {"B", t.B}} {
		ws, cov, err := o.Lookup.resolve(e, s.name, s.words)
		res.OOV = append(res.OOV, cov)
		if err != nil {
			return res, weatErr(t, err)
		}
		sets[i] = ws
	}
	x, y, a, b := sets[0], sets[1], sets[2], sets[3]
	// cos[i][j]: target i (X then Y) against attribute j (A then B).
	targets := append(slices.Clone(x.unit), y.unit...)
	attrs := append(slices.Clone(a.unit), b.unit...)
	cos := cosineTable(targets, attrs)
	s := associations(cos, a.len(), nil)
	nx := x.len()
	for i, w := range x.words {
		res.SX = append(res.SX, WordScore{w, s[i]})
	}
	for i, w := range y.words {
		res.SY = append(res.SY, WordScore{w, s[nx+i]})
	}
	d, ok := effectSize(s, nx, o.Population)
	if !ok {
		return res, weatErr(t, fmt.Errorf("bias: every target word has the same association s = %v, so the effect size is undefined: %w", s[0], ErrUndefined))
	}
	res.EffectSize = d
	res.Statistic = sum(s[:nx]) - sum(s[nx:])
	p, se, info, err := permTest(ctx, s, nx, o.ExactLimit, o.Permutations, o.Seed)
	if err != nil {
		return res, weatErr(t, err)
	}
	res.PValue, res.PValueSE, res.Permutation = p, se, info
	if o.Bootstrap > 0 {
		ci, err := bootstrapWEAT(ctx, cos, nx, a.len(), o)
		if err != nil {
			return res, weatErr(t, err)
		}
		res.CI = ci
	}
	return res, nil
}

func weatErr(t WEATTest, err error) error {
	if t.Name == "" {
		return err
	}
	return fmt.Errorf("%s: %w", t.Name, err)
}

func ddof(population bool) int {
	if population {
		return 0
	}
	return 1
}

// cosineTable returns the cosines of unit vectors: rows u, columns v.
func cosineTable(u, v [][]float64) [][]float64 {
	t := make([][]float64, len(u))
	for i, x := range u {
		t[i] = make([]float64, len(v))
		for j, y := range v {
			t[i][j] = dot(x, y)
		}
	}
	return t
}

// associations returns s(w, A, B) for each row of cos, whose first na
// columns are A and the rest B. cols, when not nil, lists the attribute
// columns to use (a bootstrap resample): its first na entries index A.
func associations(cos [][]float64, na int, cols []int) []float64 {
	s := make([]float64, len(cos))
	for i, row := range cos {
		var sa, sb float64
		if cols == nil {
			sa, sb = sum(row[:na])/float64(na), sum(row[na:])/float64(len(row)-na)
		} else {
			for _, j := range cols[:na] {
				sa += row[j]
			}
			for _, j := range cols[na:] {
				sb += row[j]
			}
			sa /= float64(na)
			sb /= float64(len(cols) - na)
		}
		s[i] = sa - sb
	}
	return s
}

// effectSize returns (mean s[:nx] − mean s[nx:]) / std(s); false when the
// standard deviation is zero.
func effectSize(s []float64, nx int, population bool) (float64, bool) {
	sd := stddev(s, population)
	if sd == 0 || math.IsNaN(sd) {
		return 0, false
	}
	return (mean(s[:nx]) - mean(s[nx:])) / sd, true
}

func sum(v []float64) float64 {
	var t float64
	for _, x := range v {
		t += x
	}
	return t
}

func mean(v []float64) float64 { return sum(v) / float64(len(v)) }

// stddev is the standard deviation with n−1 (sample) or n (population) in
// the denominator, by the two-pass formula.
func stddev(v []float64, population bool) float64 {
	m := mean(v)
	var ss float64
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	n := float64(len(v))
	if !population {
		n--
	}
	return math.Sqrt(ss / n)
}

// bootstrapWEAT returns a percentile interval for d from resamples of the
// target words (within X and within Y), and of the attribute words (within
// A and within B) if asked.
func bootstrapWEAT(ctx context.Context, cos [][]float64, nx, na int, o WEATOptions) (*Interval, error) {
	nt, nattr := len(cos), len(cos[0])
	rng := rand.New(rand.NewPCG(o.Seed, 0xb0075712a9))
	ds := make([]float64, 0, o.Bootstrap)
	rows := make([][]float64, nt)
	var cols []int
	if o.BootstrapAttributes {
		cols = make([]int, nattr)
	}
	degenerate := 0
	for r := 0; r < o.Bootstrap; r++ {
		if r&0xff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for i := range rows {
			if i < nx {
				rows[i] = cos[rng.IntN(nx)]
			} else {
				rows[i] = cos[nx+rng.IntN(nt-nx)]
			}
		}
		if cols != nil {
			for j := range cols {
				if j < na {
					cols[j] = rng.IntN(na)
				} else {
					cols[j] = na + rng.IntN(nattr-na)
				}
			}
		}
		d, ok := effectSize(associations(rows, na, cols), nx, o.Population)
		if !ok {
			degenerate++
			continue
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return nil, fmt.Errorf("bias: every bootstrap resample had equal scores: %w", ErrUndefined)
	}
	slices.Sort(ds)
	alpha := (1 - o.Confidence) / 2
	return &Interval{
		Level: o.Confidence, Low: quantile(ds, alpha), High: quantile(ds, 1-alpha),
		Resamples: len(ds), Degenerate: degenerate, Seed: o.Seed,
	}, nil
}

// quantile is the p-quantile of sorted values by linear interpolation
// between order statistics (Hyndman & Fan type 7, numpy's default).
func quantile(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// SCWEATResult is the outcome of a single-category WEAT.
type SCWEATResult struct {
	Word string `json:"word"`
	// EffectSize is (mean_{a∈A} cos(w, a) − mean_{b∈B} cos(w, b)) /
	// std_{x∈A∪B} cos(w, x).
	EffectSize  float64     `json:"effect_size"`
	DDOF        int         `json:"ddof"`
	Association float64     `json:"association"` // s(w, A, B)
	PValue      float64     `json:"p_value"`
	PValueSE    float64     `json:"p_value_se"`
	Permutation Permutation `json:"permutation"`
	OOV         []Coverage  `json:"oov"`
}

// SCWEAT runs the single-category WEAT for one word w against attribute
// sets A and B: the effect size is s(w, A, B) / std_{x∈A∪B} cos(w, x) (sample
// standard deviation unless opts.Population), and the one-sided p-value is
// the fraction of the partitions of A ∪ B into groups of sizes |A| and |B|
// whose s is at least the observed one, computed as in WEAT. This is the
// form of Caliskan et al. (2022), "Gender bias in word embeddings: a
// comprehensive analysis of frequency, syntax, and semantics", AIES'22, and
// Toney-Wails & Caliskan (2021), "ValNorm", generalising the WEFAT of
// Caliskan et al. (2017).
func SCWEAT(ctx context.Context, e *embed.Embeddings, w string, a, b []string, opts WEATOptions) (*SCWEATResult, error) {
	o := opts.orDefault()
	if err := o.check(); err != nil {
		return nil, err
	}
	res := &SCWEATResult{DDOF: ddof(o.Population)}
	word, cov, err := o.Lookup.resolveOne(e, "W", w)
	res.OOV = append(res.OOV, cov)
	if err != nil {
		return res, err
	}
	res.Word = word.words[0]
	var sets [2]wordSet
	for i, s := range []struct {
		name  string
		words []string
	}{{"A", a}, {"B", b}} {
		ws, cov, err := o.Lookup.resolve(e, s.name, s.words)
		res.OOV = append(res.OOV, cov)
		if err != nil {
			return res, err
		}
		sets[i] = ws
	}
	na := sets[0].len()
	c := cosineTable(word.unit, append(slices.Clone(sets[0].unit), sets[1].unit...))[0]
	sd := stddev(c, o.Population)
	if sd == 0 {
		return res, fmt.Errorf("bias: %q is equally similar to every attribute word: %w", w, ErrUndefined)
	}
	res.Association = mean(c[:na]) - mean(c[na:])
	res.EffectSize = res.Association / sd
	// mean(A_i) − mean(B_i) grows with the sum over A_i, so the sum is an
	// equivalent statistic.
	p, se, info, err := permTest(ctx, c, na, o.ExactLimit, o.Permutations, o.Seed)
	if err != nil {
		return res, err
	}
	res.PValue, res.PValueSE, res.Permutation = p, se, info
	return res, nil
}
