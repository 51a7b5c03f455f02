package audit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/embed"
)

// Utility is what the vectors are good for, measured so that debiasing
// can be shown to cost little.
type Utility struct {
	// Analogy is the fraction of analogy questions answered correctly
	// (Google analogies, 3CosAdd) among Questions evaluated.
	Analogy   float64 `json:"analogy"`
	Questions int     `json:"questions"`
	// WordSim is the Spearman correlation with human similarity ratings
	// (WordSim-353) over Pairs evaluated.
	WordSim float64 `json:"wordsim"`
	Pairs   int     `json:"pairs"`
}

// Options configures Run. Nil lists mean the package bias defaults.
type Options struct {
	// Tests are the WEAT tests (nil: bias.WEATTests()).
	Tests []bias.WEATTest
	// WEAT configures every test (bootstrap, seed, limits).
	WEAT bias.WEATOptions
	// WordLists are the lists of Bolukbasi et al. (Neutral: the
	// professions); nil lists mean the built-in ones.
	bias.WordLists
	// Lookup is the out-of-vocabulary policy for the direction and the
	// direct bias (WEAT uses WEAT.Lookup).
	Lookup bias.Lookup
	// Debias also hard-debiases and measures everything again.
	Debias bool
	// DebiasweEqualize equalises exactly as debiaswe (see
	// bias.DebiasOptions).
	DebiasweEqualize bool
	// Utility, if not nil, measures the vectors' utility before and
	// after debiasing.
	Utility func(ctx context.Context, e *embed.Embeddings) (*Utility, error)
	// Progress, if not nil, is told what is being done as each stage
	// starts.
	Progress func(Progress)
}

// Progress reports the stage of an audit that is starting: Done stages of
// Total are finished, as every wordspace Progress counts its job's unit of
// work.
type Progress struct {
	Stage       string
	Done, Total int64
}

// WEATRow is one test, before and (with debiasing) after.
type WEATRow struct {
	Test   bias.WEATTest    `json:"-"`
	ID     int              `json:"id"`
	Name   string           `json:"name"`
	Before *bias.WEATResult `json:"before"`
	After  *bias.WEATResult `json:"after,omitempty"`
	Err    string           `json:"error,omitempty"`
	ErrAft string           `json:"error_after,omitempty"`
}

// Report is the outcome of an audit.
type Report struct {
	Words int       `json:"words"`
	Dim   int       `json:"dim"`
	WEAT  []WEATRow `json:"weat"`
	// Direction is the gender direction of the input vectors.
	Direction *bias.Direction `json:"-"`
	// ExplainedVariance is Direction's explained-variance ratios.
	ExplainedVariance []float64 `json:"explained_variance"`
	// Gendered are the neutral-list words left out of the direct bias as
	// gender-specific.
	Gendered []string `json:"excluded_gendered"`
	// DirectBefore is the direct bias (c = 1) of the neutral words;
	// DirectAfter the same along the same direction after debiasing.
	DirectBefore *bias.DirectBiasResult `json:"direct_before"`
	DirectAfter  *bias.DirectBiasResult `json:"direct_after,omitempty"`
	// DirectRecomputed is the direct bias after debiasing along the
	// direction recomputed from the debiased vectors.
	DirectRecomputed *bias.DirectBiasResult `json:"direct_recomputed,omitempty"`
	// RND and ECT compare the neutral words' closeness to the first and
	// the second words of the definitional pairs (female and male terms),
	// before and after debiasing.
	RNDBefore     *bias.RNDResult    `json:"rnd_before,omitempty"`
	RNDAfter      *bias.RNDResult    `json:"rnd_after,omitempty"`
	ECTBefore     *bias.ECTResult    `json:"ect_before,omitempty"`
	ECTAfter      *bias.ECTResult    `json:"ect_after,omitempty"`
	Debias        *bias.DebiasReport `json:"debias,omitempty"`
	UtilityBefore *Utility           `json:"utility_before,omitempty"`
	UtilityAfter  *Utility           `json:"utility_after,omitempty"`
	// Debiased holds the debiased vectors when Options.Debias was set.
	Debiased *embed.Embeddings `json:"-"`
}

