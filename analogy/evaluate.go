package analogy

import (
	"context"
	"fmt"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/topk"
)

// EvalOptions controls Evaluate. The zero value gives gensim 4.2's
// evaluate_word_analogies (3CosAdd, case-insensitive, question words
// excluded, questions with unknown words skipped) over the whole
// vocabulary; gensim's own default is Restrict: DefaultRestrict.
type EvalOptions struct {
	Method Method
	// Restrict limits the vocabulary to its first Restrict words (the most
	// frequent, in a frequency-sorted model): questions with another word
	// are skipped and answers are searched among these words only. 0 means
	// all of it; gensim's default is DefaultRestrict.
	Restrict int
	// CaseSensitive compares words exactly. By default words are compared
	// by their upper-case forms and each form stands for its first
	// spelling in the vocabulary, as in gensim and word2vec's
	// compute-accuracy.
	CaseSensitive bool
	// KeepQuestionWords lets a, b and c themselves be the answer
	// (Nissim et al. 2019); by default they are excluded.
	KeepQuestionWords bool
	// OOVAsWrong counts a question with an unknown word as answered wrong
	// instead of skipping it (gensim's dummy4unknown).
	OOVAsWrong bool
	// Threads is the number of goroutines; 0 means GOMAXPROCS.
	Threads int
	// Progress, when set, is called after each vocabulary block with the
	// number of vocabulary words scanned so far and the total.
	Progress func(Progress)
}

// Progress reports how far Evaluate has come: Done of Total vocabulary
// words scanned, as every wordspace Progress counts its job's unit of
// work.
type Progress struct {
	Done, Total int64
}

// Score counts the questions of a section, a group of sections or a whole
// benchmark.
type Score struct {
	Correct   int // answered correctly
	Evaluated int // answered, correctly or not
	Skipped   int // not answered because a word is outside the vocabulary
}

// Accuracy returns Correct/Evaluated and true, or 0 and false when no
// question was evaluated and the accuracy is undefined.
func (s Score) Accuracy() (float64, bool) {
	if s.Evaluated == 0 {
		return 0, false
	}
	return float64(s.Correct) / float64(s.Evaluated), true
}

// String writes the score as "34.18% (3304/9668, 9876 skipped)", or with
// "n/a" for an undefined accuracy.
func (s Score) String() string {
	acc := "n/a"
	if a, ok := s.Accuracy(); ok {
		acc = fmt.Sprintf("%.2f%%", 100*a)
	}
	return fmt.Sprintf("%s (%d/%d, %d skipped)", acc, s.Correct, s.Evaluated, s.Skipped)
}

func (s *Score) add(o Score) {
	s.Correct += o.Correct
	s.Evaluated += o.Evaluated
	s.Skipped += o.Skipped
}

// SectionScore is the score of one section.
type SectionScore struct {
	Name      string
	Syntactic bool
	Score
}

// Status is what became of one question.
type Status int

const (
	Skipped Status = iota // a word is outside the vocabulary
	Wrong
	Correct
)

func (s Status) String() string {
	switch s {
	case Correct:
		return "correct"
	case Wrong:
		return "wrong"
	}
	return "skipped"
}

// Outcome is the result of one question.
type Outcome struct {
	Section  int // index into Result.Sections
	Question Question
	Status   Status
	// Predicted is the word chosen as the answer, as spelled in the
	// vocabulary; empty when the question was skipped or no word could
	// be scored.
	Predicted string
}

// Result is the outcome of Evaluate.
type Result struct {
	Method   Method
	Restrict int // words searched: the restriction, capped at the vocabulary size
	Sections []SectionScore
	// Semantic, Syntactic and Total add up the sections of each kind and
	// all of them.
	Semantic, Syntactic, Total Score
	// OOV counts the questions with a word outside the vocabulary (skipped,
	// or counted wrong with OOVAsWrong).
	OOV int
	// Questions holds every question's outcome, in input order.
	Questions []Outcome
}

