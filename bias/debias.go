package bias

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/wordspace/wordspace/embed"
)

// ErrNothingToDebias is returned when hard debiasing would leave every
// vector as it was: no word outside the gender-specific list is in the
// vocabulary. Debiasing never silently does nothing.
var ErrNothingToDebias = errors.New("nothing to debias")

// DebiasOptions configures HardDebias. Nil lists mean Bolukbasi et al.'s.
type DebiasOptions struct {
	// Definitional pairs define the direction (nil: DefinitionalPairs).
	Definitional [][2]string
	// Equalize pairs are made to differ only along the direction (nil:
	// EqualizePairs). Each pair is used in lower case, Title case and
	// UPPER case, as debiaswe does.
	Equalize [][2]string
	// GenderSpecific words keep their gender component (nil:
	// GenderSpecific, the full 1,441-word list). A listed word missing
	// in its exact form protects its lower-case form, following Lookup.
	GenderSpecific []string
	// Direction, when not nil, is used instead of computing one from
	// Definitional.
	Direction []float64
	// DebiasweEqualize equalises only the Equalize pairs, exactly as
	// debiaswe does. By default the definitional pairs are equalised as
	// well, so that the direction recomputed from the debiased vectors is
	// the one that was removed (otherwise pairs such as gal/guy and
	// Mary/John keep their own geometry, the recomputed direction drifts,
	// and a second audit sees bias that is not there).
	DebiasweEqualize bool
	// Lookup is the out-of-vocabulary policy for the definitional pairs
	// and the gender-specific list.
	Lookup Lookup
	// Progress, if not nil, is called now and then with the number of
	// rows done and the total.
	Progress func(Progress)
}

// Progress reports how far HardDebias has come: Done of Total vocabulary
// rows, as every wordspace Progress counts its job's unit of work.
type Progress struct {
	Done, Total int64
}

// DebiasReport says what HardDebias did.
type DebiasReport struct {
	// Direction is the direction removed, bound to the input embeddings.
	Direction *Direction `json:"-"`
	// Neutralized is the number of words whose component along the
	// direction was removed.
	Neutralized int `json:"neutralized"`
	// Gendered is the number of vocabulary words kept gendered (found from
	// the gender-specific list).
	Gendered int `json:"gendered"`
	// GenderedMissing counts gender-specific words not in the vocabulary.
	GenderedMissing int `json:"gendered_missing"`
	// Equalized lists the pairs equalised (vocabulary forms, in the order
	// processed).
	Equalized [][2]string `json:"equalized"`
	// ZeroVectors counts words left at zero: zero in the input, or lying
	// exactly along the direction so that nothing remained.
	ZeroVectors int `json:"zero_vectors"`
}

