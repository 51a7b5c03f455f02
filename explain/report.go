package explain

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/wordspace/wordspace/internal/atomicfile"
)

// ReportFile is the name of the Markdown report Write puts in its
// directory.
const ReportFile = "report.md"

// Write writes the report into dir (created if needed): ReportFile and
// every section's figures beside it.
func (r *Report) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	for _, s := range r.Sections {
		for _, p := range s.plots {
			if p.draw == nil {
				continue // drawn with an earlier figure
			}
			path := filepath.Join(dir, p.file)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return fmt.Errorf("explain: %w", err)
			}
			if err := p.draw(path); err != nil {
				return fmt.Errorf("explain: section %d figure %s: %w", s.Number, p.file, err)
			}
		}
	}
	return atomicfile.Write(filepath.Join(dir, ReportFile), r.Markdown)
}

// md writes Markdown, keeping the first write error.
type md struct {
	w   *bufio.Writer
	err error
}

func (m *md) p(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

var mdReplacer = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "`", "\\`")

// esc escapes text for Markdown (and its table cells).
func esc(s string) string { return mdReplacer.Replace(s) }

// Markdown writes the report as Markdown: a verdict table, then one "## "
// section per claim. Figures are linked by their file names (see Write).
func (r *Report) Markdown(w io.Writer) error {
	m := &md{w: bufio.NewWriter(w)}
	m.p("# How a language model works, checked on %s\n\n", esc(r.Corpus))
	m.p("This report measures the claims of Timothy B. Lee and Sean Trott's explainer *Large language models, explained with a minimum of math and jargon* (2023) on one corpus, with models trained on it. ")
	m.p("Each section states a claim, measures it, and gives a verdict by a rule written beside it: **held**, **held weakly** or **not seen on this corpus**. A claim that does not hold here is a result about this corpus and these small models, not a proof that it is false.\n\n")
	if r.Quick {
		m.p("**This is a quick run** (`-quick`): small models trained briefly, few texts. Its verdicts are not meaningful; it checks that everything runs.\n\n")
	}
	m.p("| # | claim | verdict | the numbers behind it |\n|---|---|---|---|\n")
	for _, s := range r.Sections {
		m.p("| %d | %s | %s | %s |\n", s.Number, esc(s.Claim), s.Verdict, esc(s.Because))
	}
	m.p("\n")
	m.p("Corpus %s: %d word tokens, %.1f%% of them outside the transformer's vocabulary (read as &lt;unk&gt;); with &lt;bos&gt; and &lt;eos&gt; around each sentence, %d tokens train the transformer and %d are held out (2%% of the sentences, spread through the corpus). ",
		esc(r.Corpus), r.Tokens, 100*float64(r.Unknown)/float64(max(1, r.Tokens)), r.TrainTokens, r.HeldOutTokens)
	how := "given"
	if r.VectorsMade {
		how = "trained here (word2vec skip-gram, window 5, 5 negatives, subsampling 1e-4)"
	}
	m.p("Static vectors: %d words × %d dimensions, %s. ", r.VectorWords, r.VectorDim, how)
	c := r.ModelConfig
	how = "given"
	if r.ModelTrained {
		how = "trained here by next-word prediction, its token embedding starting from the static vectors"
	}
	m.p("Transformer: %d blocks, %d heads, width %d, feed-forward width %d, context %d tokens, %d words + 3 special tokens, %d weights; %s.\n\n",
		c.Layers, c.Heads, c.DModel, c.DFF, c.Context, c.Vocab, r.ModelParams, how)
	for _, s := range r.Sections {
		m.p("## %d. %s\n\n", s.Number, s.Title)
		m.p("**Claim.** %s\n\n", s.Claim)
		s.body(m)
		m.p("Verdict: **%s**. %s. The rule: %s.\n\n", s.Verdict, capitalise(s.Because), s.Rule)
	}
	m.p("## Run\n\n")
	m.p("The whole run took %s on %d threads", r.Elapsed.Round(time.Second), r.Threads)
	if r.Load[0] != "" {
		m.p(" (system load averages over 1, 5 and 15 minutes: %s at the start, %s at the end; a load above the number of cores means the run shared them)", r.Load[0], r.Load[1])
	}
	m.p(".\n\n| stage | time |\n|---|---|\n")
	for _, st := range r.Stages {
		m.p("| %s | %s |\n", st.Name, st.Elapsed.Round(100*time.Millisecond))
	}
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
