package analogy

import (
	"context"
	"errors"
	"fmt"

	"github.com/wordspace/wordspace/embed"
)

// Options controls Solve. The zero value means 3CosAdd, ten answers, the
// whole vocabulary, words looked up by their upper-case form, question
// words excluded; with CaseSensitive set it is gensim's most_similar.
//
// Options, EvalOptions and PairOptions share their fields' names and
// meanings: Restrict 0 is every word, CaseSensitive false folds case,
// KeepQuestionWords and OOVAsWrong are off.
type Options struct {
	Method Method
	// K is the number of answers returned; 0 means 10.
	K int
	// Restrict searches only the first Restrict words (the most frequent,
	// in a frequency-sorted model); the question words must be among them.
	// 0 means the whole vocabulary.
	Restrict int
	// CaseSensitive looks the question words up exactly, as gensim's
	// most_similar does. By default each is looked up by its upper-case
	// form, which stands for the first (most frequent) spelling, and every
	// spelling of the question words is excluded from the answers.
	CaseSensitive bool
	// KeepQuestionWords lets a, b and c themselves be answers (Nissim et
	// al. 2019); by default they are excluded.
	KeepQuestionWords bool
}

// ErrZeroVector is returned when a question word's vector is all zeros, so
// that no cosine with it is defined; such an error matches ErrUndefined
// too.
var ErrZeroVector = errors.New("zero vector")

// Solve answers "a is to b as c is to ?" and returns the K best answers,
// best first, with their scores: for 3CosAdd the cosine with the
// normalised mean of b, c and -a that gensim's most_similar(positive=[b,
// c], negative=[a]) reports, for 3CosMul gensim's most_similar_cosmul
// score, for PairDirection cos(x-c, b-a). Unknown words give an error
// matching embed.ErrUnknownWord.
func Solve(emb *embed.Embeddings, a, b, c string, opts Options) ([]embed.Neighbor, error) {
	if err := opts.Method.check(); err != nil {
		return nil, err
	}
	if opts.K < 0 || opts.Restrict < 0 {
		return nil, fmt.Errorf("analogy: negative K (%d) or restriction (%d)", opts.K, opts.Restrict)
	}
	k := opts.K
	if k == 0 {
		k = 10
	}
	n := emb.Len()
	if opts.Restrict > 0 {
		n = min(n, opts.Restrict)
	}
	lex := &lexicon{vocab: emb.Vocab(), n: n, fold: !opts.CaseSensitive}
	var idx [3]int
	for j, w := range [3]string{a, b, c} {
		i, ok := scanLookup(emb.Vocab(), n, w, !opts.CaseSensitive)
		if !ok {
			return nil, lex.unknown(w)
		}
		if npNorm(emb.Row(i)) == 0 {
			return nil, fmt.Errorf("analogy: %q: %w (%w)", emb.Vocab().Word(i), ErrZeroVector, ErrUndefined)
		}
		idx[j] = i
	}
	excluded := map[int]bool{}
	if !opts.KeepQuestionWords {
		for j, w := range [3]string{a, b, c} {
			excluded[idx[j]] = true
			if !opts.CaseSensitive {
				for _, v := range variants(emb.Vocab(), n, upper(w)) {
					excluded[v] = true
				}
			}
		}
	}
	var rows []int
	rowOf := map[int]int{}
	for _, i := range idx {
		if _, ok := rowOf[i]; !ok {
			rowOf[i] = len(rows)
			rows = append(rows, i)
		}
	}
	t := task{a: idx[0], b: idx[1], c: idx[2], ra: rowOf[idx[0]], rb: rowOf[idx[1]], rc: rowOf[idx[2]]}
	eng := &engine{emb: emb, n: n, method: opts.Method, workers: 1}
	heaps, err := eng.candidates(context.Background(), []task{t}, rows, k+len(excluded)+candidateMargin, nil)
	if err != nil {
		return nil, err
	}
	sc := newScorer(emb, opts.Method, func(i int) float32 { return npNorm(emb.Row(i)) })
	sc.setQuestion(t.a, t.b, t.c)
	items := sc.rank(heaps[0].Sorted(nil))
	out := make([]embed.Neighbor, 0, k)
	for _, it := range items {
		if excluded[it.Index] || len(out) == k {
			continue
		}
		out = append(out, embed.Neighbor{Word: emb.Vocab().Word(it.Index), Index: it.Index, Score: it.Score})
	}
	return out, nil
}