// DirectBiasChange measures the direct bias (c = 1) of the neutral words
// along the direction removed, in the input vectors and in debiased, the
// vectors HardDebias returned with r. Words of neutral that are
// gender-specific should be left out first (see WithoutGendered).
func (r *DebiasReport) DirectBiasChange(debiased *embed.Embeddings, neutral []string) (before, after *DirectBiasResult, err error) {
	if before, err = r.Direction.DirectBias(neutral, 1); err != nil {
		return nil, nil, err
	}
	d, err := r.Direction.On(debiased)
	if err != nil {
		return nil, nil, err
	}
	if after, err = d.DirectBias(neutral, 1); err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// HardDebias applies Bolukbasi et al.'s (2016) hard debiasing ("neutralize
// and equalize") and returns new embeddings; e is left untouched.
//
//  1. The direction g is computed as in NewDirection (or taken from
//     opts.Direction).
//  2. Neutralise: every word not kept gendered loses its component along
//     g, w ← (w − (w·g)g) / ‖w − (w·g)g‖.
//  3. Equalise: for each equalise pair (a, b) present in the vocabulary,
//     with μ the mean of their unit vectors and ν = μ − (μ·g)g, a and b
//     become ν ± sqrt(1 − ‖ν‖²) g, the sign keeping a on the side of g it
//     was on. The two are then equally far from every neutral word.
//
// As in debiaswe, every output vector has unit length (the input lengths
// are not kept), so cosine similarities of gender-specific words among
// themselves are unchanged. Arithmetic is float64 per vector; the output
// is float32, leaving neutral words with |cos(w, g)| of the order of 1e-8.
// The output shares e's vocabulary.
func HardDebias(ctx context.Context, e *embed.Embeddings, opts DebiasOptions) (*embed.Embeddings, *DebiasReport, error) {
	o := opts
	if o.Definitional == nil {
		o.Definitional = DefinitionalPairs()
	}
	if o.Equalize == nil {
		o.Equalize = EqualizePairs()
	}
	if o.GenderSpecific == nil {
		o.GenderSpecific = GenderSpecific()
	}
	if err := o.Lookup.check(); err != nil {
		return nil, nil, err
	}
	rep := &DebiasReport{}
	var dir *Direction
	var err error
	if o.Direction != nil {
		dir, err = NewDirectionFromVector(e, o.Direction, o.Lookup)
	} else {
		dir, err = NewDirection(e, o.Definitional, o.Lookup)
	}
	if err != nil {
		return nil, rep, fmt.Errorf("bias: debias: %w", err)
	}
	rep.Direction = dir
	g := dir.Vector

	keep := make([]bool, e.Len())
	for _, w := range o.GenderSpecific {
		if i, _, ok := o.Lookup.find(e.Vocab(), w); ok {
			if !keep[i] {
				rep.Gendered++
			}
			keep[i] = true
		} else {
			rep.GenderedMissing++
		}
	}
	if rep.Gendered == e.Len() {
		return nil, rep, fmt.Errorf("bias: every word of the vocabulary is gender-specific: %w", ErrNothingToDebias)
	}

	dim := e.Dim()
	out := make([]float32, e.Len()*dim)
	v := make([]float64, dim)
	for i := range e.Len() {
		if i&0xfff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, rep, err
			}
			if o.Progress != nil {
				o.Progress(Progress{Done: int64(i), Total: int64(e.Len())})
			}
		}
		row := e.Row(i)
		for j, x := range row {
			v[j] = float64(x)
		}
		if !keep[i] {
			p := dot(v, g)
			for j := range v {
				v[j] -= p * g[j]
			}
			rep.Neutralized++
		}
		n := norm(v)
		if n == 0 {
			rep.ZeroVectors++
			continue
		}
		dst := out[i*dim : (i+1)*dim]
		for j, x := range v {
			dst[j] = float32(x / n)
		}
	}
	if o.Progress != nil {
		o.Progress(Progress{Done: int64(e.Len()), Total: int64(e.Len())})
	}

	pairs := o.Equalize
	if !o.DebiasweEqualize {
		pairs = append(slices.Clone(o.Definitional), pairs...)
	}
	a, b := make([]float64, dim), make([]float64, dim)
	for _, p := range equalizeCandidates(pairs) {
		ia, oka := e.Vocab().Index(p[0])
		ib, okb := e.Vocab().Index(p[1])
		if !oka || !okb {
			continue
		}
		ra, rb := out[ia*dim:(ia+1)*dim], out[ib*dim:(ib+1)*dim]
		for j := range dim {
			a[j], b[j] = float64(ra[j]), float64(rb[j])
		}
		na, nb := norm(a), norm(b)
		if na == 0 || nb == 0 {
			continue
		}
		var ab float64
		mu := make([]float64, dim)
		for j := range dim {
			a[j] /= na
			b[j] /= nb
			mu[j] = (a[j] + b[j]) / 2
			ab += (a[j] - b[j]) * g[j]
		}
		nu := reject(mu, g)
		z := math.Sqrt(math.Max(0, 1-dot(nu, nu)))
		if ab < 0 {
			z = -z
		}
		for j := range dim {
			ra[j] = float32(nu[j] + z*g[j])
			rb[j] = float32(nu[j] - z*g[j])
		}
		rep.Equalized = append(rep.Equalized, p)
	}
	if rep.Neutralized == 0 {
		return nil, rep, fmt.Errorf("bias: no word was neutralised: %w", ErrNothingToDebias)
	}
	de, err := embed.New(e.Vocab(), dim, out)
	if err != nil {
		return nil, rep, fmt.Errorf("bias: debias: %w", err)
	}
	return de, rep, nil
}

// equalizeCandidates returns each pair in lower, Title and UPPER case
// (debiaswe's candidates), without repeats (a pair and its reverse count
// once), in the order first met.
func equalizeCandidates(pairs [][2]string) [][2]string {
	var out [][2]string
	seen := make(map[[2]string]bool)
	for _, p := range pairs {
		for _, f := range []func(string) string{strings.ToLower, pyTitle, strings.ToUpper} {
			c := [2]string{f(p[0]), f(p[1])}
			if c[0] == c[1] || seen[c] || seen[[2]string{c[1], c[0]}] {
				continue
			}
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// pyTitle is Python's str.title: a letter after a non-letter is upper
// case, every other letter lower case ("catholic_priest" → "Catholic_Priest").
func pyTitle(s string) string {
	var b strings.Builder
	prevLetter := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if prevLetter {
				r = unicode.ToLower(r)
			} else {
				r = unicode.ToTitle(r)
			}
			prevLetter = true
		} else {
			prevLetter = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WithoutGendered splits words into those whose vocabulary entry (under
// the lookup policy l) is not one of the gendered words' entries, and
// those that are. Words not in the vocabulary stay in kept, so that a
// measure on kept reports them as missing.
func WithoutGendered(e *embed.Embeddings, words, gendered []string, l Lookup) (kept, dropped []string) {
	p := l
	g := make(map[int]bool, len(gendered))
	for _, w := range gendered {
		if i, _, ok := p.find(e.Vocab(), w); ok {
			g[i] = true
		}
	}
	for _, w := range words {
		if i, _, ok := p.find(e.Vocab(), w); ok && g[i] {
			dropped = append(dropped, w)
		} else {
			kept = append(kept, w)
		}
	}
	return kept, dropped
}
