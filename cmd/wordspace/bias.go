package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
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

func biasCommand() command {
	return command{
		name:    "bias",
		summary: "measure and remove social bias: report, weat, direct, debias",
		run:     runBias,
	}
}

// biasSubcommands are the steps "wordspace bias" runs.
var biasSubcommands = []struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}{
	{"report", "write an audit report (report.md and PNG plots) for a vector file", runBiasReport},
	{"weat", "run Caliskan et al.'s WEAT tests (effect size, permutation p-value)", runBiasWEAT},
	{"direct", "Bolukbasi et al.'s direct bias of the professions along the gender direction", runBiasDirect},
	{"debias", "hard-debias vectors (Bolukbasi et al. neutralise and equalise) and save them", runBiasDebias},
}

func runBias(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := func() {
		fmt.Fprintln(stderr, "Usage: wordspace bias <step> [flags]\n\nSteps:")
		for _, s := range biasSubcommands {
			fmt.Fprintf(stderr, "  %-8s %s\n", s.name, s.summary)
		}
		fmt.Fprintln(stderr, "\nRun \"wordspace bias <step> -h\" for a step's flags.")
	}
	if len(args) == 0 {
		usage()
		return errUsage
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage()
		return flag.ErrHelp
	}
	for _, s := range biasSubcommands {
		if s.name == args[0] {
			return inSubcommand("bias "+s.name, s.run(ctx, args[1:], stdout, stderr))
		}
	}
	return usagef("bias", "unknown command %q (bias report, weat, direct or debias)", args[0])
}

// lookupFlags are the out-of-vocabulary policy flags every step shares.
type lookupFlags struct {
	minFraction *float64
	exactCase   *bool
}

func addLookupFlags(fs *flagSet) lookupFlags {
	l := lookupFlags{
		minFraction: fs.Float64("min-fraction", 0, "fail a test when a word set keeps less than this `fraction` of its words (default 0: only a set of fewer than 2 words fails; a set under half its size is flagged)"),
		exactCase:   fs.Bool("case-sensitive", false, "compare words exactly: no fall-back to the lower-case form of a word missing from the vocabulary"),
	}
	fs.alias("case-sensitive", "exact-case")
	return l
}

func (l lookupFlags) check(fs *flagSet) error {
	if !(*l.minFraction >= 0 && *l.minFraction <= 1) {
		return usagef(fs.cmd, "-min-fraction must be in [0, 1], not %v", *l.minFraction)
	}
	return nil
}

func (l lookupFlags) lookup() bias.Lookup {
	return bias.Lookup{MinFraction: *l.minFraction, ExactCase: *l.exactCase}
}

// listFlags name word-list files that replace the built-in lists.
type listFlags struct {
	pairs, equalize, gendered, words *string
}

func addListFlags(fs *flagSet, equalize bool) listFlags {
	l := listFlags{
		pairs:    fs.String("pairs", "", "definitional pairs `file` (JSON [[female, male], ...]; default: Bolukbasi et al.'s ten)"),
		gendered: fs.String("gendered", "", "gender-specific words `file` (JSON list; default: Bolukbasi et al.'s 1,441)"),
		words:    fs.String("words", "", "neutral words `file` (JSON list, or professions.json format; default: Bolukbasi et al.'s 320 professions)"),
	}
	if equalize {
		l.equalize = fs.String("equalize", "", "equalise pairs `file` (JSON pairs; default: Bolukbasi et al.'s 52)")
	}
	return l
}

// loadListsAndModel reads the word lists, then the vectors: the small files
// first, so that a typo fails before a slow load.
func loadListsAndModel(lists listFlags, lf loadFlags) (bias.WordLists, *embed.Embeddings, error) {
	if _, err := lf.check(); err != nil {
		return bias.WordLists{}, nil, err
	}
	wl, err := lists.load()
	if err != nil {
		return wl, nil, err
	}
	e, err := lf.load()
	return wl, e, err
}

// inputs names the list files for checkOutputs.
func (l listFlags) inputs() []file {
	in := []file{{flag: "pairs", path: *l.pairs}, {flag: "gendered", path: *l.gendered}, {flag: "words", path: *l.words}}
	if l.equalize != nil {
		in = append(in, file{flag: "equalize", path: *l.equalize})
	}
	return in
}