// Run audits e. A WEAT test that cannot run (too many words missing) is
// recorded in its row, not returned as an error; the direction and the
// direct bias must succeed.
func Run(ctx context.Context, e *embed.Embeddings, opts Options) (*Report, error) {
	o := opts
	if o.Tests == nil {
		o.Tests = bias.WEATTests()
	}
	o.WordLists = o.WordLists.Defaults()
	stages := int64(2)
	if o.Utility != nil {
		stages++
	}
	if o.Debias {
		stages += 2
		if o.Utility != nil {
			stages++
		}
	}
	var done int64
	progress := func(s string) {
		if o.Progress != nil {
			o.Progress(Progress{Stage: s, Done: done, Total: stages})
		}
		done++
	}
	r := &Report{Words: e.Len(), Dim: e.Dim()}
	progress("WEAT tests")
	for _, t := range o.Tests {
		row := WEATRow{Test: t, ID: t.ID, Name: t.Name}
		res, err := bias.WEAT(ctx, e, t, o.WEAT)
		if err := ctxErr(ctx, err); err != nil {
			return nil, err
		}
		row.Before = res
		if err != nil {
			row.Err = failure(err)
		}
		r.WEAT = append(r.WEAT, row)
	}
	progress("gender direction")
	dir, err := bias.NewDirection(e, o.Definitional, o.Lookup)
	if err != nil {
		return nil, err
	}
	r.Direction, r.ExplainedVariance = dir, dir.ExplainedVariance
	neutral, gendered := bias.WithoutGendered(e, o.Neutral, o.GenderSpecific, o.Lookup)
	r.Gendered = gendered
	if r.DirectBefore, err = dir.DirectBias(neutral, 1); err != nil {
		return nil, err
	}
	r.RNDBefore, r.ECTBefore = family(e, o.Definitional, neutral, o.Lookup)
	if o.Utility != nil {
		progress("utility")
		if r.UtilityBefore, err = o.Utility(ctx, e); err != nil {
			return nil, err
		}
	}
	if !o.Debias {
		return r, nil
	}
	progress("hard debiasing")
	de, rep, err := bias.HardDebias(ctx, e, bias.DebiasOptions{
		Definitional: o.Definitional, Equalize: o.Equalize, GenderSpecific: o.GenderSpecific,
		Direction: dir.Vector, DebiasweEqualize: o.DebiasweEqualize, Lookup: o.Lookup,
	})
	if err != nil {
		return nil, err
	}
	rep.Direction = dir
	r.Debias, r.Debiased = rep, de
	if _, r.DirectAfter, err = rep.DirectBiasChange(de, neutral); err != nil {
		return nil, err
	}
	if re, err := bias.NewDirection(de, o.Definitional, o.Lookup); err == nil {
		if r.DirectRecomputed, err = re.DirectBias(neutral, 1); err != nil {
			return nil, err
		}
	}
	r.RNDAfter, r.ECTAfter = family(de, o.Definitional, neutral, o.Lookup)
	progress("WEAT tests after debiasing")
	for i := range r.WEAT {
		res, err := bias.WEAT(ctx, de, r.WEAT[i].Test, o.WEAT)
		if err := ctxErr(ctx, err); err != nil {
			return nil, err
		}
		r.WEAT[i].After = res
		if err != nil {
			r.WEAT[i].ErrAft = failure(err)
		}
	}
	if o.Utility != nil {
		progress("utility after debiasing")
		if r.UtilityAfter, err = o.Utility(ctx, de); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// family computes RND and ECT of the neutral words between the first and
// the second words of the pairs; a measure that cannot be computed is nil.
func family(e *embed.Embeddings, pairs [][2]string, neutral []string, l bias.Lookup) (*bias.RNDResult, *bias.ECTResult) {
	var x, y []string
	for _, p := range pairs {
		x, y = append(x, p[0]), append(y, p[1])
	}
	rnd, err := bias.RND(e, x, y, neutral, l)
	if err != nil {
		rnd = nil
	}
	ect, err := bias.ECT(e, x, y, neutral, l)
	if err != nil {
		ect = nil
	}
	return rnd, ect
}

// ctxErr returns err if it is a cancellation, else nil.
func ctxErr(ctx context.Context, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return ctx.Err()
}

// ok reports whether a WEAT result is usable.
func ok(r *bias.WEATResult, errText string) bool {
	return r != nil && errText == "" && !math.IsNaN(r.EffectSize)
}

// failure says why a test could not run. A set with too few words is
// said without its missing words, which the report lists once, with the
// other sets' coverage.
func failure(err error) string {
	var ce *bias.CoverageError
	if errors.As(err, &ce) {
		return fmt.Sprintf("set %s keeps %d of %d words, needs at least %d", ce.Set, ce.Found, ce.Requested, ce.Need)
	}
	return err.Error()
}

// Label names a test with what tells it from the others, its sources
// included: "WEAT 4: European-American vs African-American names
// (Bertrand & Mullainathan 2004) / Pleasant vs Unpleasant (Greenwald et
// al. 1998)". The built-in tests' names carry their citations; a test
// without a name is described by its set names.
func Label(t bias.WEATTest) string {
	name := t.Name
	if _, rest, ok := strings.Cut(name, ": "); ok && strings.HasPrefix(name, "WEAT") {
		name = rest
	}
	if name == "" {
		name = fmt.Sprintf("%s vs %s / %s vs %s", t.XName, t.YName, t.AName, t.BName)
	}
	return fmt.Sprintf("WEAT %d: %s", t.ID, name)
}

// LowCoverageFraction is the fraction of a word set below which a result
// is flagged: with fewer than half its words found, the effect size
// describes the words found rather than the published test.
const LowCoverageFraction = 0.5

// LowCoverage lists the sets of res that kept fewer than
// LowCoverageFraction of their words, as "Y 2/16".
func LowCoverage(res *bias.WEATResult) []string {
	if res == nil {
		return nil
	}
	var low []string
	for _, c := range res.OOV {
		if c.Requested > 0 && float64(c.Found) < LowCoverageFraction*float64(c.Requested) {
			low = append(low, fmt.Sprintf("%s %d/%d", c.Set, c.Found, c.Requested))
		}
	}
	return low
}

// associationSize is the mean |s(w, A, B)| over the target words: how far
// apart the attributes' pulls on the targets are, in cosine. When it
// falls to rounding level (as after hard debiasing, for a test whose
// attributes are the equalised male and female terms), the effect size d,
// a ratio of a mean difference to a spread, compares noise with noise.
func associationSize(res *bias.WEATResult) float64 {
	if res == nil {
		return math.NaN()
	}
	var sum float64
	n := 0
	for _, s := range append(append([]bias.WordScore(nil), res.SX...), res.SY...) {
		sum += math.Abs(s.Score)
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// collapsed reports whether the associations of the row shrank by more
// than a hundredfold with debiasing.
func (row WEATRow) collapsed() (before, after float64, ok bool) {
	before, after = associationSize(row.Before), associationSize(row.After)
	return before, after, after < before/100
}

// inflated reports an effect size that debiasing made larger, by half a
// unit or more, with the same sign, while the associations behind it
// shrank: d divides their mean difference by their spread, and the spread
// shrank more, so a larger |d| here is not a stronger bias.
func (row WEATRow) inflated() (before, after float64, ok bool) {
	before, after = associationSize(row.Before), associationSize(row.After)
	db, da := row.Before.EffectSize, row.After.EffectSize
	return before, after, (db > 0) == (da > 0) && math.Abs(da) >= math.Abs(db)+0.5 && after < before
}
