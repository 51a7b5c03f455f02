package audit

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/wordspace/wordspace/bias"
)

// Plot file names, written by Plots and linked from Markdown.
const (
	WEATPlot        = "weat.png"
	ProfessionsPlot = "professions.png"
	VariancePlot    = "pca.png"
)

// Markdown writes the report as Markdown; title heads it. It links the
// plots by their file names, which Plots writes into the same directory.
func (r *Report) Markdown(w io.Writer, title string) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\n", title)
	p("Vectors: %d words, %d dimensions. All measures are computed in float64 on unit-normalised vectors.\n\n", r.Words, r.Dim)

	p("## WEAT (Caliskan, Bryson & Narayanan 2017)\n\n")
	p("d is the effect size (difference of the mean associations of X and Y divided by their standard deviation); p is the one-sided permutation p-value, exact when the partitions were counted, else Monte-Carlo with its standard error. A positive d means X is closer to A, and Y to B.\n\n")
	ci := r.ciLevel()
	p("| test | d |")
	if ci > 0 {
		p(" %g%% CI |", 100*ci)
	}
	p(" p | published d (GloVe / word2vec) | words found (X, Y, A, B) |\n|---|---|")
	if ci > 0 {
		p("---|")
	}
	p("---|---|---|\n")
	flagged := false
	for _, row := range r.WEAT {
		p("| %s |", mdEscape(Label(row.Test)))
		res := row.Before
		if !ok(res, row.Err) {
			p(" failed |")
			if ci > 0 {
				p(" |")
			}
			p(" | %s | %s |\n", published(row.Test), found(res))
			continue
		}
		mark := ""
		if len(LowCoverage(res)) > 0 {
			mark, flagged = " †", true
		}
		p(" %.3f%s |", res.EffectSize, mark)
		if ci > 0 {
			if res.CI != nil {
				p(" [%.3f, %.3f] |", res.CI.Low, res.CI.High)
			} else {
				p(" |")
			}
		}
		p(" %s | %s | %s |\n", pValue(res), published(row.Test), found(res))
	}
	if flagged {
		p("\n† A set kept fewer than %.0f%% of its words (bold in the last column; see below): d describes the words found, not the published test, and its interval cannot say how different the full set would be. `-min-fraction` turns such results into errors.\n", 100*LowCoverageFraction)
	}
	p("\n![WEAT effect sizes](%s)\n\n", WEATPlot)
	p("### Words not found\n\n")
	any := false
	listed := map[string]string{} // a set's notes → where they were first listed
	for _, row := range r.WEAT {
		if row.Err != "" {
			p("- **WEAT %d** could not run: %s (its words are listed below)\n", row.ID, mdEscape(row.Err))
			any = true
		}
		if row.Before == nil {
			continue
		}
		for _, c := range row.Before.OOV {
			notes := c.Notes()
			if len(notes) == 0 {
				continue
			}
			any = true
			p("- WEAT %d, %s (%d of %d found):", row.ID, setName(row.Test, c.Set), c.Found, c.Requested)
			var text strings.Builder
			for _, n := range notes {
				fmt.Fprintf(&text, " %s %s;", n.Kind, mdEscape(strings.Join(n.Words, ", ")))
			}
			// WEAT 4 and 5 share their name sets, the tests their pleasant
			// words: each list is written once.
			if where, seen := listed[text.String()]; seen {
				p(" as %s\n", where)
				continue
			}
			listed[text.String()] = fmt.Sprintf("WEAT %d, %s", row.ID, c.Set)
			p("%s\n", text.String())
		}
	}
	if !any {
		p("Every word of every test was found.\n")
	}

	p("\n## Gender direction and direct bias (Bolukbasi et al. 2016)\n\n")
	d := r.Direction
	var pairs []string
	for _, pr := range d.Pairs {
		pairs = append(pairs, pr[0]+"/"+pr[1])
	}
	p("The direction g is the first principal component of the %d definitional pairs found (%s), each pair's unit vectors centred on their midpoint. ", len(d.Pairs), mdEscape(strings.Join(pairs, ", ")))
	if len(d.OOV.Missing) > 0 {
		p("Pairs dropped for missing words: %s. ", mdEscape(strings.Join(d.OOV.Missing, ", ")))
	}
	p("Positive projections lean towards the first word of each pair (%s).\n\n", mdEscape(firstWords(d.Pairs)))
	p("Explained variance of the principal components: %s.\n\n", percentList(r.ExplainedVariance, 10))
	p("![Explained variance](%s)\n\n", VariancePlot)
	db := r.DirectBefore
	p("Direct bias (c = 1) over %d neutral words: **%.4f**. %d words of the list were left out as gender-specific (%s); %d were not in the vocabulary.\n\n",
		db.Words, db.Value, len(r.Gendered), mdEscape(strings.Join(r.Gendered, ", ")), len(db.OOV.Missing))
	ranked := sortedScores(db.PerWord)
	n := min(10, len(ranked)/2)
	p("| most %s-leaning | cos(w, g) | most %s-leaning | cos(w, g) |\n|---|---|---|---|\n", mdEscape(firstWord(d.Pairs, 0)), mdEscape(firstWord(d.Pairs, 1)))
	for i := range n {
		a, b := ranked[i], ranked[len(ranked)-1-i]
		p("| %s | %.3f | %s | %.3f |\n", mdEscape(a.Word), a.Score, mdEscape(b.Word), b.Score)
	}
	p("\n![Professions on the gender direction](%s)\n", ProfessionsPlot)
	if r.RNDBefore != nil || r.ECTBefore != nil {
		p("\nThe same words measured against the first and the second words of the pairs as two groups: ")
		if r.RNDBefore != nil {
			p("relative norm distance (Garg et al. 2018; negative: closer to the first group) %.4f over %d words", r.RNDBefore.Value, len(r.RNDBefore.PerWord))
		}
		if r.ECTBefore != nil {
			if r.RNDBefore != nil {
				p("; ")
			}
			p("embedding coherence test (Dev & Phillips 2019; 1: both groups alike) %.4f", r.ECTBefore.Value)
		}
		p(".\n")
	}

	if r.Debias != nil {
		rep := r.Debias
		p("\n## Hard debiasing\n\n")
		p("Neutralised %d words, kept %d gender-specific words (%d of the list not in the vocabulary), equalised %d pairs. Every debiased vector has unit length.\n\n",
			rep.Neutralized, rep.Gendered, rep.GenderedMissing, len(rep.Equalized))
		p("| measure | before | after | change |\n|---|---|---|---|\n")
		for _, m := range r.beforeAfter() {
			p("| %s | %s | %s | %s |\n", mdEscape(m.name), m.before, m.after, m.change)
		}
		if notes := r.debiasNotes(); len(notes) > 0 {
			p("\n")
			for _, n := range notes {
				p("- %s\n", mdEscape(n))
			}
		}
	}
	return bw.Flush()
}

