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
	"strings"
	"testing"
	"time"

	"github.com/wordspace/wordspace/embed"
)

// sharedDir finds ../shared beside the project root (or $WORDSPACE_SHARED)
// and skips the test when it is absent.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("WORDSPACE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "eval", "questions-words.txt")); err != nil {
		t.Skipf("no shared data beside the project (%v)", err)
	}
	return dir
}

func requireGensim(t *testing.T) {
	t.Helper()
	if err := exec.Command("/usr/bin/python3", "-c", "import gensim").Run(); err != nil {
		t.Skipf("gensim not importable by /usr/bin/python3: %v", err)
	}
}

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
	Vectors string                                `json:"vectors"`
	Words   int                                   `json:"words"`
	Analogy map[string]map[string][]gensimSection `json:"analogy"`
	Pairs   map[string]gensimPairs                `json:"pairs"`
	Queries []struct {
		A, B, C  string
		Add, Mul [][2]any
	} `json:"queries"`
	Timing map[string]float64 `json:"timing"`
}

// TestAgainstGensim compares Evaluate (3CosAdd and 3CosMul at restrict
// 30,000 and 300,000), EvaluatePairs and Solve with gensim 4.2, question by
// question, on a model gensim trains on the demo corpus with case variants
// of some question words added (about a minute on two quiet cores), or on
// the word2vec file named by $WORDSPACE_GENSIM_VECTORS with the whole
// question set. It is skipped when ../shared or gensim is absent.
func TestAgainstGensim(t *testing.T) {
	shared := sharedDir(t)
	requireGensim(t)
	questions := filepath.Join(shared, "data", "eval", "questions-words.txt")
	ws353 := filepath.Join(shared, "data", "eval", "wordsim353.tsv")
	out := t.TempDir()
	// gensim answers about 300 questions a second: by default every fourth
	// question of each section is asked, all of them with a model given.
	full := os.Getenv("WORDSPACE_GENSIM_VECTORS") != ""
	if !full {
		questions = everyNth(t, questions, 4, filepath.Join(out, "questions.txt"))
	}
	args := []string{"testdata/gensim_check.py", "--questions", questions, "--pairs", ws353, "--out", out}
	if full {
		args = append(args, "--vectors", os.Getenv("WORDSPACE_GENSIM_VECTORS"))
	} else {
		corpus := filepath.Join(shared, "data", "demo-corpus.txt.gz")
		if _, err := os.Stat(corpus); err != nil {
			t.Skipf("no demo corpus: %v", err)
		}
		args = append(args, "--corpus", corpus)
	}
	start := time.Now()
	cmd := exec.Command("/usr/bin/python3", args...)
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

	emb, err := embed.Load(ref.Vectors)
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
		var restrict int
		fmt.Sscan(rs, &restrict)
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
				compareWithGensim(t, res, want, secs)
			})
		}
	}

	pairs, err := LoadPairs(ws353)
	if err != nil {
		t.Fatal(err)
	}
	for name, dummy := range map[string]bool{"plain": false, "dummy": true} {
		want := ref.Pairs[name]
		got, err := EvaluatePairs(emb, pairs, PairOptions{DummyOOV: dummy})
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
		if math.Abs(got.Spearman-want.Spearman) > 1e-6 || math.Abs(got.Pearson-want.Pearson) > 1e-6 ||
			math.Abs(ratio-want.OOVRatio) > 1e-9 {
			t.Errorf("pairs %s: got %+v (OOV %.4f%%), gensim %+v", name, got, ratio, want)
		}
	}

	t.Run("Solve", func(t *testing.T) {
		maxDiff := 0.0
		for _, q := range ref.Queries {
			for _, m := range []struct {
				method Method
				want   [][2]any
			}{{CosAdd, q.Add}, {CosMul, q.Mul}} {
				got, err := Solve(emb, q.A, q.B, q.C, Options{Method: m.method})
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
func compareWithGensim(t *testing.T, res *Result, want []gensimSection, secs []Section) {
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
	var correct, evaluated, mismatches int
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
				if mismatches++; mismatches <= 10 {
					t.Errorf("%s: %s: ours %d correct %d wrong, gensim %d correct %d wrong", ws.Section, k, g%1000, g/1000, e%1000, e/1000)
				}
			}
		}
		s := res.Sections[i]
		skipped := len(secs[i].Questions) - len(ws.Correct) - len(ws.Incorrect)
		if s.Skipped != skipped || s.Correct != len(ws.Correct) || s.Evaluated != len(ws.Correct)+len(ws.Incorrect) {
			t.Errorf("%s: ours %d/%d (%d skipped), gensim %d/%d (%d skipped)", ws.Section, s.Correct, s.Evaluated, s.Skipped,
				len(ws.Correct), len(ws.Correct)+len(ws.Incorrect), skipped)
		}
		correct += len(ws.Correct)
		evaluated += len(ws.Correct) + len(ws.Incorrect)
	}
	t.Logf("%v restrict %d: ours %v; gensim %d/%d; %d questions differ", res.Method, res.Restrict, res.Total, correct, evaluated, mismatches)
}
