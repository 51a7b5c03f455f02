package analogy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/topk"
)

// randomEmbeddings returns n random words of dimension d; every seventh
// word also appears capitalised (sometimes before, sometimes after its
// lower-case form) and a few rows are all zero.
func randomEmbeddings(t testing.TB, n, d int, seed uint64) *embed.Embeddings {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	var words []string
	for i := 0; len(words) < n; i++ {
		w := fmt.Sprintf("w%d", i)
		switch {
		case i%7 == 3 && len(words)+2 <= n:
			words = append(words, strings.ToUpper(w), w)
		case i%7 == 5 && len(words)+2 <= n:
			words = append(words, w, "W"+w[1:]+"x", strings.ToUpper(w)[:1]+w[1:])
			words = words[:min(len(words), n)]
		default:
			words = append(words, w)
		}
	}
	words = words[:n]
	// De-duplicate defensively (the patterns above never collide).
	seen := map[string]bool{}
	for i, w := range words {
		for seen[w] {
			w += "_"
		}
		seen[w] = true
		words[i] = w
	}
	data := make([]float32, n*d)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	for _, z := range []int{n / 3, n / 2} {
		clear(data[z*d : (z+1)*d])
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embed.New(v, d, data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// randomQuestions draws questions from the first m words, some with
// words outside the vocabulary, some repeating a word, some in other
// cases.
func randomQuestions(emb *embed.Embeddings, m, count int, seed uint64) []Section {
	rng := rand.New(rand.NewPCG(seed, 2))
	word := func() string {
		w := emb.Vocab().Word(rng.IntN(m))
		switch rng.IntN(10) {
		case 0:
			return strings.ToUpper(w)
		case 1:
			return "missing" + w
		}
		return w
	}
	secs := []Section{{Name: "first"}, {Name: "gram-second", Syntactic: true}}
	for i := 0; i < count; i++ {
		q := Question{A: word(), B: word(), C: word(), Answers: []string{word()}}
		if i%11 == 0 {
			q.C = q.A
		}
		if i%13 == 0 {
			q.Answers[0] = q.B
		}
		secs[i%2].Questions = append(secs[i%2].Questions, q)
	}
	return secs
}

// bruteForce answers one question by scoring every word exactly, the slow
// and obvious way, with gensim's rules.
func bruteForce(emb *embed.Embeddings, n int, method Method, q Question, fold, keep bool) (Status, string) {
	lex := newLexicon(emb, n, fold)
	a, oka := lex.lookup(q.A)
	b, okb := lex.lookup(q.B)
	c, okc := lex.lookup(q.C)
	_, okd := lex.lookup(q.Answers[0])
	if !oka || !okb || !okc || !okd {
		return Skipped, ""
	}
	sc := newScorer(emb, method, func(i int) float32 { return npNorm(emb.Row(i)) })
	if !sc.setQuestion(a, b, c) {
		return Wrong, ""
	}
	items := make([]topk.Item, n)
	for i := range items {
		items[i].Index = i
	}
	items = sc.rank(items)
	p := pick(items, task{a: a, b: b, c: c}, lex, q, keep)
	if p < 0 {
		return Wrong, ""
	}
	w := emb.Vocab().Word(p)
	if lex.key(w) == lex.key(q.Answers[0]) {
		return Correct, w
	}
	return Wrong, w
}

func TestEvaluateMatchesBruteForce(t *testing.T) {
	emb := randomEmbeddings(t, 3000, 24, 1)
	secs := randomQuestions(emb, 2500, 400, 2)
	for _, method := range []Method{CosAdd, CosMul, PairDirection} {
		for _, restrict := range []int{700, 5000} {
			for _, fold := range []bool{true, false} {
				for _, keep := range []bool{false, true} {
					name := fmt.Sprintf("%v/restrict=%d/fold=%v/keep=%v", method, restrict, fold, keep)
					t.Run(name, func(t *testing.T) {
						res, err := Evaluate(context.Background(), emb, secs, EvalOptions{
							Method: method, Restrict: restrict, CaseSensitive: !fold, KeepQuestionWords: keep, Threads: 3,
						})
						if err != nil {
							t.Fatal(err)
						}
						n := min(restrict, emb.Len())
						if res.Restrict != n {
							t.Errorf("Restrict %d, want %d", res.Restrict, n)
						}
						var tally [3]int
						for _, o := range res.Questions {
							st, pred := bruteForce(emb, n, method, o.Question, fold, keep)
							if st != o.Status || pred != o.Predicted {
								t.Errorf("%v: got %v %q, brute force %v %q", o.Question, o.Status, o.Predicted, st, pred)
							}
							tally[st]++
						}
						if tally[Correct] != res.Total.Correct || tally[Correct]+tally[Wrong] != res.Total.Evaluated || tally[Skipped] != res.Total.Skipped {
							t.Errorf("totals %+v, brute force %v", res.Total, tally)
						}
						if tally[Skipped] == 0 || tally[Wrong] == 0 {
							t.Errorf("test data exercises too little: %v", tally)
						}
					})
				}
			}
		}
	}
}

func TestEvaluateTotals(t *testing.T) {
	emb := randomEmbeddings(t, 500, 8, 3)
	secs := randomQuestions(emb, 450, 200, 4)
	secs = append(secs, Section{Name: "empty"})
	res, err := Evaluate(context.Background(), emb, secs, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sum Score
	for _, s := range res.Sections {
		sum.add(s.Score)
	}
	if sum != res.Total {
		t.Errorf("sections add up to %+v, total %+v", sum, res.Total)
	}
	sem, syn := res.Semantic, res.Syntactic
	sem.add(syn)
	if sem != res.Total {
		t.Errorf("semantic %+v + syntactic %+v != total %+v", res.Semantic, res.Syntactic, res.Total)
	}
	if res.Total.Evaluated+res.Total.Skipped != 200 || res.OOV != res.Total.Skipped {
		t.Errorf("total %+v, OOV %d, want 200 questions", res.Total, res.OOV)
	}
	last := res.Sections[len(res.Sections)-1]
	if _, ok := last.Accuracy(); ok || last.Name != "empty" || last.Evaluated != 0 {
		t.Errorf("empty section scored %+v", last)
	}
	if got := last.String(); got != "n/a (0/0, 0 skipped)" {
		t.Errorf("empty section prints %q", got)
	}

	dummy, err := Evaluate(context.Background(), emb, secs, EvalOptions{OOVAsWrong: true})
	if err != nil {
		t.Fatal(err)
	}
	if dummy.Total.Skipped != 0 || dummy.Total.Evaluated != 200 || dummy.Total.Correct != res.Total.Correct || dummy.OOV != res.OOV {
		t.Errorf("OOVAsWrong: %+v (OOV %d), plain %+v", dummy.Total, dummy.OOV, res.Total)
	}
}

func TestEvaluateAllOOV(t *testing.T) {
	emb := randomEmbeddings(t, 50, 4, 5)
	secs := []Section{{Name: "unknown", Questions: []Question{
		{A: "nope", B: "nada", C: "zilch", Answers: []string{"none"}},
		{A: "w1", B: "w2", C: "w3", Answers: []string{"none"}},
	}}}
	res, err := Evaluate(context.Background(), emb, secs, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if acc, ok := res.Total.Accuracy(); ok || acc != 0 || math.IsNaN(acc) {
		t.Errorf("accuracy %v, %v: want undefined", acc, ok)
	}
	if res.Total.Skipped != 2 || res.Total.Evaluated != 0 {
		t.Errorf("total %+v", res.Total)
	}
	if !strings.HasPrefix(res.Total.String(), "n/a") {
		t.Errorf("prints %q", res.Total.String())
	}
}

func TestUnknownMethod(t *testing.T) {
	emb := randomEmbeddings(t, 50, 4, 5)
	if _, err := Evaluate(context.Background(), emb, nil, EvalOptions{Method: 7}); !errors.Is(err, ErrUnknownMethod) {
		t.Errorf("Evaluate: %v", err)
	}
	if _, err := Solve(emb, "w1", "w2", "w3", Options{Method: -1}); !errors.Is(err, ErrUnknownMethod) {
		t.Errorf("Solve: %v", err)
	}
	for _, s := range []string{"", "cos", "3cosdiv", "addd"} {
		if _, err := ParseMethod(s); !errors.Is(err, ErrUnknownMethod) {
			t.Errorf("ParseMethod(%q): %v", s, err)
		}
	}
	for s, want := range map[string]Method{"add": CosAdd, "3CosAdd": CosAdd, "MUL": CosMul, "3cosmul": CosMul, "pairdir": PairDirection} {
		if m, err := ParseMethod(s); err != nil || m != want {
			t.Errorf("ParseMethod(%q) = %v, %v", s, m, err)
		}
	}
	var m Method
	if err := m.UnmarshalText([]byte("mul")); err != nil || m != CosMul {
		t.Errorf("UnmarshalText: %v %v", m, err)
	}
	if b, err := PairDirection.MarshalText(); err != nil || string(b) != "PairDirection" {
		t.Errorf("MarshalText: %s %v", b, err)
	}
}

func TestEvaluateCancel(t *testing.T) {
	emb := randomEmbeddings(t, 2000, 8, 6)
	secs := randomQuestions(emb, 1500, 100, 7)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Evaluate(ctx, emb, secs, EvalOptions{Progress: func(Progress) {
		calls++
		cancel()
	}})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("err %v after %d progress calls", err, calls)
	}
}

func TestSolveMatchesBruteForce(t *testing.T) {
	emb := randomEmbeddings(t, 2000, 16, 8)
	rng := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 30; i++ {
		a, b, c := emb.Vocab().Word(rng.IntN(1500)), emb.Vocab().Word(rng.IntN(1500)), emb.Vocab().Word(rng.IntN(1500))
		for _, method := range []Method{CosAdd, CosMul, PairDirection} {
			for _, opts := range []Options{
				{Method: method, CaseSensitive: true},
				{Method: method, K: 3, Restrict: 1600},
				{Method: method, K: 25, KeepQuestionWords: true},
			} {
				got, err := Solve(emb, a, b, c, opts)
				if errors.Is(err, ErrZeroVector) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				want := solveBrute(emb, a, b, c, opts)
				if !slices.Equal(got, want) {
					t.Fatalf("%s:%s::%s %+v:\n got %v\nwant %v", a, b, c, opts, got, want)
				}
			}
		}
	}
}

func solveBrute(emb *embed.Embeddings, a, b, c string, opts Options) []embed.Neighbor {
	n := emb.Len()
	if opts.Restrict > 0 {
		n = min(n, opts.Restrict)
	}
	k := opts.K
	if k == 0 {
		k = 10
	}
	ia, _ := scanLookup(emb.Vocab(), n, a, !opts.CaseSensitive)
	ib, _ := scanLookup(emb.Vocab(), n, b, !opts.CaseSensitive)
	ic, _ := scanLookup(emb.Vocab(), n, c, !opts.CaseSensitive)
	sc := newScorer(emb, opts.Method, func(i int) float32 { return npNorm(emb.Row(i)) })
	sc.setQuestion(ia, ib, ic)
	var out []embed.Neighbor
	for i := 0; i < n; i++ {
		w := emb.Vocab().Word(i)
		if !opts.KeepQuestionWords {
			if i == ia || i == ib || i == ic {
				continue
			}
			if !opts.CaseSensitive && (upper(w) == upper(a) || upper(w) == upper(b) || upper(w) == upper(c)) {
				continue
			}
		}
		if s := sc.score(i); !math.IsInf(float64(s), -1) {
			out = append(out, embed.Neighbor{Word: w, Index: i, Score: s})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out[:min(k, len(out))]
}

func TestSolveErrors(t *testing.T) {
	emb := randomEmbeddings(t, 100, 4, 10)
	if _, err := Solve(emb, "w1", "nope", "w2", Options{}); !errors.Is(err, embed.ErrUnknownWord) {
		t.Errorf("unknown word: %v", err)
	}
	if _, err := Solve(emb, "w1", "w2", "w90", Options{Restrict: 50}); !errors.Is(err, embed.ErrUnknownWord) || !strings.Contains(err.Error(), "first 50") {
		t.Errorf("word beyond the restriction: %v", err)
	}
	if _, err := Solve(emb, "W1", "w2", "w4", Options{CaseSensitive: true}); !errors.Is(err, embed.ErrUnknownWord) {
		t.Errorf("case-sensitive lookup: %v", err)
	}
	if _, err := Solve(emb, "W1", "w2", "w4", Options{}); err != nil {
		t.Errorf("case-insensitive lookup: %v", err)
	}
	zero := emb.Vocab().Word(100 / 3)
	if _, err := Solve(emb, "w1", zero, "w2", Options{}); !errors.Is(err, ErrZeroVector) || !errors.Is(err, embed.ErrUndefined) {
		t.Errorf("zero vector: %v", err)
	}
	if _, err := Solve(emb, "w1", "w2", "w4", Options{K: -1}); err == nil {
		t.Error("negative K accepted")
	}
}

func TestUpper(t *testing.T) {
	for in, want := range map[string]string{
		"king": "KING", "Straße": "STRASSE", "ﬁnd": "FIND", "éte": "ÉTE", "ǅ": "Ǆ", "ıi": "II", "": "",
	} {
		if got := upper(in); got != want {
			t.Errorf("upper(%q) = %q, want %q", in, got, want)
		}
	}
	for _, w := range []string{"king", "KiNg", "straße", "Éte"} {
		if !sameUpper(w, upper(w)) {
			t.Errorf("sameUpper(%q, %q) false", w, upper(w))
		}
	}
	if sameUpper("kin", "KING") || sameUpper("kong", "KING") {
		t.Error("sameUpper matches different words")
	}
}

func TestNpNorm(t *testing.T) {
	// Against float64 lengths: numpy's float32 pairwise sum is within a
	// few ulps of them.
	rng := rand.New(rand.NewPCG(11, 11))
	for _, d := range []int{1, 7, 8, 9, 100, 128, 129, 300, 1000} {
		v := make([]float32, d)
		var ss float64
		for i := range v {
			v[i] = float32(rng.NormFloat64())
			ss += float64(v[i]) * float64(v[i])
		}
		if got, want := float64(npNorm(v)), math.Sqrt(ss); math.Abs(got-want) > 1e-6*want {
			t.Errorf("d=%d: npNorm %v, float64 %v", d, got, want)
		}
	}
}
