package explain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/bias/audit"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
)

// WEATLine is one WEAT test's outcome.
type WEATLine struct {
	ID   int
	Name string
	// Ran is false when too many of its words were missing (Err says
	// which); the other fields are then zero.
	Ran bool
	Err string
	// D is the effect size with its bootstrap interval [Low, High]; P the
	// one-sided permutation p-value; Published Caliskan et al.'s d for
	// the GoogleNews word2vec vectors.
	D, Low, High, P, Published float64
	// Found is the share of the test's words found in the vocabulary.
	Found float64
	// PBound says that P is an upper bound: no random partition of a
	// Monte-Carlo test reached the observed statistic.
	PBound bool
}

// Bias is section 3: bias inherited from language.
type Bias struct {
	Audit *audit.Report
	Tests []WEATLine
	// Direct is the direct bias (c = 1) of the Professions profession
	// words on the gender direction; Female and Male the professions
	// leaning most to either side (cosine with the direction).
	Direct      float64
	Professions int
	Female      []bias.WordScore
	Male        []bias.WordScore
	// Bootstrap is the number of bootstrap resamples of each interval.
	Bootstrap int
	// DirectionErr says why the gender direction could not be measured
	// (too few of its words in the vocabulary); Audit is then nil.
	DirectionErr string
}

// minFraction is the share of each word set a test must find to run.
const minFraction = 0.5

func measureBias(ctx context.Context, e *embed.Embeddings, o Options) (*Bias, error) {
	b := &Bias{Bootstrap: 1000}
	if o.Quick {
		b.Bootstrap = 100
	}
	weat := bias.WEATOptions{Bootstrap: b.Bootstrap, Seed: o.Seed, Lookup: bias.Lookup{MinFraction: minFraction}}
	r, err := audit.Run(ctx, e, audit.Options{WEAT: weat})
	var rows []audit.WEATRow
	switch {
	case err == nil:
		b.Audit, rows = r, r.WEAT
	case ctx.Err() == nil && (errors.Is(err, bias.ErrTooFewWords) || errors.Is(err, bias.ErrUndefined)):
		// The direction needs words this vocabulary lacks; the tests
		// still run one by one.
		b.DirectionErr = err.Error()
		if len(b.DirectionErr) > 300 {
			b.DirectionErr = b.DirectionErr[:300] + "…"
		}
		for _, t := range bias.WEATTests() {
			row := audit.WEATRow{Test: t, ID: t.ID, Name: t.Name}
			res, err := bias.WEAT(ctx, e, t, weat)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			row.Before = res
			if err != nil {
				row.Err = err.Error()
			}
			rows = append(rows, row)
		}
	default:
		return nil, err
	}
	for _, row := range rows {
		l := WEATLine{ID: row.ID, Name: shortWEAT(row.Test), Published: row.Test.PublishedD["word2vec_googlenews"]}
		res := row.Before
		if res != nil {
			found, asked := 0, 0
			for _, c := range res.OOV {
				found += c.Found
				asked += c.Requested
			}
			if asked > 0 {
				l.Found = float64(found) / float64(asked)
			}
		}
		if row.Err == "" && res != nil {
			l.Ran, l.D, l.P = true, res.EffectSize, res.PValue
			l.PBound = !res.Permutation.Exact && res.Permutation.AtLeast == 0
			if res.CI != nil {
				l.Low, l.High = res.CI.Low, res.CI.High
			}
		} else {
			l.Err = row.Err
		}
		b.Tests = append(b.Tests, l)
	}
	if b.Audit == nil {
		return b, nil
	}
	db := r.DirectBefore
	b.Direct, b.Professions = db.Value, db.Words
	ranked := append([]bias.WordScore(nil), db.PerWord...)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Score > ranked[j].Score })
	k := min(6, len(ranked)/2)
	// Positive projections lean to the first word of the definitional
	// pairs, the female one (woman/man, she/he, ...).
	b.Female = ranked[:k]
	for i := range k {
		b.Male = append(b.Male, ranked[len(ranked)-1-i])
	}
	return b, nil
}

func shortWEAT(t bias.WEATTest) string {
	if t.XName != "" {
		return fmt.Sprintf("%s / %s vs %s / %s", t.XName, t.YName, t.AName, t.BName)
	}
	return t.Name
}

