package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/subword"
)

func evalCommand() command {
	return command{
		name:    "eval",
		summary: "score vectors on analogy (Google, MSR, BATS) and word-similarity benchmarks",
		run:     runEval,
	}
}

const evalSynopsis = `-model FILE [-analogies FILE|DIR] [-similarity FILE] [flags]

Scores word vectors with gensim 4.2's semantics. -analogies takes the Google
format (questions-words.txt), the MSR set (one "a b c d" question a line,
X.questions with X.answers beside it, or vecto's CSV), a BATS directory or a
single BATS relation file; it prints a per-section table and the semantic,
syntactic and total accuracy. Questions with a word outside the first
-restrict words are skipped and counted; accuracy over no question prints as
n/a (null in JSON). -similarity takes WordSim-353, SimLex-999 or MEN and
prints Spearman's and Pearson's correlation of cosine similarity with the
human scores. With -subwords and a fastText .bin model, benchmark words
outside the vocabulary get vectors from their character n-grams instead of
being skipped; the output says how many questions and pairs used them.

With -json the output is one JSON object:
  {"model", "words", "dim",
   "analogy": {"file", "method", "restrict", "correct", "evaluated", "skipped",
               "oov", "accuracy" (percent or null), "semantic", "syntactic",
               "sections": [{"name", "syntactic", "correct", "evaluated",
                             "skipped", "accuracy"}], "seconds"},
   "pairs": {"file", "restrict", "spearman", "pearson", "used", "total", "oov",
             "error" (when no correlation is defined)}}
`

type jsonScore struct {
	Correct   int      `json:"correct"`
	Evaluated int      `json:"evaluated"`
	Skipped   int      `json:"skipped"`
	Accuracy  *float64 `json:"accuracy"` // percent; null when undefined
}

func newJSONScore(s analogy.Score) jsonScore {
	j := jsonScore{Correct: s.Correct, Evaluated: s.Evaluated, Skipped: s.Skipped}
	if a, ok := s.Accuracy(); ok {
		a *= 100
		j.Accuracy = &a
	}
	return j
}

type jsonSection struct {
	Name      string `json:"name"`
	Syntactic bool   `json:"syntactic"`
	jsonScore
}

type jsonAnalogy struct {
	File     string `json:"file"`
	Method   string `json:"method"`
	Restrict int    `json:"restrict"`
	jsonScore
	OOV       int           `json:"oov"`
	Semantic  jsonScore     `json:"semantic"`
	Syntactic jsonScore     `json:"syntactic"`
	Sections  []jsonSection `json:"sections"`
	Seconds   float64       `json:"seconds"`
	// With -subwords: questions with a word outside the vocabulary, which
	// used vectors from n-grams only, and how many of them were right.
	NgramQuestions int `json:"ngram_questions,omitempty"`
	NgramCorrect   int `json:"ngram_correct,omitempty"`
}

type jsonPairs struct {
	File     string   `json:"file"`
	Restrict int      `json:"restrict"`
	Spearman *float64 `json:"spearman"`
	Pearson  *float64 `json:"pearson"`
	Used     int      `json:"used"`
	Total    int      `json:"total"`
	OOV      int      `json:"oov"`
	Error    string   `json:"error,omitempty"`
	// With -subwords: pairs with a word outside the vocabulary.
	NgramPairs int `json:"ngram_pairs,omitempty"`
}