// Evaluate answers every question of sections and scores the answers,
// with the semantics of gensim 4.2's evaluate_word_analogies (see
// EvalOptions). A question counts as correct when the best-scoring word,
// leaving out the question words, has the same (upper-case) form as the
// answer; exactly like gensim, case variants of the question words are
// passed over among the five best words. All questions are answered in
// one batch: see the package documentation.
func Evaluate(ctx context.Context, emb *embed.Embeddings, sections []Section, opts EvalOptions) (*Result, error) {
	if err := opts.Method.check(); err != nil {
		return nil, err
	}
	if opts.Restrict < 0 {
		return nil, fmt.Errorf("analogy: negative restriction %d", opts.Restrict)
	}
	n := restrictOrAll(opts.Restrict, emb.Len())
	lex := newLexicon(emb, n, !opts.CaseSensitive)
	res := &Result{Method: opts.Method, Restrict: n, Sections: make([]SectionScore, len(sections))}

	// Resolve the questions; collect the distinct words.
	var tasks []task
	var taskOut []int // outcome index of each task
	rowOf := map[int]int{}
	var rows []int
	row := func(i int) int {
		r, ok := rowOf[i]
		if !ok {
			r = len(rows)
			rowOf[i] = r
			rows = append(rows, i)
		}
		return r
	}
	for si, sec := range sections {
		res.Sections[si] = SectionScore{Name: sec.Name, Syntactic: sec.Syntactic}
		for _, q := range sec.Questions {
			out := Outcome{Section: si, Question: q, Status: Skipped}
			a, oka := lex.lookup(q.A)
			b, okb := lex.lookup(q.B)
			c, okc := lex.lookup(q.C)
			okd := false
			for _, w := range q.Answers {
				if _, ok := lex.lookup(w); ok {
					okd = true
					break
				}
			}
			if !oka || !okb || !okc || !okd {
				res.OOV++
				if opts.OOVAsWrong {
					out.Status = Wrong
				}
			} else {
				out.Status = Wrong // until proven right
				tasks = append(tasks, task{a: a, b: b, c: c, ra: row(a), rb: row(b), rc: row(c)})
				taskOut = append(taskOut, len(res.Questions))
			}
			res.Questions = append(res.Questions, out)
		}
	}

	if len(tasks) > 0 {
		workers := defaultThreads(opts.Threads)
		eng := &engine{emb: emb, n: n, method: opts.Method, workers: workers}
		keep := 1
		if !opts.KeepQuestionWords {
			keep = gensimTopN + 3
		}
		heaps, err := eng.candidates(ctx, tasks, rows, keep+candidateMargin, opts.Progress)
		if err != nil {
			return nil, err
		}
		norms := make([]float32, n)
		parallel(workers, n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				norms[i] = npNorm(emb.Row(i))
			}
		})
		norm := func(i int) float32 { return norms[i] }
		parallel(workers, len(tasks), func(lo, hi int) {
			sc := newScorer(emb, opts.Method, norm)
			var items []topk.Item
			for i := lo; i < hi; i++ {
				if i%256 == 0 && ctx.Err() != nil {
					return
				}
				t := tasks[i]
				out := &res.Questions[taskOut[i]]
				if !sc.setQuestion(t.a, t.b, t.c) {
					continue // a zero vector: wrong, nothing predicted
				}
				items = sc.rank(heaps[i].Sorted(items[:0]))
				pred := pick(items, t, lex, out.Question, opts.KeepQuestionWords)
				if pred < 0 {
					continue
				}
				out.Predicted = emb.Vocab().Word(pred)
				pk := lex.key(out.Predicted)
				for _, w := range out.Question.Answers {
					if lex.key(w) == pk {
						out.Status = Correct
						break
					}
				}
			}
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}

	for _, out := range res.Questions {
		s := &res.Sections[out.Section].Score
		switch out.Status {
		case Skipped:
			s.Skipped++
		case Wrong:
			s.Evaluated++
		case Correct:
			s.Evaluated++
			s.Correct++
		}
	}
	for _, s := range res.Sections {
		res.Total.add(s.Score)
		if s.Syntactic {
			res.Syntactic.add(s.Score)
		} else {
			res.Semantic.add(s.Score)
		}
	}
	return res, nil
}

// gensimTopN is how many words gensim's evaluate_word_analogies asks
// most_similar for; it answers with the first of them that is not a case
// variant of a question word, or with the last when all of them are.
const gensimTopN = 5

// pick chooses the answer from exactly ranked candidates, as gensim does:
// drop the question words' own rows, take the five best, and return the
// first whose form differs from every question word's (or the fifth).
// With keep, the best word wins whatever it is.
func pick(items []topk.Item, t task, lex *lexicon, q Question, keep bool) int {
	if keep {
		if len(items) == 0 {
			return -1
		}
		return items[0].Index
	}
	ka, kb, kc := lex.key(q.A), lex.key(q.B), lex.key(q.C)
	pred, seen := -1, 0
	for _, it := range items {
		x := it.Index
		if x == t.a || x == t.b || x == t.c {
			continue
		}
		pred = x
		seen++
		k := lex.key(lex.vocab.Word(x))
		if k != ka && k != kb && k != kc {
			break
		}
		if seen == gensimTopN {
			break
		}
	}
	return pred
}