// Table writes the before/after comparison as aligned plain text (the
// WEAT results alone without debiasing).
func (r *Report) Table(w io.Writer) error {
	var buf bytes.Buffer
	if err := r.table(&buf); err != nil {
		return err
	}
	// tabwriter pads empty last cells; trailing blanks only get in the way.
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

func (r *Report) table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if r.Debias == nil {
		fmt.Fprintln(tw, "measure\tvalue\tp")
		for _, row := range r.WEAT {
			if ok(row.Before, row.Err) {
				fmt.Fprintf(tw, "WEAT %d d\t%.3f\t%s\n", row.ID, row.Before.EffectSize, pValue(row.Before))
			} else {
				fmt.Fprintf(tw, "WEAT %d d\tfailed\t%s\n", row.ID, row.Err)
			}
		}
		fmt.Fprintf(tw, "direct bias (c=1, %d words)\t%.4f\n", r.DirectBefore.Words, r.DirectBefore.Value)
		return tw.Flush()
	}
	fmt.Fprintln(tw, "measure\tbefore\tafter\tchange")
	for _, m := range r.beforeAfter() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.name, m.before, m.after, m.change)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range r.debiasNotes() {
		if _, err := fmt.Fprintf(w, "note: %s\n", n); err != nil {
			return err
		}
	}
	return nil
}