type jsonEval struct {
	Model   string       `json:"model"`
	Words   int          `json:"words"`
	Dim     int          `json:"dim"`
	Analogy *jsonAnalogy `json:"analogy,omitempty"`
	Pairs   *jsonPairs   `json:"pairs,omitempty"`
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", evalSynopsis, stderr)
	lf := addLoadFlags(fs, modelHelp)
	subwords := fs.Bool("subwords", false, "with a fastText .bin model: give words outside the vocabulary vectors from their character n-grams (they become candidate answers too) instead of skipping their questions and pairs")
	analogies := fs.String("analogies", "", "analogy benchmark: Google or MSR `file` (questions-words form or vecto's CSV), a BATS directory or relation file")
	pairsFile := fs.String("similarity", "", "word-similarity `file` (WordSim-353, SimLex-999, MEN)")
	fs.alias("similarity", "pairs")
	restrict := fs.Int("restrict", analogy.DefaultRestrict, "use only the first `N` words for the analogies (0: all)")
	pairsRestrict := fs.Int("similarity-restrict", analogy.DefaultRestrict, "use only the first `N` words for the word pairs (0: all)")
	fs.alias("similarity-restrict", "pairs-restrict")
	method := fs.String("method", "add", "analogy `method`: add (3CosAdd), mul (3CosMul) or pairdir (PairDirection)")
	caseSensitive := fs.Bool("case-sensitive", false, "compare words exactly (default: by upper-case form, first spelling wins, as gensim)")
	keep := fs.Bool("keep-question-words", false, "allow the question words a, b, c as answers (Nissim et al. 2019)")
	oovWrong := fs.Bool("oov-wrong", false, "count questions and pairs with unknown words as wrong / similarity 0 instead of skipping them (gensim's dummy4unknown)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of tables")
	details := fs.String("details", "", "write every question's outcome to `file` (TSV: section, a, b, c, answers, status, predicted)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if *analogies == "" && *pairsFile == "" {
		return usagef(fs.cmd, "give -analogies, -similarity or both")
	}
	if _, err := lf.check(); err != nil {
		return err
	}
	if *subwords {
		if isModel, err := subword.IsModel(*lf.model); err != nil {
			return err
		} else if !isModel {
			return usagef(fs.cmd, "-subwords needs a fastText .bin model (from fastText or \"wordspace train -save-model\"), and %s is not one", *lf.model)
		}
	}
	m, err := analogy.ParseMethod(*method)
	if err != nil {
		return usagef(fs.cmd, "-method: %v", err)
	}
	if err := notNegative(fs, "restrict", *restrict); err != nil {
		return err
	}
	if err := notNegative(fs, "similarity-restrict", *pairsRestrict); err != nil {
		return err
	}
	if *details != "" && *analogies == "" {
		return usagef(fs.cmd, "-details needs -analogies")
	}
	if err := checkOutputs(fs.cmd, []file{lf.input(), {flag: "analogies", path: *analogies}, {flag: "similarity", path: *pairsFile}},
		file{flag: "details", path: *details}); err != nil {
		return err
	}
	// Read the benchmarks before the (slow) model, so that a typo fails fast.
	var secs []analogy.Section
	if *analogies != "" {
		if secs, err = analogy.LoadQuestions(*analogies); err != nil {
			return err
		}
	}
	var pairs []analogy.Pair
	if *pairsFile != "" {
		if pairs, err = analogy.LoadPairs(*pairsFile); err != nil {
			return err
		}
	}
	e, sub, err := lf.loadModel()
	if err != nil {
		return err
	}
	var added map[string]bool
	if *subwords {
		if e, added, err = withUnseen(e, sub, secs, pairs, *restrict, *pairsRestrict, *caseSensitive); err != nil {
			return err
		}
	}
	out := jsonEval{Model: *lf.model, Words: e.Len(), Dim: e.Dim()}
	var res *analogy.Result
	if secs != nil {
		start := time.Now()
		res, err = analogy.Evaluate(ctx, e, secs, analogy.EvalOptions{
			Method: m, Restrict: *restrict, CaseSensitive: *caseSensitive,
			KeepQuestionWords: *keep, OOVAsWrong: *oovWrong,
		})
		if err != nil {
			return err
		}
		ja := &jsonAnalogy{File: *analogies, Method: m.String(), Restrict: res.Restrict,
			jsonScore: newJSONScore(res.Total), OOV: res.OOV,
			Semantic: newJSONScore(res.Semantic), Syntactic: newJSONScore(res.Syntactic),
			Seconds: time.Since(start).Seconds()}
		for _, s := range res.Sections {
			ja.Sections = append(ja.Sections, jsonSection{Name: s.Name, Syntactic: s.Syntactic, jsonScore: newJSONScore(s.Score)})
		}
		for _, o := range res.Questions {
			if q := o.Question; added[q.A] || added[q.B] || added[q.C] || slices.ContainsFunc(q.Answers, func(w string) bool { return added[w] }) {
				ja.NgramQuestions++
				if o.Status == analogy.Correct {
					ja.NgramCorrect++
				}
			}
		}
		out.Analogy = ja
		if *details != "" {
			if err := writeDetails(ctx, *details, res); err != nil {
				return err
			}
		}
	}
	if pairs != nil {
		pr, err := analogy.EvaluatePairs(e, pairs, analogy.PairOptions{
			Restrict: *pairsRestrict, CaseSensitive: *caseSensitive, OOVAsWrong: *oovWrong,
		})
		jp := &jsonPairs{File: *pairsFile, Restrict: pr.Restrict, Used: pr.Used, Total: pr.Total, OOV: pr.OOV}
		for _, p := range pairs {
			if added[p.A] || added[p.B] {
				jp.NgramPairs++
			}
		}
		switch {
		case err == nil:
			jp.Spearman, jp.Pearson = &pr.Spearman, &pr.Pearson
		case errors.Is(err, analogy.ErrNoPairs) || errors.Is(err, analogy.ErrUndefined):
			jp.Error = err.Error()
		default:
			return err
		}
		out.Pairs = jp
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(out)
	}
	return printEval(stdout, &out)
}

func pct(s jsonScore) string {
	if s.Accuracy == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.2f%%", *s.Accuracy)
}

