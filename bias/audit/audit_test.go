package audit

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/biastest"
)

// vocabulary returns random vectors for every word the audit looks up.
func vocabulary(t *testing.T) *embed.Embeddings {
	t.Helper()
	e, err := biastest.Vectors(40, 1)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestRunWithDebias(t *testing.T) {
	e := vocabulary(t)
	calls := 0
	var stages []Progress
	r, err := Run(context.Background(), e, Options{
		WEAT:   bias.WEATOptions{Bootstrap: 200, Permutations: 2000, Seed: 3},
		Debias: true,
		Utility: func(ctx context.Context, e *embed.Embeddings) (*Utility, error) {
			calls++
			return &Utility{Analogy: 0.5, Questions: 10, WordSim: 0.6, Pairs: 20}, nil
		},
		Progress: func(p Progress) { stages = append(stages, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range stages {
		if p.Done != int64(i) || p.Total != int64(len(stages)) || p.Stage == "" {
			t.Errorf("progress report %d of %d: %+v", i, len(stages), p)
		}
	}
	if len(stages) != 6 {
		t.Errorf("%d stages reported, want 6", len(stages))
	}
	if len(r.WEAT) != 10 || calls != 2 || r.Debias == nil || r.Debiased == nil {
		t.Fatalf("report incomplete: %d tests, %d utility calls", len(r.WEAT), calls)
	}
	for _, row := range r.WEAT {
		if row.Err != "" || row.Before.CI == nil || row.After == nil {
			t.Errorf("WEAT %d: %+v", row.ID, row)
		}
	}
	if r.DirectBefore.Value < 0.01 || r.DirectAfter.Value > 1e-6 || r.DirectRecomputed.Value > 1e-6 {
		t.Errorf("direct bias %v → %v (recomputed %v)", r.DirectBefore.Value, r.DirectAfter.Value, r.DirectRecomputed.Value)
	}
	if r.ECTBefore == nil || r.ECTAfter == nil || r.RNDAfter == nil || r.ECTAfter.Value < r.ECTBefore.Value {
		t.Errorf("ECT %+v → %+v", r.ECTBefore, r.ECTAfter)
	}
	var md bytes.Buffer
	if err := r.Markdown(&md, "Test audit"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Test audit", "| WEAT 6: Male vs Female names / Career vs Family |", "## Hard debiasing", "WordSim-353 Spearman", WEATPlot, ProfessionsPlot, VariancePlot} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	var tab bytes.Buffer
	if err := r.Table(&tab); err != nil || !strings.Contains(tab.String(), "WEAT 7 d") {
		t.Errorf("table: %v\n%s", err, tab.String())
	}
	dir := t.TempDir()
	paths, err := r.Plots(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 {
		t.Fatalf("plots %v", paths)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width < 300 || cfg.Height < 200 {
			t.Errorf("%s: %v %+v", filepath.Base(p), err, cfg)
		}
	}
	if _, err := r.Plots(filepath.Join(dir, "missing")); err == nil {
		t.Errorf("plots into a missing directory succeeded")
	}
}

func TestRunRecordsFailedTests(t *testing.T) {
	e := vocabulary(t)
	tests := bias.WEATTests()[:1]
	tests[0].X = []string{"nonexistent1", "nonexistent2"}
	r, err := Run(context.Background(), e, Options{Tests: tests, WEAT: bias.WEATOptions{Permutations: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if r.WEAT[0].Err != "set X keeps 0 of 2 words, needs at least 2" {
		t.Errorf("failed test not recorded: %+v", r.WEAT[0])
	}
	var md bytes.Buffer
	if err := r.Markdown(&md, "t"); err != nil || !strings.Contains(md.String(), "could not run") {
		t.Errorf("markdown: %v", err)
	}
	// The missing words are listed once, not again in the failure.
	if n := strings.Count(md.String(), "nonexistent1"); n != 1 {
		t.Errorf("the missing word is listed %d times:\n%s", n, md.String())
	}
	if _, err := r.Plots(t.TempDir()); err != nil {
		t.Errorf("plots with a failed test: %v", err)
	}
}

func TestBenchmarkUtility(t *testing.T) {
	e := vocabulary(t)
	w := e.Vocab().Words()
	questions := []analogy.Section{{Name: "s", Questions: []analogy.Question{
		{A: w[0], B: w[1], C: w[2], Answers: []string{w[3]}},
		{A: w[4], B: w[5], C: w[6], Answers: []string{w[7]}},
	}}}
	pairs := []analogy.Pair{{A: w[0], B: w[1], Score: 1}, {A: w[2], B: w[3], Score: 2}, {A: w[4], B: w[5], Score: 3}}
	u, err := BenchmarkUtility(questions, pairs, e.Len())(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analogy.Evaluate(context.Background(), e, questions, analogy.EvalOptions{Restrict: e.Len()})
	if err != nil {
		t.Fatal(err)
	}
	acc, ok := res.Total.Accuracy()
	if !ok {
		t.Fatal("no accuracy")
	}
	pr, err := analogy.EvaluatePairs(e, pairs, analogy.PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if u.Analogy != acc || u.Questions != 2 || u.WordSim != pr.Spearman || u.Pairs != 3 {
		t.Errorf("utility %+v, want accuracy %v of 2, Spearman %v of 3", u, acc, pr.Spearman)
	}
	// No question among the first word: an error, not an accuracy of 0.
	if _, err := BenchmarkUtility(questions, pairs, 1)(context.Background(), e); err == nil {
		t.Error("no error when no question is evaluated")
	}
	if _, err := LoadUtility("no-such-file", "no-such-file", 0); err == nil {
		t.Error("restriction 0 accepted")
	}
}

// The labels tell WEAT 3, 4 and 5 apart by their sources.
func TestLabels(t *testing.T) {
	seen := map[string]int{}
	for _, tt := range bias.WEATTests() {
		l := Label(tt)
		if prev, dup := seen[l]; dup {
			t.Errorf("WEAT %d and %d share the label %q", prev, tt.ID, l)
		}
		seen[l] = tt.ID
	}
	if l := Label(bias.WEATTests()[4]); l != "WEAT 5: European-American vs African-American names (Bertrand & Mullainathan 2004) / Pleasant vs Unpleasant (Nosek et al. 2002)" {
		t.Errorf("WEAT 5 label %q", l)
	}
}

// Results on few words are flagged; sign flips and collapsed associations
// after debiasing are explained.
func TestFlagsAndNotes(t *testing.T) {
	score := func(v ...float64) []bias.WordScore {
		var s []bias.WordScore
		for _, x := range v {
			s = append(s, bias.WordScore{Score: x})
		}
		return s
	}
	res := func(d float64, s float64, found int) *bias.WEATResult {
		return &bias.WEATResult{EffectSize: d, SX: score(s, -s), SY: score(s),
			OOV: []bias.Coverage{{Set: "X", Requested: 8, Found: found}, {Set: "Y", Requested: 8, Found: 8}}}
	}
	tests := bias.WEATTests()
	r := &Report{
		WEAT: []WEATRow{
			{Test: tests[5], ID: 6, Before: res(0.8, 0.04, 3), After: res(0.7, 0.04, 3)},     // few words
			{Test: tests[6], ID: 7, Before: res(0.5, 0.046, 8), After: res(-1.5, 0.0166, 8)}, // sign flip
			{Test: tests[7], ID: 8, Before: res(0.6, 0.03, 8), After: res(-0.3, 1e-9, 8)},    // collapsed
			{Test: tests[8], ID: 9, Before: res(1.3, 0.05, 8), After: res(1.28, 0.05, 8)},    // unchanged
			{Test: tests[6], ID: 7, Before: res(-0.03, 0.05, 8), After: res(-1.6, 0.02, 8)},  // inflated
			{Test: tests[6], ID: 7, Before: res(-0.03, 0.05, 8), After: res(-1.6, 0.06, 8)},  // larger associations: no note
		},
		Debias: &bias.DebiasReport{Equalized: [][2]string{{"man", "woman"}, {"he", "she"}}},
	}
	notes := r.debiasNotes()
	if len(notes) != 3 || !strings.HasPrefix(notes[0], "WEAT 7: d changed sign") || !strings.Contains(notes[0], "male, boy") ||
		!strings.HasPrefix(notes[1], "WEAT 8: after debiasing every target word") ||
		!strings.HasPrefix(notes[2], "WEAT 7: |d| grew (-0.030 to -1.600)") {
		t.Errorf("notes: %q", notes)
	}
	if l := LowCoverage(r.WEAT[0].Before); len(l) != 1 || l[0] != "X 3/8" {
		t.Errorf("low coverage %q", l)
	}
	for i, want := range []string{"few words found: X 3/8", "sign flip", "associations ≈ 0", "", "larger |d|", ""} {
		got := plotLabel(r.WEAT[i])
		if !strings.Contains(got, "\n") || want != "" && !strings.Contains(got, want) || want == "" && strings.Contains(got, "[") {
			t.Errorf("plot label of WEAT %d: %q, want it to mention %q", r.WEAT[i].ID, got, want)
		}
	}
}
