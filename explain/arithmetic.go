package explain

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/embed"
)

// explainerExamples are the analogies the explainer gives, as a:b :: c:d.
var explainerExamples = [][4]string{
	{"big", "biggest", "small", "smallest"},
	{"man", "woman", "king", "queen"},
	{"paris", "france", "berlin", "germany"},
	{"swiss", "switzerland", "cambodian", "cambodia"},
	{"mouse", "mice", "dollar", "dollars"},
	{"unethical", "ethical", "possibly", "impossibly"},
}

// Example is one analogy solved by vector arithmetic: b − a + c.
type Example struct {
	A, B, C, Want string
	// Rank is the expected answer's place among the ten best answers
	// (1: solved), 0 if it is not among them.
	Rank int
	// Answers are the three best answers.
	Answers []embed.Neighbor
	// Missing names the first word not in the vocabulary; the example
	// was then not asked.
	Missing string
}

// RelationScore is the accuracy on one relation, or on all of them.
type RelationScore struct {
	Name string
	// Correct of Evaluated questions were answered right by 3CosAdd
	// (b − a + c); Skipped had a word outside the vocabulary.
	Correct, Evaluated, Skipped int
	// Accuracy is Correct/Evaluated; Baseline the accuracy of answering
	// with the nearest word to c alone (not a, b or c), on the same
	// questions.
	Accuracy, Baseline float64
}

// Arithmetic is section 2: vector arithmetic.
type Arithmetic struct {
	Examples  []Example
	Relations []RelationScore
	Total     RelationScore
	// BuiltIn says whether the questions are the built-in relations.
	BuiltIn  bool
	Restrict int
}

func measureArithmetic(ctx context.Context, e *embed.Embeddings, o Options) (*Arithmetic, error) {
	a := &Arithmetic{Restrict: min(restrict, e.Len()), BuiltIn: o.Analogies == nil}
	for _, q := range explainerExamples {
		ex := Example{A: q[0], B: q[1], C: q[2], Want: q[3]}
		for _, w := range q {
			if i, ok := e.Vocab().Index(w); !ok || i >= a.Restrict {
				ex.Missing = w
				break
			}
		}
		if ex.Missing == "" {
			ans, err := analogy.Solve(e, ex.A, ex.B, ex.C, analogy.Options{K: 10, Restrict: a.Restrict})
			if err != nil {
				return nil, err
			}
			for i, n := range ans {
				if n.Word == ex.Want {
					ex.Rank = i + 1
					break
				}
			}
			ex.Answers = ans[:min(3, len(ans))]
		}
		a.Examples = append(a.Examples, ex)
	}
	secs := o.Analogies
	if secs == nil {
		secs = Relations()
	}
	res, err := analogy.Evaluate(ctx, e, secs, analogy.EvalOptions{Restrict: a.Restrict, Threads: o.Threads})
	if err != nil {
		return nil, err
	}
	base, err := onlyC(e, res, a.Restrict)
	if err != nil {
		return nil, err
	}
	a.Relations = make([]RelationScore, len(res.Sections))
	baseCorrect := make([]int, len(res.Sections))
	for i, s := range res.Sections {
		a.Relations[i] = RelationScore{Name: s.Name, Correct: s.Correct, Evaluated: s.Evaluated, Skipped: s.Skipped}
	}
	for qi, out := range res.Questions {
		if out.Status != analogy.Skipped && base[qi] {
			baseCorrect[out.Section]++
		}
	}
	a.Total.Name = "all"
	totalBase := 0
	for i := range a.Relations {
		r := &a.Relations[i]
		if r.Evaluated > 0 {
			r.Accuracy = float64(r.Correct) / float64(r.Evaluated)
			r.Baseline = float64(baseCorrect[i]) / float64(r.Evaluated)
		}
		a.Total.Correct += r.Correct
		a.Total.Evaluated += r.Evaluated
		a.Total.Skipped += r.Skipped
		totalBase += baseCorrect[i]
	}
	if a.Total.Evaluated > 0 {
		a.Total.Accuracy = float64(a.Total.Correct) / float64(a.Total.Evaluated)
		a.Total.Baseline = float64(totalBase) / float64(a.Total.Evaluated)
	}
	return a, nil
}

// onlyC answers every evaluated question with the nearest word to c that
// is not a, b or c (Linzen 2016: how much of an analogy's accuracy the
// arithmetic adds over plain similarity), and says which were right.
func onlyC(e *embed.Embeddings, res *analogy.Result, restrict int) ([]bool, error) {
	index := map[string]int{}
	var words []string
	for _, out := range res.Questions {
		if out.Status == analogy.Skipped {
			continue
		}
		c := strings.ToLower(out.Question.C)
		if _, ok := index[c]; !ok {
			index[c] = len(words)
			words = append(words, c)
		}
	}
	correct := make([]bool, len(res.Questions))
	if len(words) == 0 {
		return correct, nil
	}
	q := make([]float32, 0, len(words)*e.Dim())
	for _, w := range words {
		v, err := e.UnitVector(w)
		if err != nil {
			if errors.Is(err, embed.ErrUnknownWord) {
				// Evaluate compares case-insensitively; a c it found is
				// in the vocabulary in some case. Leave it out here.
				v = make([]float32, e.Dim())
			} else {
				return nil, err
			}
		}
		q = append(q, v...)
	}
	near, err := e.Nearest(q, 5, embed.QueryOptions{Restrict: restrict})
	if err != nil {
		return nil, err
	}
	for qi, out := range res.Questions {
		if out.Status == analogy.Skipped {
			continue
		}
		qq := out.Question
		for _, n := range near[index[strings.ToLower(qq.C)]] {
			if strings.EqualFold(n.Word, qq.A) || strings.EqualFold(n.Word, qq.B) || strings.EqualFold(n.Word, qq.C) {
				continue
			}
			for _, ans := range qq.Answers {
				if strings.EqualFold(n.Word, ans) {
					correct[qi] = true
				}
			}
			break
		}
	}
	return correct, nil
}