// notEqualized lists the attribute words of t (A and B, as given) that
// are in no pair debiasing equalised.
func (r *Report) notEqualized(t bias.WEATTest) []string {
	eq := map[string]bool{}
	for _, p := range r.Debias.Equalized {
		eq[strings.ToLower(p[0])], eq[strings.ToLower(p[1])] = true, true
	}
	var left []string
	for _, w := range append(append([]string(nil), t.A...), t.B...) {
		if !eq[strings.ToLower(w)] {
			left = append(left, w)
		}
	}
	return left
}

// debiasNotes explains WEAT results that debiasing changed in ways the
// numbers alone mislead about: associations that collapsed (the test's
// attribute words were equalised, so d compares rounding noise), and
// effect sizes that changed sign.
func (r *Report) debiasNotes() []string {
	var notes []string
	for _, row := range r.WEAT {
		if !ok(row.Before, row.Err) || !ok(row.After, row.ErrAft) {
			continue
		}
		b, a, collapsed := row.collapsed()
		switch {
		case collapsed:
			notes = append(notes, fmt.Sprintf("WEAT %d: after debiasing every target word is (almost) equally close to both attribute sets: the associations s(w, A, B) shrank from %.3g to %.2g on average, so d = %.3f (a mean difference over a spread of such tiny numbers) no longer measures an association. This is what hard debiasing does to a test whose attributes are the gender words it equalises.",
				row.ID, b, a, row.After.EffectSize))
		case (row.Before.EffectSize > 0) != (row.After.EffectSize > 0):
			note := fmt.Sprintf("WEAT %d: d changed sign (%.3f to %.3f), but not because the bias reversed: the associations s(w, A, B) shrank from %.3g to %.3g on average, and d is their mean difference over their spread.",
				row.ID, row.Before.EffectSize, row.After.EffectSize, b, a)
			if left := r.notEqualized(row.Test); len(left) > 0 {
				note += fmt.Sprintf(" What is left comes from attribute words that no equalised pair holds (%s), which debiasing treats as neutral or gender-specific words, not as counterparts.", strings.Join(left, ", "))
			}
			notes = append(notes, note)
		default:
			if b, a, inflated := row.inflated(); inflated {
				note := fmt.Sprintf("WEAT %d: |d| grew (%.3f to %.3f), but not because the bias grew: the associations s(w, A, B) shrank from %.3g to %.3g on average, and their spread shrank more, so their mean difference over their spread came out larger.",
					row.ID, row.Before.EffectSize, row.After.EffectSize, b, a)
				if left := r.notEqualized(row.Test); len(left) > 0 {
					note += fmt.Sprintf(" What is left comes from attribute words that no equalised pair holds (%s).", strings.Join(left, ", "))
				}
				notes = append(notes, note)
			}
		}
	}
	return notes
}

type comparison struct{ name, before, after, change string }