func (b *Bias) verdict() (Verdict, string, string) {
	ran, strong, positive := 0, 0, 0
	for _, t := range b.Tests {
		if !t.Ran {
			continue
		}
		ran++
		if t.D > 0 {
			positive++
		}
		if t.D >= 0.5 && t.P < 0.05 {
			strong++
		}
	}
	rule := "held if at least half of the tests that could run show the published direction with d ≥ 0.5 and p < 0.05; weakly if most point the published way and at least one is that strong"
	nums := fmt.Sprintf("%d of %d WEAT tests that could run have d ≥ 0.5 with p < 0.05, %d point the published way", strong, ran, positive)
	if b.Audit != nil {
		nums += fmt.Sprintf("; direct bias of %d professions %.3f", b.Professions, b.Direct)
	}
	switch {
	case ran >= 3 && 2*strong >= ran:
		return Held, nums, rule
	case ran > 0 && 2*positive > ran && strong > 0:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const (
	biasDir    = "3-bias"
	biasReport = "audit.md"
)

func (b *Bias) section() *Section {
	sec := &Section{Title: "Bias inherited from language",
		Claim: "Vectors learned from text absorb its associations, human biases included: flowers sit nearer pleasant words than insects do, and male names nearer career words than female names (Caliskan et al. 2017)."}
	sec.Verdict, sec.Because, sec.Rule = b.verdict()
	sec.Numbers = []float64{b.Direct}
	for _, t := range b.Tests {
		sec.Numbers = append(sec.Numbers, t.D, t.Low, t.High, t.P, t.Found)
	}
	weat := filepath.Join(biasDir, audit.WEATPlot)
	prof := filepath.Join(biasDir, audit.ProfessionsPlot)
	sec.body = func(m *md) {
		m.p("The ten Word Embedding Association Tests of Caliskan et al. compare how much closer two sets of target words (X, Y) are to two sets of attribute words (A, B); d is the effect size (positive: X nearer A and Y nearer B, as the human tests found) with a %d-resample bootstrap 95%% interval, p the one-sided permutation p-value. ", b.Bootstrap)
		m.p("A test runs only when at least %.0f%% of each of its word sets is in the vocabulary; many of its words (first names especially) are rare in small corpora.\n\n", 100*minFraction)
		m.p("| test | d | 95%% interval | p | published d (word2vec) | words found |\n|---|---|---|---|---|---|\n")
		for _, t := range b.Tests {
			if !t.Ran {
				m.p("| %d. %s | could not run | | | %.2f | %.0f%% |\n", t.ID, esc(t.Name), t.Published, 100*t.Found)
				continue
			}
			p := fmt.Sprintf("%.2g", t.P)
			if t.PBound {
				p = "&lt; " + p
			}
			m.p("| %d. %s | %.2f | [%.2f, %.2f] | %s | %.2f | %.0f%% |\n", t.ID, esc(t.Name), t.D, t.Low, t.High, p, t.Published, 100*t.Found)
		}
		if b.Audit == nil {
			m.p("\nThe gender direction of Bolukbasi et al. could not be measured: %s.\n\n", esc(b.DirectionErr))
			return
		}
		m.p("\n![WEAT effect sizes](%s)\n\n", weat)
		m.p("The gender direction (Bolukbasi et al. 2016, the first principal component of the differences of pairs such as woman/man and she/he) gives the %d profession words found a direct bias (mean |cosine|) of **%.3f**. ", b.Professions, b.Direct)
		var f, ma []string
		for _, w := range b.Female {
			f = append(f, fmt.Sprintf("%s %.2f", w.Word, w.Score))
		}
		for _, w := range b.Male {
			ma = append(ma, fmt.Sprintf("%s %.2f", w.Word, w.Score))
		}
		m.p("Leaning to the female side: %s; to the male side: %s.\n\n", esc(strings.Join(f, ", ")), esc(strings.Join(ma, ", ")))
		m.p("![Professions on the gender direction](%s)\n\n", prof)
		m.p("Caveats, as the audit gives them: the word lists are short (8 words a set in tests 6-10), so one word can move d; the p-values are per test, with no correction for running ten; the missing and lower-cased words of each test are listed in the [full audit](%s/%s); and an effect measured on vectors is an association in the text, not a measure of anyone's belief.\n\n", biasDir, biasReport)
	}
	if b.Audit != nil {
		sec.plots = []figure{{weat, b.drawAudit}, {prof, nil}}
	}
	return sec
}

// drawAudit writes the audit's figures and its full report into the
// directory of path.
func (b *Bias) drawAudit(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := b.Audit.Plots(dir); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, biasReport), func(w io.Writer) error {
		return b.Audit.Markdown(w, "Bias audit of the static vectors")
	})
}