// load reads the lists the flags name, the built-in ones for the others.
func (l listFlags) load() (bias.WordLists, error) {
	files := bias.ListFiles{Definitional: *l.pairs, GenderSpecific: *l.gendered, Neutral: *l.words}
	if l.equalize != nil {
		files.Equalize = *l.equalize
	}
	return bias.LoadWordLists(files)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// weatJSON is what "bias weat -json" prints for one test.
type weatJSON struct {
	ID int `json:"id"`
	*bias.WEATResult
	PublishedD map[string]float64 `json:"published_d,omitempty"`
	Error      string             `json:"error,omitempty"`
}

func runBiasWEAT(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bias weat", "-model FILE [-test N] [-json]\n\nRuns WEAT test N (1..10, Caliskan et al. 2017's numbering), or all ten, and\nprints the effect size d, the one-sided permutation p-value and the words\nmissing from the vocabulary. -json prints an object per test (an array for\nseveral) with at least effect_size, p_value and oov.", stderr)
	lf := addLoadFlags(fs, modelHelp)
	look := addLookupFlags(fs)
	testN := fs.Int("test", 0, "test `number` 1..10 (0: all)")
	testsFile := fs.String("tests", "", "tests `file` in weat.json format (default: Caliskan et al.'s ten)")
	asJSON := fs.Bool("json", false, "print JSON")
	population := fs.Bool("population", false, "divide d by the population standard deviation (default: sample, as the paper)")
	exactLimit := fs.Float64("exact-limit", bias.DefaultExactLimit, "count the partitions exactly when there are at most this `many`")
	perms := fs.Int("permutations", bias.DefaultPermutations, "random partitions of a Monte-Carlo test")
	seed := fs.Uint64("seed", 1, "seed of the Monte-Carlo test and the bootstrap")
	boot := fs.Int("bootstrap", 0, "bootstrap `resamples` for a confidence interval of d (0: none)")
	conf := fs.Float64("confidence", 0.95, "confidence `level` of the interval")
	bootAttr := fs.Bool("bootstrap-attributes", false, "resample the attribute words too")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if err := look.check(fs); err != nil {
		return err
	}
	if _, err := lf.check(); err != nil {
		return err
	}
	tests := bias.WEATTests()
	if *testsFile != "" {
		var err error
		if tests, err = bias.LoadWEATTests(*testsFile); err != nil {
			return err
		}
	}
	if *testN != 0 {
		var pick []bias.WEATTest
		for _, t := range tests {
			if t.ID == *testN {
				pick = append(pick, t)
			}
		}
		if len(pick) == 0 {
			return usagef(fs.cmd, "-test %d: no such test (the tests are numbered %s)", *testN, testIDs(tests))
		}
		tests = pick
	}
	if *exactLimit <= 0 || *perms <= 0 || *boot < 0 {
		return usagef(fs.cmd, "-exact-limit and -permutations must be positive, -bootstrap not negative")
	}
	if !(*conf > 0 && *conf < 1) {
		return usagef(fs.cmd, "-confidence must be in (0, 1), not %v", *conf)
	}
	e, err := lf.load()
	if err != nil {
		return err
	}
	opt := bias.WEATOptions{
		Population: *population, ExactLimit: *exactLimit, Permutations: *perms, Seed: *seed,
		Bootstrap: *boot, Confidence: *conf, BootstrapAttributes: *bootAttr, Lookup: look.lookup(),
	}
	var out []weatJSON
	failed := 0
	for _, t := range tests {
		r, err := bias.WEAT(ctx, e, t, opt)
		if ctx.Err() != nil {
			return ctx.Err() // interrupted (Ctrl-C, a deadline), not a failed test
		}
		j := weatJSON{ID: t.ID, WEATResult: r, PublishedD: t.PublishedD}
		if err != nil {
			failed++
			j.Error = err.Error()
			if r == nil {
				j.WEATResult = &bias.WEATResult{Test: t.Name}
			}
		}
		out = append(out, j)
	}
	if *asJSON {
		var err error
		if len(out) == 1 {
			err = writeJSON(stdout, out[0])
		} else {
			err = writeJSON(stdout, out)
		}
		if err != nil {
			return err
		}
	} else if err := printWEAT(stdout, out); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d tests failed: %s", failed, len(out), firstError(out))
	}
	return nil
}

func testIDs(tests []bias.WEATTest) string {
	var ids []string
	for _, t := range tests {
		ids = append(ids, fmt.Sprint(t.ID))
	}
	return strings.Join(ids, ", ")
}

func firstError(out []weatJSON) string {
	for _, o := range out {
		if o.Error != "" {
			return o.Error
		}
	}
	return ""
}

func printWEAT(w io.Writer, out []weatJSON) error {
	return flushed(w, func(bw *bufio.Writer) error {
		for _, o := range out {
			printWEATResult(bw, o)
		}
		return nil
	})
}

func printWEATResult(bw *bufio.Writer, o weatJSON) {
	{
		r := o.WEATResult
		fmt.Fprintf(bw, "%s\n", r.Test)
		if o.Error != "" {
			fmt.Fprintf(bw, "  error: %s\n", o.Error)
		} else {
			fmt.Fprintf(bw, "  d = %.4f (ddof %d)", r.EffectSize, r.DDOF)
			if r.CI != nil {
				fmt.Fprintf(bw, ", %g%% CI [%.4f, %.4f]", 100*r.CI.Level, r.CI.Low, r.CI.High)
			}
			if r.Permutation.Exact {
				fmt.Fprintf(bw, "\n  p = %.4g (exact, %.0f of %.0f partitions)\n", r.PValue, r.Permutation.AtLeast, r.Permutation.Partitions)
			} else if r.Permutation.AtLeast == 0 {
				// (0+1)/(draws+1) is a bound, not an estimate with an error bar.
				fmt.Fprintf(bw, "\n  p < %.2g (Monte-Carlo: none of %d random partitions reached d; seed %d)\n", 1/float64(r.Permutation.Draws), r.Permutation.Draws, r.Permutation.Seed)
			} else {
				fmt.Fprintf(bw, "\n  p = %.4g ± %.2g (Monte-Carlo, %d random partitions, seed %d)\n", r.PValue, r.PValueSE, r.Permutation.Draws, r.Permutation.Seed)
			}
			if d, ok := o.PublishedD["glove_840B_common_crawl"]; ok {
				fmt.Fprintf(bw, "  published d: GloVe %.2f, word2vec %.2f\n", d, o.PublishedD["word2vec_googlenews"])
			}
		}
		for _, c := range r.OOV {
			fmt.Fprintf(bw, "  %s: %d of %d words", c.Set, c.Found, c.Requested)
			for _, n := range c.Notes() {
				fmt.Fprintf(bw, "; %s %s", n.Kind, strings.Join(n.Words, " "))
			}
			fmt.Fprintln(bw)
		}
		if low := audit.LowCoverage(r); len(low) > 0 && o.Error == "" {
			fmt.Fprintf(bw, "  warning: fewer than half the words of %s were found: d describes the words found, not the published test (-min-fraction makes this an error)\n",
				strings.Join(low, ", "))
		}
	}
}

// directJSON is what "bias direct -json" prints.
type directJSON struct {
	DirectBias        float64          `json:"direct_bias"`
	C                 float64          `json:"c"`
	Words             int              `json:"words"`
	ExcludedGendered  []string         `json:"excluded_gendered"`
	OOV               bias.Coverage    `json:"oov"`
	ExplainedVariance []float64        `json:"explained_variance"`
	Pairs             [][2]string      `json:"pairs"`
	PairsOOV          bias.Coverage    `json:"pairs_oov"`
	PerWord           []bias.WordScore `json:"per_word"`
}

func runBiasDirect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bias direct", "-model FILE [-c C] [-json]\n\nComputes the gender direction g (first principal component of the centred,\nunit-normalised definitional pairs) and the direct bias\n(1/|N|) Σ |cos(w, g)|^C over the neutral words N: the professions in the\nvocabulary that are not gender-specific. Positive projections lean to the\nfirst word of each pair (she, woman, ...).", stderr)
	lf := addLoadFlags(fs, modelHelp)
	look := addLookupFlags(fs)
	lists := addListFlags(fs, false)
	c := fs.Float64("c", 1, "strictness `C` of the direct bias")
	top := fs.Int("top", 10, "list the `N` most female- and male-leaning words (text output)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if err := look.check(fs); err != nil {
		return err
	}
	wl, e, err := loadListsAndModel(lists, lf)
	if err != nil {
		return err
	}
	l := look.lookup()
	dir, err := bias.NewDirection(e, wl.Definitional, l)
	if err != nil {
		return err
	}
	neutral, dropped := bias.WithoutGendered(e, wl.Neutral, wl.GenderSpecific, l)
	r, err := dir.DirectBias(neutral, *c)
	if err != nil {
		return err
	}
	out := directJSON{
		DirectBias: r.Value, C: r.C, Words: r.Words, ExcludedGendered: orEmpty(dropped), OOV: r.OOV,
		ExplainedVariance: dir.ExplainedVariance, Pairs: dir.Pairs, PairsOOV: dir.OOV, PerWord: r.PerWord,
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	bw := bufio.NewWriter(stdout)
	fmt.Fprintf(bw, "direct bias (c = %g): %.6g over %d words\n", r.C, r.Value, r.Words)
	fmt.Fprintf(bw, "direction: %d definitional pairs; explained variance %s\n", len(dir.Pairs), percentList(dir.ExplainedVariance, 5))
	fmt.Fprintf(bw, "left out as gender-specific: %d (%s)\n", len(dropped), strings.Join(dropped, " "))
	fmt.Fprintf(bw, "missing from the vocabulary: %d of %d\n", len(r.OOV.Missing), r.OOV.Requested)
	ranked := append([]bias.WordScore(nil), r.PerWord...)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Score > ranked[j].Score })
	n := min(*top, len(ranked))
	if n > 0 {
		fmt.Fprintf(bw, "most %s-leaning:", wl.Definitional[0][0])
		for _, w := range ranked[:n] {
			fmt.Fprintf(bw, " %s %.3f", w.Word, w.Score)
		}
		fmt.Fprintf(bw, "\nmost %s-leaning:", wl.Definitional[0][1])
		for i := range n {
			w := ranked[len(ranked)-1-i]
			fmt.Fprintf(bw, " %s %.3f", w.Word, w.Score)
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func percentList(v []float64, n int) string {
	var parts []string
	for i, x := range v {
		if i == n {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, fmt.Sprintf("%.1f%%", 100*x))
	}
	return strings.Join(parts, " ")
}

func runBiasDebias(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bias debias", "-model FILE -output OUT [-to FORMAT]\n\nHard-debiases the vectors (Bolukbasi et al. 2016): removes the gender\ndirection from every word that is not gender-specific, equalises the\nequalise pairs (in lower, Title and UPPER case) and the definitional pairs,\nand writes every vector at unit length to OUT, in the format its name says\n(.bin binary, .txt/.vec text, .npy; else -to, else word2vec text; - for\nstandard output). Prints what was done, and the direct bias before and\nafter, to stderr.", stderr)
	lf := addLoadFlags(fs, modelHelp)
	look := addLookupFlags(fs)
	lists := addListFlags(fs, true)
	output := fs.String("output", "", "output `file` (- for standard output)")
	to := fs.String("to", "", "output `format`: text, binary, glove or npy (default: from the name)")
	debiaswe := fs.Bool("debiaswe", false, "equalise only the equalise pairs, exactly as debiaswe (the re-computed direction then drifts)")
	asJSON := fs.Bool("json", false, "print the report as JSON on stdout")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if err := look.check(fs); err != nil {
		return err
	}
	if err := fs.required("output"); err != nil {
		return err
	}
	if *asJSON && *output == "-" {
		return usagef(fs.cmd, "-json and -output - would both write to standard output")
	}
	format, err := vectorFormat(fs.cmd, *output, *to, -1)
	if err != nil {
		return err
	}
	if err := checkOutputs(fs.cmd, append(lists.inputs(), lf.input()), vectorFiles("output", *output, format, true)...); err != nil {
		return err
	}
	wl, e, err := loadListsAndModel(lists, lf)
	if err != nil {
		return err
	}
	l := look.lookup()
	de, rep, err := bias.HardDebias(ctx, e, bias.DebiasOptions{
		Definitional: wl.Definitional, Equalize: wl.Equalize, GenderSpecific: wl.GenderSpecific, DebiasweEqualize: *debiaswe, Lookup: l,
	})
	if err != nil {
		return err
	}
	neutral, _ := bias.WithoutGendered(e, wl.Neutral, wl.GenderSpecific, l)
	before, after, errB := rep.DirectBiasChange(de, neutral)
	if err := saveVectors(ctx, *output, stdout, de, format); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "neutralised %d words, kept %d gender-specific words (%d of the list not in the vocabulary), equalised %d pairs\n",
		rep.Neutralized, rep.Gendered, rep.GenderedMissing, len(rep.Equalized))
	if rep.ZeroVectors > 0 {
		fmt.Fprintf(stderr, "%d words are zero vectors\n", rep.ZeroVectors)
	}
	if errB == nil {
		fmt.Fprintf(stderr, "direct bias (c = 1, %d neutral words): %.6g before, %.3g after\n", before.Words, before.Value, after.Value)
	} else {
		fmt.Fprintf(stderr, "direct bias not measured: %v\n", errB)
	}
	fmt.Fprintf(stderr, "wrote %d words of dimension %d to %s (%v)\n", de.Len(), de.Dim(), *output, format)
	if *asJSON {
		j := struct {
			*bias.DebiasReport
			ExplainedVariance []float64 `json:"explained_variance"`
			DirectBefore      *float64  `json:"direct_bias_before,omitempty"`
			DirectAfter       *float64  `json:"direct_bias_after,omitempty"`
			Output            string    `json:"output"`
		}{DebiasReport: rep, ExplainedVariance: rep.Direction.ExplainedVariance, Output: *output}
		if errB == nil {
			j.DirectBefore, j.DirectAfter = &before.Value, &after.Value
		}
		return writeJSON(stdout, j)
	}
	return nil
}

func runBiasReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bias report", "-model FILE -output DIR [-debias]\n\nAudits the vectors and writes DIR/report.md with PNG plots: Caliskan et al.'s\nten WEAT tests (effect sizes with bootstrap confidence intervals, p-values,\nmissing words), the gender direction's explained variance and the\nprofessions projected on it, and the direct bias. With -debias, the vectors\nare hard-debiased and every measure is repeated, with the utility cost\n(analogy accuracy, word-similarity correlation) when -analogies and\n-similarity are given.", stderr)
	lf := addLoadFlags(fs, modelHelp)
	look := addLookupFlags(fs)
	lists := addListFlags(fs, true)
	out := fs.String("output", "", "output `directory` (created if missing)")
	fs.alias("output", "out")
	debias := fs.Bool("debias", false, "hard-debias and compare before and after")
	saveDebiased := fs.String("save-debiased", "", "also write the debiased vectors to `file` (with -debias; format from the name)")
	boot := fs.Int("bootstrap", 1000, "bootstrap `resamples` for the WEAT confidence intervals (0: none)")
	seed := fs.Uint64("seed", 1, "seed of the Monte-Carlo tests and the bootstrap")
	perms := fs.Int("permutations", bias.DefaultPermutations, "random partitions of a Monte-Carlo test")
	u := addUtilityFlags(fs)
	asJSON := fs.Bool("json", false, "also write DIR/report.json")
	quiet := fs.Bool("quiet", false, "no progress or summary")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if err := look.check(fs); err != nil {
		return err
	}
	if _, err := lf.check(); err != nil {
		return err
	}
	if err := fs.required("output"); err != nil {
		return err
	}
	if *saveDebiased != "" && !*debias {
		return usagef(fs.cmd, "-save-debiased needs -debias")
	}
	if *boot < 0 || *perms <= 0 {
		return usagef(fs.cmd, "-bootstrap must not be negative and -permutations must be positive")
	}
	saveFormat := embed.Text
	outs := []file{{flag: "output", path: *out, dir: true}}
	if *saveDebiased != "" {
		var err error
		if saveFormat, err = vectorFormat(fs.cmd, *saveDebiased, "", -1); err != nil {
			return err
		}
		outs = append(outs, vectorFiles("save-debiased", *saveDebiased, saveFormat, false)...)
	}
	// The directory is checked (can it be made, or written into?) now and
	// made only once the vectors are loaded, so that a mistake leaves no
	// empty directory behind.
	if err := checkOutputs(fs.cmd, append(append(lists.inputs(), lf.input()), u.inputs()...), outs...); err != nil {
		return err
	}
	opt := audit.Options{
		WEAT:   bias.WEATOptions{Bootstrap: *boot, Seed: *seed, Permutations: *perms, Lookup: look.lookup()},
		Lookup: look.lookup(), Debias: *debias,
	}
	if !*quiet {
		opt.Progress = func(p audit.Progress) { fmt.Fprintf(stderr, "%s...\n", p.Stage) }
	}
	var err error
	if opt.WordLists, err = lists.load(); err != nil {
		return err
	}
	if opt.Utility, err = u.utility(fs); err != nil {
		return err
	}
	e, err := lf.load()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o777); err != nil {
		return err
	}
	rep, err := audit.Run(ctx, e, opt)
	if err != nil {
		return err
	}
	plots, err := rep.Plots(*out)
	if err != nil {
		return err
	}
	mdPath := filepath.Join(*out, "report.md")
	if err := atomicfile.Write(mdPath, func(w io.Writer) error {
		return rep.Markdown(w, "Bias audit of "+filepath.Base(*lf.model))
	}); err != nil {
		return err
	}
	if *asJSON {
		if err := atomicfile.Write(filepath.Join(*out, "report.json"), func(w io.Writer) error { return writeJSON(w, rep) }); err != nil {
			return err
		}
	}
	if *saveDebiased != "" {
		if err := saveVectors(ctx, *saveDebiased, nil, rep.Debiased, saveFormat); err != nil {
			return err
		}
	}
	if err := rep.Table(stdout); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "wrote %s and %s\n", mdPath, strings.Join(plots, ", "))
	}
	return nil
}
