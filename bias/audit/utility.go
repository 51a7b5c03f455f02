package audit

import (
	"context"
	"fmt"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/embed"
)

// BenchmarkUtility returns a function for Options.Utility that measures
// the vectors on two benchmarks as gensim does: 3CosAdd accuracy on the
// analogy questions among the restrict most frequent words (0: all), and the
// Spearman correlation of cosine similarity with the word pairs' scores
// (among the first analogy.DefaultRestrict words, gensim's default). An
// accuracy over no question is an error, so that a before/after table
// never compares nothing.
func BenchmarkUtility(questions []analogy.Section, pairs []analogy.Pair, restrict int) func(context.Context, *embed.Embeddings) (*Utility, error) {
	return func(ctx context.Context, e *embed.Embeddings) (*Utility, error) {
		res, err := analogy.Evaluate(ctx, e, questions, analogy.EvalOptions{Restrict: restrict})
		if err != nil {
			return nil, err
		}
		acc, ok := res.Total.Accuracy()
		if !ok {
			if restrict == 0 {
				return nil, fmt.Errorf("audit: no analogy question has all its words in the vocabulary")
			}
			return nil, fmt.Errorf("audit: no analogy question has all its words among the %d most frequent", restrict)
		}
		ws, err := analogy.EvaluatePairs(e, pairs, analogy.PairOptions{Restrict: analogy.DefaultRestrict})
		if err != nil {
			return nil, err
		}
		return &Utility{Analogy: acc, Questions: res.Total.Evaluated, WordSim: ws.Spearman, Pairs: ws.Used}, nil
	}
}

// LoadUtility reads an analogy benchmark (Google, MSR or BATS, as
// analogy.LoadQuestions reads) and a word-pair benchmark (WordSim-353,
// SimLex-999 or MEN) and returns BenchmarkUtility for them.
func LoadUtility(questions, pairs string, restrict int) (func(context.Context, *embed.Embeddings) (*Utility, error), error) {
	if restrict < 0 {
		return nil, fmt.Errorf("audit: restriction %d: must not be negative (0: all words)", restrict)
	}
	sections, err := analogy.LoadQuestions(questions)
	if err != nil {
		return nil, err
	}
	p, err := analogy.LoadPairs(pairs)
	if err != nil {
		return nil, err
	}
	return BenchmarkUtility(sections, p, restrict), nil
}