func (a *Arithmetic) verdict() (Verdict, string, string) {
	t := a.Total
	rule := "held if b − a + c beats the nearest-word-to-c baseline by at least 15 points over all questions, weakly by at least 5"
	if t.Evaluated == 0 {
		return NotSeen, "no question had all its words in the vocabulary", rule
	}
	solved, asked := 0, 0
	for _, ex := range a.Examples {
		if ex.Missing == "" {
			asked++
			if ex.Rank == 1 {
				solved++
			}
		}
	}
	nums := fmt.Sprintf("%.1f%% of %d questions right against %.1f%% for the baseline; %d of the explainer's %d examples asked solved", 100*t.Accuracy, t.Evaluated, 100*t.Baseline, solved, asked)
	switch d := t.Accuracy - t.Baseline; {
	case d >= 0.15:
		return Held, nums, rule
	case d >= 0.05:
		return HeldWeakly, nums, rule
	}
	return NotSeen, nums, rule
}

const arithmeticFigure = "2-analogies.png"

func (a *Arithmetic) section() *Section {
	sec := &Section{Title: "Vector arithmetic",
		Claim: "Relations between words are directions in the space, so that arithmetic on vectors answers analogies: biggest − big + small ≈ smallest, and the same for capitals, plurals and the rest."}
	sec.Verdict, sec.Because, sec.Rule = a.verdict()
	sec.Numbers = []float64{a.Total.Accuracy, a.Total.Baseline}
	for _, r := range a.Relations {
		sec.Numbers = append(sec.Numbers, r.Accuracy, r.Baseline)
	}
	sec.body = func(m *md) {
		m.p("The explainer's examples, answered with the word nearest to b − a + c among the %d most frequent words, leaving out a, b and c (3CosAdd, as word2vec and gensim do):\n\n", a.Restrict)
		m.p("| a : b :: c : ? | expected | rank | best answers (cosine) |\n|---|---|---|---|\n")
		for _, ex := range a.Examples {
			q := fmt.Sprintf("%s : %s :: %s : ?", ex.A, ex.B, ex.C)
			if ex.Missing != "" {
				m.p("| %s | %s | not asked: %s is not among the words | |\n", esc(q), esc(ex.Want), esc(ex.Missing))
				continue
			}
			rank := "not in the top 10"
			if ex.Rank > 0 {
				rank = fmt.Sprint(ex.Rank)
			}
			var parts []string
			for _, n := range ex.Answers {
				parts = append(parts, fmt.Sprintf("%s %.2f", n.Word, n.Score))
			}
			m.p("| %s | %s | %s | %s |\n", esc(q), esc(ex.Want), rank, esc(strings.Join(parts, ", ")))
		}
		src := "the built-in relations (every ordered pair of about twenty word pairs per relation)"
		if !a.BuiltIn {
			src = "the given questions"
		}
		m.p("\nAccuracy per relation on %s. The baseline answers with the word nearest to c alone, ignoring a and b (Linzen 2016): what similarity gives without arithmetic.\n\n", src)
		m.p("| relation | questions | 3CosAdd | nearest to c | skipped (word unknown) |\n|---|---|---|---|---|\n")
		for _, r := range append(append([]RelationScore(nil), a.Relations...), a.Total) {
			if r.Evaluated == 0 {
				m.p("| %s | 0 | n/a | n/a | %d |\n", esc(r.Name), r.Skipped)
				continue
			}
			m.p("| %s | %d | %.1f%% | %.1f%% | %d |\n", esc(r.Name), r.Evaluated, 100*r.Accuracy, 100*r.Baseline, r.Skipped)
		}
		m.p("\n![Accuracy per relation](%s)\n\n", arithmeticFigure)
	}
	sec.plots = []figure{{arithmeticFigure, a.plot}}
	return sec
}

func (a *Arithmetic) plot(path string) error {
	p := newPlot("Analogies by vector arithmetic, per relation", "", "accuracy (%)")
	var names []string
	var acc, base plotter.Values
	for _, r := range a.Relations {
		names = append(names, fmt.Sprintf("%s (%d)", r.Name, r.Evaluated))
		acc = append(acc, 100*r.Accuracy)
		base = append(base, 100*r.Baseline)
	}
	if len(names) == 0 {
		names, acc, base = []string{"none"}, plotter.Values{0}, plotter.Values{0}
	}
	w := vg.Points(14)
	b1, err := plotter.NewBarChart(acc, w)
	if err != nil {
		return err
	}
	b1.Color = colours[0]
	b1.Offset = -w / 2
	b2, err := plotter.NewBarChart(base, w)
	if err != nil {
		return err
	}
	b2.Color = colours[7]
	b2.Offset = w / 2
	p.Add(b1, b2, hGrid())
	p.Legend.Add("b − a + c (3CosAdd)", b1)
	p.Legend.Add("nearest word to c (baseline)", b2)
	p.Legend.Top = true
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.5
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	top := 10.0
	for i := range acc {
		top = max(top, acc[i], base[i])
	}
	p.Y.Min, p.Y.Max = 0, min(100, 1.35*top+5)
	p.Y.Tick.Marker = linearTicks{}
	return savePNG(p, 8*vg.Inch, 5.5*vg.Inch, path)
}
