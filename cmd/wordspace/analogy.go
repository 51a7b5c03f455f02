package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/subword"
)

func analogyCommand() command {
	return command{
		name:    "analogy",
		summary: "answer a:b :: c:? by vector arithmetic (3CosAdd, 3CosMul, PairDirection)",
		run:     runAnalogy,
	}
}

const analogySynopsis = `-model FILE [flags] A B C
       wordspace analogy -model FILE [flags] A:B::C
       wordspace analogy -model FILE [flags] < questions.txt

Answers "A is to B as C is to ?" and prints the best answers, one a line as
word<TAB>score, best first, after a "# A : B :: C : ?" line. The words come in
the analogy's order, as in word2vec's word-analogy tool: the answer is near
B - A + C. From a fastText .bin model, question words outside the vocabulary
get vectors from their character n-grams, and the "#" line names them. So

  wordspace analogy -model vec.bin man king woman      (man:king :: woman:?)

looks for queen, while "king man woman" asks king:man :: woman:? (the words
near man - king + woman). With no words, reads one question a line ("A B C"
or "A:B::C") from standard input, like word-analogy does.

Scores: 3CosAdd prints gensim's most_similar cosine, 3CosMul gensim's
most_similar_cosmul score, PairDirection cos(x - C, B - A).
`

func runAnalogy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("analogy", analogySynopsis, stderr)
	lf := addLoadFlags(fs, modelHelp)
	k := fs.Int("k", 10, "number of answers")
	method := fs.String("method", "add", "`method`: add (3CosAdd), mul (3CosMul) or pairdir (PairDirection)")
	restrict := fs.Int("restrict", 0, "search only the first `N` words of the vocabulary (0: all)")
	fold := fs.Bool("fold-case", false, "case-insensitive: look words up by upper-case form (first, most frequent spelling wins) and exclude every spelling of A, B and C")
	fs.alias("fold-case", "i")
	keep := fs.Bool("keep-question-words", false, "allow A, B and C themselves as answers (excluded by default, as in gensim and word2vec)")
	if err := fs.parse(args); err != nil {
		return err
	}
	m, err := analogy.ParseMethod(*method)
	if err != nil {
		return usagef(fs.cmd, "-method: %v", err)
	}
	if err := positive(fs, "k", *k); err != nil {
		return err
	}
	if err := notNegative(fs, "restrict", *restrict); err != nil {
		return err
	}
	var question []string
	if fs.NArg() > 0 {
		if question, err = parseQuestion(fs.Args()); err != nil {
			return usagef(fs.cmd, "%v", err)
		}
	}
	e, sub, err := lf.loadModel()
	if err != nil {
		return err
	}
	opts := analogy.Options{Method: m, K: *k, Restrict: *restrict, CaseSensitive: !*fold, KeepQuestionWords: *keep}
	return flushed(stdout, func(w *bufio.Writer) error {
		if question != nil {
			return answer(w, e, sub, question, opts)
		}
		// Interactive: one question a line; a bad question is reported and
		// the next one read.
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			if err := ctx.Err(); err != nil {
				return err
			}
			line := strings.TrimSpace(sc.Text())
			if line == "EXIT" {
				break
			}
			if line == "" {
				continue
			}
			q, err := parseQuestion(strings.Fields(line))
			if err == nil {
				err = answer(w, e, sub, q, opts)
			}
			if err != nil {
				if !errors.Is(err, embed.ErrUnknownWord) && !errors.Is(err, errQuestion) && !errors.Is(err, analogy.ErrZeroVector) {
					return err
				}
				fmt.Fprintf(w, "# %s: %v\n", line, err)
			}
			if err := w.Flush(); err != nil {
				return err
			}
		}
		return sc.Err()
	})
}

var errQuestion = errors.New("want three words A B C, or A:B::C")

// parseQuestion accepts "A B C" or "A:B::C" (also "A:B::C:?").
func parseQuestion(args []string) ([]string, error) {
	if len(args) == 3 {
		return args, nil
	}
	if len(args) == 1 {
		lhs, rhs, ok := strings.Cut(args[0], "::")
		a, b, ok2 := strings.Cut(lhs, ":")
		c, _, _ := strings.Cut(rhs, ":")
		if ok && ok2 && a != "" && b != "" && c != "" {
			return []string{a, b, c}, nil
		}
	}
	return nil, fmt.Errorf("%q: %w", strings.Join(args, " "), errQuestion)
}

// answer solves one question. With a subword model, question words
// outside the vocabulary get vectors from their n-grams, and the header
// line names them.
func answer(w io.Writer, e *embed.Embeddings, sub *subword.Model, q []string, opts analogy.Options) error {
	var added []string
	if sub != nil {
		ext, a, err := sub.EmbeddingsWith(q)
		if err != nil {
			return err
		}
		e, added = ext, a
	}
	res, err := analogy.Solve(e, q[0], q[1], q[2], opts)
	if err != nil {
		return err
	}
	note := ""
	if len(added) > 0 {
		note = fmt.Sprintf("; n-grams only: %s", strings.Join(added, " "))
	}
	fmt.Fprintf(w, "# %s : %s :: %s : ?  (%v%s)\n", q[0], q[1], q[2], opts.Method, note)
	for _, n := range res {
		fmt.Fprintf(w, "%s\t%.6f\n", n.Word, n.Score)
	}
	return nil
}
