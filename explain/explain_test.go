package explain

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/internal/demo"
	"github.com/wordspace/wordspace/transformer"
)

// checkReport checks that every section is there, with finite numbers, a
// verdict and its figures, in the report and in the files Write made.
func checkReport(t *testing.T, r *Report, want int) {
	t.Helper()
	if len(r.Sections) != want {
		t.Fatalf("%d sections, want %d", len(r.Sections), want)
	}
	for i, s := range r.Sections {
		if s.Number != i+1 || s.Title == "" || s.Claim == "" || s.Because == "" || s.Rule == "" {
			t.Errorf("section %d: %+v", i+1, s)
		}
		if len(s.Numbers) == 0 {
			t.Errorf("section %d (%s) reports no numbers", s.Number, s.Title)
		}
		for j, x := range s.Numbers {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Errorf("section %d (%s): number %d is %v", s.Number, s.Title, j, x)
			}
		}
	}
	dir := t.TempDir()
	if err := r.Write(dir); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	heads := regexp.MustCompile(`(?m)^## (\d+)\. `).FindAllStringSubmatch(text, -1)
	if len(heads) != want {
		t.Errorf("report.md has %d numbered sections, want %d", len(heads), want)
	}
	verdicts := regexp.MustCompile(`(?m)^Verdict: \*\*(held|held weakly|not seen on this corpus)\*\*\. `).FindAllString(text, -1)
	if len(verdicts) != want {
		t.Errorf("report.md has %d verdict lines, want %d", len(verdicts), want)
	}
	for _, bad := range []string{"NaN", "+Inf", "-Inf", "%!"} {
		if strings.Contains(text, bad) {
			i := strings.Index(text, bad)
			t.Errorf("report.md contains %q: …%s…", bad, text[max(0, i-80):min(len(text), i+40)])
		}
	}
	for _, s := range r.Sections {
		for _, f := range s.Figures {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
				t.Errorf("section %d figure %s: %v", s.Number, f, err)
			}
			if !strings.Contains(text, "]("+f+")") {
				t.Errorf("section %d figure %s is not linked", s.Number, f)
			}
		}
	}
}

// TestQuickRun runs the whole explainer, scaling included, in quick mode
// on the demo corpus: the acceptance check that every section comes out.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("trains word vectors and several transformers (about a minute)")
	}
	began := time.Now()
	r, err := Run(context.Background(), demo.Corpus(), Options{Quick: true, Scaling: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("quick run with scaling: %s", time.Since(began).Round(time.Second))
	checkReport(t, r, 9)
	if !r.ModelTrained || !r.VectorsMade || r.Scaling == nil || len(r.Scaling.Sizes) < 5 || len(r.Scaling.Data) < 4 {
		t.Errorf("trained %v/%v, scaling %+v", r.ModelTrained, r.VectorsMade, r.Scaling)
	}
}

// TestSmallCorpus runs on a few thousand sentences with a given, untrained
// model: most probe and test words are missing, and every section must
// still say so with finite numbers rather than fail.
func TestSmallCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("trains word vectors")
	}
	ctx := context.Background()
	small := corpus.FromFunc("small", func(ctx context.Context, fn func([]string) error) error {
		n := 0
		stop := context.Canceled
		err := demo.Corpus().Sentences(ctx, func(s []string) error {
			if n++; n > 3000 {
				return stop
			}
			return fn(s)
		})
		if err == stop {
			return nil
		}
		return err
	})
	r, err := Run(ctx, small, Options{Quick: true, Seed: 2, Texts: 30})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r, 8)

	// The same with the model given: no training curve.
	v, err := corpus.BuildVocab(ctx, small, corpus.VocabOptions{MinCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	m, err := transformer.New(transformer.Config{DModel: 16, Heads: 2, Layers: 1, DFF: 32, Context: 16, Seed: 1}, v.Words())
	if err != nil {
		t.Fatal(err)
	}
	r, err = Run(ctx, small, Options{Quick: true, Seed: 2, Texts: 30, Model: m})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, r, 8)
	if r.ModelTrained || r.Training.History != nil || len(r.Sections[7].Figures) != 0 {
		t.Errorf("given model: trained %v, history %d", r.ModelTrained, len(r.Training.History))
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, demo.Corpus(), Options{Quick: true}); err == nil {
		t.Error("cancelled run: no error")
	}
}

func TestRelations(t *testing.T) {
	secs := Relations()
	if len(secs) != len(relationPairs) {
		t.Fatalf("%d sections", len(secs))
	}
	for _, s := range secs {
		pairs := strings.Count(relationPairsOf(s.Name), ":")
		if len(s.Questions) != pairs*(pairs-1) || pairs < 15 {
			t.Errorf("%s: %d questions from %d pairs", s.Name, len(s.Questions), pairs)
		}
		seen := map[string]bool{}
		for _, q := range s.Questions {
			if q.A == q.C || seen[q.String()] {
				t.Errorf("%s: question %v repeats a pair", s.Name, q)
			}
			seen[q.String()] = true
		}
	}
}

func relationPairsOf(name string) string {
	for _, r := range relationPairs {
		if r.name == name {
			return r.pairs
		}
	}
	return ""
}

func TestSignTest(t *testing.T) {
	for _, tc := range []struct {
		a, b int
		want float64
	}{{0, 0, 1}, {6, 0, 2.0 / 64}, {3, 3, 1}, {10, 2, 2 * (1 + 12 + 66) / 4096.0}} {
		if got := signTest(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("signTest(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSilhouette(t *testing.T) {
	// Two tight, opposite groups: silhouette near 1; mixed: near or below 0.
	sim := []float64{
		1, 0.99, -1, -0.99,
		0.99, 1, -0.99, -1,
		-1, -0.99, 1, 0.99,
		-0.99, -1, 0.99, 1,
	}
	if s := silhouette(sim, []int{0, 0, 1, 1}, 2); s < 0.98 {
		t.Errorf("separated groups: %v", s)
	}
	if s := silhouette(sim, []int{0, 1, 0, 1}, 2); s > 0 {
		t.Errorf("mixed groups: %v", s)
	}
}
