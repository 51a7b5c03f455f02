package analogy

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/stats"
	"github.com/wordspace/wordspace/internal/testenv"
)

type gensimSection struct {
	Section   string     `json:"section"`
	Correct   [][]string `json:"correct"`
	Incorrect [][]string `json:"incorrect"`
}

type gensimPairs struct {
	Pearson  float64 `json:"pearson"`
	Spearman float64 `json:"spearman"`
	OOVRatio float64 `json:"oov_ratio"`
}

type gensimResult struct {
	Vectors  string                                `json:"vectors"`
	Words    int                                   `json:"words"`
	Analogy  map[string]map[string][]gensimSection `json:"analogy"`
	Pairs    map[string]gensimPairs                `json:"pairs"`
	PairSims []float64                             `json:"pair_sims"`
	Queries  []struct {
		A, B, C  string
		Add, Mul [][2]any
	} `json:"queries"`
	Timing map[string]float64 `json:"timing"`
}

// TestAgainstGensim compares Evaluate (3CosAdd and 3CosMul at restrict
// 30,000 and 300,000), EvaluatePairs and Solve with gensim 4.2, question by
// question, on a model gensim trains on the demo corpus with case variants
// of some question words added (every eighth question; about half a
// minute on two quiet cores), or on
// the word2vec file named by $WORDSPACE_GENSIM_VECTORS with the whole
// question set. It is skipped when ../shared or gensim is absent.
func TestAgainstGensim(t *testing.T) {
	if testing.Short() {
		t.Skip("the gensim comparison (half a minute to minutes) is skipped with -short")
	}
	shared := testenv.Shared(t, "data/eval/questions-words.txt", "data/eval/wordsim353.tsv")
	python := testenv.PythonModules(t, "gensim")
	questions := filepath.Join(shared, "data", "eval", "questions-words.txt")
	ws353 := filepath.Join(shared, "data", "eval", "wordsim353.tsv")
	out := t.TempDir()
	// gensim answers a few hundred questions a second: by default every
	// eighth question is asked (the whole set with a model given), to keep
	// the test near half a minute on two quiet cores.
	full := os.Getenv("WORDSPACE_GENSIM_VECTORS") != ""
	if !full {
		questions = everyNth(t, questions, 8, filepath.Join(out, "questions.txt"))
	}
	args := []string{"testdata/gensim_check.py", "--questions", questions, "--pairs", ws353, "--out", out}
	if full {
		args = append(args, "--vectors", os.Getenv("WORDSPACE_GENSIM_VECTORS"))
	} else {
		// The demo corpus the repository embeds (internal/demo).
		args = append(args, "--corpus", filepath.Join("..", "internal", "demo", "demo-corpus.txt.gz"))
	}
	start := time.Now()
	cmd := exec.Command(python, args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gensim reference run: %v\n%s", err, b)
	}
	var ref gensimResult
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	t.Logf("gensim reference: %d words, %.1f s (%v)", ref.Words, time.Since(start).Seconds(), ref.Timing)

	emb, err := embed.Load(ref.Vectors, embed.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if emb.Len() != ref.Words {
		t.Fatalf("loaded %d words, gensim has %d", emb.Len(), ref.Words)
	}

	t.Run("norms", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join(out, "norms.f32"))
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		for i := 0; i < emb.Len(); i++ {
			want := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			if got := npNorm(emb.Row(i)); got != want {
				if bad++; bad <= 5 {
					t.Errorf("row %d: npNorm %v, numpy %v", i, got, want)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%d of %d norms differ from numpy's", bad, emb.Len())
		}
	})

	secs, err := LoadQuestions(questions)
	if err != nil {
		t.Fatal(err)
	}
	for rs, byMethod := range ref.Analogy {
		restrict, err := strconv.Atoi(rs)
		if err != nil {
			t.Fatalf("gensim result names restrict %q: %v", rs, err)
		}
		for ms, want := range byMethod {
			method, err := ParseMethod(ms)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(fmt.Sprintf("%s/restrict=%d", method, restrict), func(t *testing.T) {
				res, err := Evaluate(context.Background(), emb, secs, EvalOptions{Method: method, Restrict: restrict})
				if err != nil {
					t.Fatal(err)
				}
				compareWithGensim(t, emb, res, want, secs)
			})
		}
	}

	pairs, err := LoadPairs(ws353)
	if err != nil {
		t.Fatal(err)
	}
	checkPairSims(t, emb, pairs, ref.PairSims, ref.Pairs["plain"].Spearman)
	for name, dummy := range map[string]bool{"plain": false, "dummy": true} {
		want := ref.Pairs[name]
		got, err := EvaluatePairs(emb, pairs, PairOptions{OOVAsWrong: dummy})
		if err != nil {
			t.Fatal(err)
		}
		var ratio float64
		if dummy {
			ratio = 100 * float64(got.OOV) / float64(got.Used)
		} else {
			ratio = 100 * float64(got.OOV) / float64(got.Used+got.OOV)
		}
		t.Logf("pairs %s: Spearman %.9f (gensim %.9f), Pearson %.9f (gensim %.9f), %d used, %d OOV",
			name, got.Spearman, want.Spearman, got.Pearson, want.Pearson, got.Used, got.OOV)
		if math.Abs(ratio-want.OOVRatio) > 1e-9 || math.Abs(got.Pearson-want.Pearson) > 1e-6 {
			t.Errorf("pairs %s: got %+v (OOV %.4f%%), gensim %+v", name, got, ratio, want)
		}
		if d := math.Abs(got.Spearman - want.Spearman); d > 1e-6 {
			// Allowed only when the ranks differ because two similarities
			// are within float32 rounding of each other: checkPairSims
			// compared every similarity with gensim's and our Spearman of
			// gensim's own similarities with gensim's, so a flip of near
			// ties is the only way left for the two to differ, and it
			// moves the coefficient by little.
			flips := nearTieFlips(t, emb, pairs, ref.PairSims)
			if flips == 0 || d > 1e-3 {
				t.Errorf("pairs %s: Spearman %.9f, gensim %.9f, and %d near-tie flips do not explain it", name, got.Spearman, want.Spearman, flips)
			} else {
				t.Logf("pairs %s: Spearman differs from gensim by %.2g: %d rank flips between similarities within float32 rounding (BLAS summation order)", name, got.Spearman-want.Spearman, flips)
			}
		}
	}

	t.Run("Solve", func(t *testing.T) {
		maxDiff := 0.0
		for _, q := range ref.Queries {
			for _, m := range []struct {
				method Method
				want   [][2]any
			}{{CosAdd, q.Add}, {CosMul, q.Mul}} {
				got, err := Solve(emb, q.A, q.B, q.C, Options{Method: m.method, CaseSensitive: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(m.want) {
					t.Fatalf("%s:%s::%s (%v): %d answers, gensim %d", q.A, q.B, q.C, m.method, len(got), len(m.want))
				}
				for i, g := range got {
					w, s := m.want[i][0].(string), m.want[i][1].(float64)
					d := math.Abs(float64(g.Score) - s)
					maxDiff = max(maxDiff, d)
					if g.Word != w || d > 1e-6 {
						t.Errorf("%s:%s::%s (%v) answer %d: %s %.9g, gensim %s %.9g", q.A, q.B, q.C, m.method, i, g.Word, g.Score, w, s)
					}
				}
			}
		}
		t.Logf("largest score difference from gensim: %.3g", maxDiff)
	})
}

// pairSims returns our similarity of every in-vocabulary pair, in order.
func pairSims(emb *embed.Embeddings, pairs []Pair) (gold, sims []float64) {
	lex := newLexicon(emb, min(DefaultRestrict, emb.Len()), true)
	ua, ub := make([]float32, emb.Dim()), make([]float32, emb.Dim())
	for _, p := range pairs {
		a, oka := lex.lookup(p.A)
		b, okb := lex.lookup(p.B)
		if oka && okb {
			gold = append(gold, p.Score)
			sims = append(sims, float64(gensimSimilarity(emb, a, b, ua, ub)))
		}
	}
	return gold, sims
}

// checkPairSims checks every similarity against gensim's to 1e-6, and
// our Spearman of gensim's similarities against gensim's own coefficient
// (spearman), which shows that the rank correlations are computed alike.
func checkPairSims(t *testing.T, emb *embed.Embeddings, pairs []Pair, want []float64, spearman float64) {
	t.Helper()
	gold, got := pairSims(emb, pairs)
	if len(got) != len(want) {
		t.Fatalf("%d pairs in the vocabulary, gensim %d", len(got), len(want))
	}
	maxDiff := 0.0
	for i := range got {
		maxDiff = max(maxDiff, math.Abs(got[i]-want[i]))
	}
	if maxDiff > 1e-6 {
		t.Errorf("similarities differ from gensim's by up to %.3g", maxDiff)
	}
	rho := stats.Spearman(gold, want)
	if math.Abs(rho-spearman) > 1e-12 {
		t.Errorf("Spearman of gensim's similarities: ours %.15f, gensim's %.15f", rho, spearman)
	}
	t.Logf("pair similarities: largest difference from gensim %.3g; Spearman on gensim's similarities %.12f (gensim %.12f)", maxDiff, rho, spearman)
}

// nearTieFlips counts the pairs of similarities ordered differently by us
// and by gensim; it fails the test if any of them is not a near-tie.
func nearTieFlips(t *testing.T, emb *embed.Embeddings, pairs []Pair, want []float64) int {
	t.Helper()
	_, got := pairSims(emb, pairs)
	flips := 0
	for i := range got {
		for j := range got {
			if (got[i] < got[j]) != (want[i] < want[j]) {
				flips++
				if math.Abs(want[i]-want[j]) > 2e-7*max(math.Abs(want[i]), math.Abs(want[j])) {
					t.Errorf("pairs %d and %d ordered differently: ours %v %v, gensim %v %v", i, j, got[i], got[j], want[i], want[j])
				}
			}
		}
	}
	return flips
}

// nearTie reports whether question q's expected answer and the best other
// candidate score within float32 rounding of each other (relative 2e-6),
// scoring every word exactly.
func nearTie(emb *embed.Embeddings, n int, method Method, q Question) bool {
	lex := newLexicon(emb, n, true)
	a, _ := lex.lookup(q.A)
	b, _ := lex.lookup(q.B)
	c, _ := lex.lookup(q.C)
	d, _ := lex.lookup(q.Answers[0])
	sc := newScorer(emb, method, func(i int) float32 { return npNorm(emb.Row(i)) })
	if !sc.setQuestion(a, b, c) {
		return false
	}
	ka, kb, kc, kd := lex.key(q.A), lex.key(q.B), lex.key(q.C), lex.key(q.Answers[0])
	sd := float64(sc.score(d))
	best := math.Inf(-1)
	for i := 0; i < n; i++ {
		k := lex.key(emb.Vocab().Word(i))
		if i == a || i == b || i == c || k == ka || k == kb || k == kc || k == kd {
			continue
		}
		best = max(best, float64(sc.score(i)))
	}
	return math.Abs(best-sd) <= 2e-6*math.Abs(sd)
}

// everyNth writes every nth question of each section of the Google file
// at path to dst, with all section headers.
func everyNth(t *testing.T, path string, n int, dst string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	k := 0
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if strings.HasPrefix(line, ":") {
			out.WriteString(line)
			continue
		}
		if k++; k%n == 0 {
			out.WriteString(line)
		}
	}
	if err := os.WriteFile(dst, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// compareWithGensim checks that every section has the same correct and
// incorrect questions (as multisets of upper-cased quadruples) and the
// same number skipped.
func compareWithGensim(t *testing.T, emb *embed.Embeddings, res *Result, want []gensimSection, secs []Section) {
	t.Helper()
	if len(want) != len(res.Sections) {
		t.Fatalf("%d sections, gensim %d", len(res.Sections), len(want))
	}
	type key = string
	quad := func(q Question) key {
		return strings.ToUpper(strings.Join([]string{q.A, q.B, q.C, q.Answers[0]}, " "))
	}
	got := make([]map[key]int, len(want)) // +1 correct, +1000 wrong
	for _, o := range res.Questions {
		if got[o.Section] == nil {
			got[o.Section] = map[key]int{}
		}
		switch o.Status {
		case Correct:
			got[o.Section][quad(o.Question)]++
		case Wrong:
			got[o.Section][quad(o.Question)] += 1000
		}
	}
	var correct, evaluated, mismatches, nearTies int
	for i, ws := range want {
		if ws.Section != res.Sections[i].Name {
			t.Fatalf("section %d: %q, gensim %q", i, res.Sections[i].Name, ws.Section)
		}
		exp := map[key]int{}
		for _, q := range ws.Correct {
			exp[strings.Join(q, " ")]++
		}
		for _, q := range ws.Incorrect {
			exp[strings.Join(q, " ")] += 1000
		}
		var keys []string
		for k := range exp {
			keys = append(keys, k)
		}
		for k := range got[i] {
			if _, ok := exp[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if g, e := got[i][k], exp[k]; g != e {
				mismatches++
				f := strings.Fields(k)
				q := Question{A: f[0], B: f[1], C: f[2], Answers: []string{f[3]}}
				if nearTie(emb, res.Restrict, res.Method, q) {
					// The two best words score within float32 rounding of
					// each other: which one wins depends on the order in
					// which the BLAS library sums a dot product.
					nearTies++
					t.Logf("%s: %s: near-tie decided differently (ours %d correct, gensim %d)", ws.Section, k, g%1000, e%1000)
				} else if mismatches-nearTies <= 10 {
					t.Errorf("%s: %s: ours %d correct %d wrong, gensim %d correct %d wrong", ws.Section, k, g%1000, g/1000, e%1000, e/1000)
				}
			}
		}
		s := res.Sections[i]
		skipped := len(secs[i].Questions) - len(ws.Correct) - len(ws.Incorrect)
		if s.Skipped != skipped || s.Evaluated != len(ws.Correct)+len(ws.Incorrect) || (nearTies == 0 && s.Correct != len(ws.Correct)) {
			t.Errorf("%s: ours %d/%d (%d skipped), gensim %d/%d (%d skipped)", ws.Section, s.Correct, s.Evaluated, s.Skipped,
				len(ws.Correct), len(ws.Correct)+len(ws.Incorrect), skipped)
		}
		correct += len(ws.Correct)
		evaluated += len(ws.Correct) + len(ws.Incorrect)
	}
	t.Logf("%v restrict %d: ours %v; gensim %d/%d; %d questions differ (%d of them near-ties)", res.Method, res.Restrict, res.Total, correct, evaluated, mismatches, nearTies)
	if nearTies*500 > evaluated {
		t.Errorf("%d near-ties in %d questions: too many to be rounding", nearTies, evaluated)
	}
}