func (r *Report) beforeAfter() []comparison {
	var out []comparison
	f := func(name string, b, a float64, format string) {
		out = append(out, comparison{name, fmt.Sprintf(format, b), fmt.Sprintf(format, a), fmt.Sprintf("%+"+format[1:], a-b)})
	}
	f(fmt.Sprintf("direct bias (c=1, %d words)", r.DirectBefore.Words), r.DirectBefore.Value, r.DirectAfter.Value, "%.3g")
	if r.DirectRecomputed != nil {
		out = append(out, comparison{"direct bias, direction recomputed after", "", fmt.Sprintf("%.3g", r.DirectRecomputed.Value), ""})
	}
	if r.RNDBefore != nil && r.RNDAfter != nil {
		f("relative norm distance (Garg et al.)", r.RNDBefore.Value, r.RNDAfter.Value, "%.4f")
	}
	if r.ECTBefore != nil && r.ECTAfter != nil {
		f("embedding coherence test (Dev & Phillips)", r.ECTBefore.Value, r.ECTAfter.Value, "%.4f")
	}
	for _, row := range r.WEAT {
		name := fmt.Sprintf("WEAT %d d", row.ID)
		switch {
		case ok(row.Before, row.Err) && ok(row.After, row.ErrAft):
			f(name, row.Before.EffectSize, row.After.EffectSize, "%.3f")
			out = append(out, comparison{fmt.Sprintf("WEAT %d p", row.ID), pValue(row.Before), pValue(row.After), ""})
		default:
			out = append(out, comparison{name, "failed", "failed", ""})
		}
	}
	if r.UtilityBefore != nil && r.UtilityAfter != nil {
		b, a := r.UtilityBefore, r.UtilityAfter
		out = append(out, comparison{fmt.Sprintf("analogy accuracy (%d / %d questions)", b.Questions, a.Questions),
			fmt.Sprintf("%.2f%%", 100*b.Analogy), fmt.Sprintf("%.2f%%", 100*a.Analogy), fmt.Sprintf("%+.2f points", 100*(a.Analogy-b.Analogy))})
		f(fmt.Sprintf("WordSim-353 Spearman (%d / %d pairs)", b.Pairs, a.Pairs), b.WordSim, a.WordSim, "%.4f")
	}
	return out
}

func (r *Report) ciLevel() float64 {
	for _, row := range r.WEAT {
		if row.Before != nil && row.Before.CI != nil {
			return row.Before.CI.Level
		}
	}
	return 0
}

func pValue(res *bias.WEATResult) string {
	if res.Permutation.Exact {
		return fmt.Sprintf("%.3g (exact)", res.PValue)
	}
	if res.Permutation.AtLeast == 0 {
		// (0+1)/(draws+1) is a bound, not an estimate with an error bar.
		return fmt.Sprintf("< %.1g (none of %d)", 1/float64(res.Permutation.Draws), res.Permutation.Draws)
	}
	return fmt.Sprintf("%.3g ± %.1g", res.PValue, res.PValueSE)
}

func published(t bias.WEATTest) string {
	g, ok1 := t.PublishedD["glove_840B_common_crawl"]
	w, ok2 := t.PublishedD["word2vec_googlenews"]
	if !ok1 || !ok2 {
		return ""
	}
	return fmt.Sprintf("%.2f / %.2f", g, w)
}

func found(res *bias.WEATResult) string {
	if res == nil {
		return ""
	}
	var parts []string
	for _, c := range res.OOV {
		f := fmt.Sprintf("%d/%d", c.Found, c.Requested)
		if c.Requested > 0 && float64(c.Found) < LowCoverageFraction*float64(c.Requested) {
			f = "**" + f + "**"
		}
		parts = append(parts, f)
	}
	return strings.Join(parts, ", ")
}

func setName(t bias.WEATTest, set string) string {
	names := map[string]string{"X": t.XName, "Y": t.YName, "A": t.AName, "B": t.BName}
	if n := names[set]; n != "" {
		return set + " (" + n + ")"
	}
	return set
}

func firstWords(pairs [][2]string) string {
	var w []string
	for i, p := range pairs {
		if i == 3 {
			w = append(w, "...")
			break
		}
		w = append(w, p[0])
	}
	return strings.Join(w, ", ")
}

func firstWord(pairs [][2]string, side int) string {
	if len(pairs) == 0 {
		return []string{"first", "second"}[side]
	}
	return pairs[0][side]
}

// sortedScores returns the scores from highest to lowest.
func sortedScores(s []bias.WordScore) []bias.WordScore {
	out := append([]bias.WordScore(nil), s...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

func percentList(v []float64, n int) string {
	var parts []string
	for i, x := range v {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%.1f%%", 100*x))
	}
	return strings.Join(parts, ", ")
}

var mdReplacer = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;", "[", `\[`, "]", `\]`)

func mdEscape(s string) string { return mdReplacer.Replace(s) }