func printEval(stdout io.Writer, out *jsonEval) error {
	w := bufio.NewWriter(stdout)
	fmt.Fprintf(w, "model %s: %d words, dimension %d\n", out.Model, out.Words, out.Dim)
	var summary []string
	if a := out.Analogy; a != nil {
		fmt.Fprintf(w, "\nanalogies %s: %s, first %d words\n", a.File, a.Method, a.Restrict)
		width := len("syntactic")
		for _, s := range a.Sections {
			width = max(width, len(s.Name))
		}
		row := func(name string, s jsonScore) {
			fmt.Fprintf(w, "%-*s %8d %10d %8d %9s\n", width, name, s.Correct, s.Evaluated, s.Skipped, pct(s))
		}
		fmt.Fprintf(w, "%-*s %8s %10s %8s %9s\n", width, "section", "correct", "evaluated", "skipped", "accuracy")
		for _, s := range a.Sections {
			row(s.Name, s.jsonScore)
		}
		fmt.Fprintln(w)
		row("semantic", a.Semantic)
		row("syntactic", a.Syntactic)
		row("total", a.jsonScore)
		if a.NgramQuestions > 0 {
			fmt.Fprintf(w, "n-grams only: %d questions had a word outside the vocabulary, %d of them answered right\n", a.NgramQuestions, a.NgramCorrect)
		}
		summary = append(summary, fmt.Sprintf("analogy %s %s (%d/%d, %d skipped)", a.Method, pct(a.jsonScore), a.Correct, a.Evaluated, a.Skipped))
	}
	if p := out.Pairs; p != nil {
		fmt.Fprintf(w, "\npairs %s: first %d words\n", p.File, p.Restrict)
		if p.Error != "" {
			fmt.Fprintf(w, "  no correlation: %s\n", p.Error)
			summary = append(summary, fmt.Sprintf("pairs Spearman n/a (%d/%d)", p.Used, p.Total))
		} else {
			fmt.Fprintf(w, "  Spearman %.4f  Pearson %.4f  %d of %d pairs used, %d with unknown words\n", *p.Spearman, *p.Pearson, p.Used, p.Total, p.OOV)
			if p.NgramPairs > 0 {
				fmt.Fprintf(w, "  n-grams only: %d pairs had a word outside the vocabulary\n", p.NgramPairs)
			}
			summary = append(summary, fmt.Sprintf("pairs Spearman %.4f (%d/%d)", *p.Spearman, p.Used, p.Total))
		}
	}
	fmt.Fprintf(w, "\nsummary: %s\n", strings.Join(summary, ", "))
	return w.Flush()
}

func writeDetails(ctx context.Context, path string, res *analogy.Result) error {
	return writeOutput(ctx, path, nil, func(f io.Writer) error {
		w := bufio.NewWriter(f)
		fmt.Fprintln(w, "section\ta\tb\tc\tanswers\tstatus\tpredicted")
		for _, o := range res.Questions {
			q := o.Question
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%v\t%s\n", res.Sections[o.Section].Name, q.A, q.B, q.C,
				strings.Join(q.Answers, "/"), o.Status, o.Predicted)
		}
		return w.Flush()
	})
}

// withUnseen returns e with vectors for the benchmark words outside its
// vocabulary, from sub's n-grams, appended after the vocabulary's, and
// the words added. The restrictions must cover the whole vocabulary, or
// the added words would fall outside them. Without caseSensitive, a word
// the evaluator finds in another case ("Athens" as "athens") is not
// added.
func withUnseen(e *embed.Embeddings, sub *subword.Model, secs []analogy.Section, pairs []analogy.Pair, restrict, pairsRestrict int, caseSensitive bool) (*embed.Embeddings, map[string]bool, error) {
	if sub == nil {
		return nil, nil, errors.New("-subwords needs a fastText .bin model (from fastText or \"wordspace train -save-model\")")
	}
	for _, r := range []int{restrict, pairsRestrict} {
		if r > 0 && r < e.Len() {
			return nil, nil, fmt.Errorf("-subwords with a restriction to %d of the model's %d words: words from n-grams come after the vocabulary; use -restrict 0 -similarity-restrict 0", r, e.Len())
		}
	}
	var upper map[string]bool
	if !caseSensitive {
		upper = make(map[string]bool, e.Len())
		for _, w := range e.Vocab().Words() {
			upper[strings.ToUpper(w)] = true
		}
	}
	var words []string
	add := func(ws ...string) {
		for _, w := range ws {
			if !upper[strings.ToUpper(w)] {
				words = append(words, w)
			}
		}
	}
	for _, s := range secs {
		for _, q := range s.Questions {
			add(q.A, q.B, q.C)
			add(q.Answers...)
		}
	}
	for _, p := range pairs {
		add(p.A, p.B)
	}
	ext, added, err := sub.EmbeddingsWith(words)
	if err != nil {
		return nil, nil, err
	}
	set := map[string]bool{}
	for _, w := range added {
		set[w] = true
	}
	return ext, set, nil
}
