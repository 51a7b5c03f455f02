package embed

import (
	"fmt"
	"math"

	"github.com/wordspace/wordspace/internal/f32"
	"github.com/wordspace/wordspace/internal/gemm"
	"github.com/wordspace/wordspace/internal/topk"
)

// Neighbor is one result of a similarity query: a word, its row index and
// its cosine similarity to the query.
type Neighbor struct {
	Word  string
	Index int
	Score float32
}

// A QueryOption changes how a nearest-neighbour query searches.
type QueryOption func(*queryConfig)

type queryConfig struct {
	restrict int
	exclude  []string
}

// Restrict limits the search to the first n words of the vocabulary (the
// most frequent ones in a frequency-sorted model), like gensim's
// restrict_vocab. n <= 0 means no limit.
func Restrict(n int) QueryOption { return func(c *queryConfig) { c.restrict = n } }

// Exclude removes the given words from the results. Words not in the
// vocabulary are ignored.
func Exclude(words ...string) QueryOption {
	return func(c *queryConfig) { c.exclude = append(c.exclude, words...) }
}

func (e *Embeddings) config(opts []QueryOption) queryConfig {
	var c queryConfig
	for _, o := range opts {
		o(&c)
	}
	if c.restrict <= 0 || c.restrict > e.Len() {
		c.restrict = e.Len()
	}
	return c
}

// Similarity returns the cosine similarity of words a and b.
func (e *Embeddings) Similarity(a, b string) (float32, error) {
	ia, ok := e.vocab.Index(a)
	if !ok {
		return 0, unknown(a)
	}
	ib, ok := e.vocab.Index(b)
	if !ok {
		return 0, unknown(b)
	}
	na, nb := e.Norms()[ia], e.Norms()[ib]
	if na == 0 || nb == 0 {
		return 0, nil
	}
	return f32.Dot(e.Row(ia), e.Row(ib)) / (na * nb), nil
}

// MostSimilar returns the k words closest to the mean of the unit vectors
// of positive minus those of negative, best first, as gensim's
// most_similar does: the query words themselves are never returned.
func (e *Embeddings) MostSimilar(positive, negative []string, k int, opts ...QueryOption) ([]Neighbor, error) {
	if len(positive)+len(negative) == 0 {
		return nil, fmt.Errorf("embed: most similar: %w", ErrEmptyQuery)
	}
	q := make([]float32, e.dim)
	unit := make([]float32, e.dim)
	for _, ws := range []struct {
		words  []string
		weight float32
	}{{positive, 1}, {negative, -1}} {
		for _, w := range ws.words {
			i, ok := e.vocab.Index(w)
			if !ok {
				return nil, unknown(w)
			}
			f32.Axpy(ws.weight, e.unitRow(i, unit), q)
		}
	}
	// Scaling by 1/(number of words) would not change any cosine.
	c := e.config(opts)
	c.exclude = append(c.exclude, positive...)
	c.exclude = append(c.exclude, negative...)
	return e.search(q, k, c), nil
}

// MostSimilarToVector returns the k words whose vectors have the highest
// cosine similarity with v, best first.
func (e *Embeddings) MostSimilarToVector(v []float32, k int, opts ...QueryOption) ([]Neighbor, error) {
	if err := e.checkQuery(v); err != nil {
		return nil, err
	}
	return e.search(v, k, e.config(opts)), nil
}

func (e *Embeddings) checkQuery(v []float32) error {
	if len(v) != e.dim {
		return fmt.Errorf("embed: query vector has length %d, want %d", len(v), e.dim)
	}
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("embed: query component %d is %v: %w", i, x, ErrNotFinite)
		}
	}
	return nil
}

// search scans the first c.restrict rows for the k best cosines with q,
// skipping excluded words.
func (e *Embeddings) search(q []float32, k int, c queryConfig) []Neighbor {
	if k <= 0 {
		return nil
	}
	qn := float32(f32.Norm(q))
	if qn == 0 {
		qn = 1
	}
	skip := make(map[int]bool, len(c.exclude))
	for _, w := range c.exclude {
		if i, ok := e.vocab.Index(w); ok {
			skip[i] = true
		}
	}
	norms := e.Norms()
	h := topk.New(k)
	for i := 0; i < c.restrict; i++ {
		if skip[i] {
			continue
		}
		var s float32
		if norms[i] > 0 {
			s = f32.Dot(q, e.Row(i)) / (norms[i] * qn)
		}
		h.Push(i, s)
	}
	return e.neighbors(h.Sorted(nil))
}

func (e *Embeddings) neighbors(items []topk.Item) []Neighbor {
	out := make([]Neighbor, len(items))
	for j, it := range items {
		out[j] = Neighbor{Word: e.vocab.Word(it.Index), Index: it.Index, Score: it.Score}
	}
	return out
}

// DoesntMatch returns the word of words that is furthest from the mean of
// their unit vectors, as gensim's doesnt_match does.
func (e *Embeddings) DoesntMatch(words []string) (string, error) {
	if len(words) == 0 {
		return "", fmt.Errorf("embed: doesn't match: %w", ErrEmptyQuery)
	}
	units := make([]float32, len(words)*e.dim)
	mean := make([]float32, e.dim)
	for j, w := range words {
		i, ok := e.vocab.Index(w)
		if !ok {
			return "", unknown(w)
		}
		f32.Axpy(1, e.unitRow(i, units[j*e.dim:(j+1)*e.dim]), mean)
	}
	best, bestScore := "", float32(math.Inf(1))
	for j, w := range words {
		if s := f32.Dot(units[j*e.dim:(j+1)*e.dim], mean); s < bestScore {
			best, bestScore = w, s
		}
	}
	return best, nil
}

// nearestBlock is the number of vocabulary rows multiplied against the
// queries at once: large enough for an efficient matrix product, small
// enough that the score block stays in cache.
const nearestBlock = 1024

// Nearest answers many queries at once: queries holds n vectors of length
// Dim() in row-major order, and the result holds, for each, its k nearest
// words by cosine similarity, best first. It multiplies blocks of the
// vocabulary against all queries, which is much faster than n separate
// MostSimilarToVector calls.
func (e *Embeddings) Nearest(queries []float32, k int, opts ...QueryOption) ([][]Neighbor, error) {
	if len(queries)%e.dim != 0 {
		return nil, fmt.Errorf("embed: nearest: %d query values is not a multiple of dimension %d", len(queries), e.dim)
	}
	n := len(queries) / e.dim
	for i := 0; i < n; i++ {
		if err := e.checkQuery(queries[i*e.dim : (i+1)*e.dim]); err != nil {
			return nil, fmt.Errorf("query %d: %w", i, err)
		}
	}
	if k <= 0 || n == 0 {
		return make([][]Neighbor, n), nil
	}
	c := e.config(opts)
	skip := make(map[int]bool, len(c.exclude))
	for _, w := range c.exclude {
		if i, ok := e.vocab.Index(w); ok {
			skip[i] = true
		}
	}
	q := make([]float32, len(queries))
	copy(q, queries)
	for i := 0; i < n; i++ {
		row := q[i*e.dim : (i+1)*e.dim]
		if qn := f32.Norm(row); qn > 0 {
			f32.Scale(float32(1/qn), row)
		}
	}
	norms := e.Norms()
	heaps := make([]*topk.Heap, n)
	for i := range heaps {
		heaps[i] = topk.New(k)
	}
	scores := make([]float32, n*nearestBlock)
	for start := 0; start < c.restrict; start += nearestBlock {
		b := min(nearestBlock, c.restrict-start)
		gemm.Sgemm(false, true, n, b, e.dim, 1, q, e.dim, e.data[start*e.dim:], e.dim, 0, scores, b)
		for i := 0; i < n; i++ {
			row := scores[i*b : (i+1)*b]
			for j, s := range row {
				if skip[start+j] {
					continue
				}
				if nj := norms[start+j]; nj > 0 {
					s /= nj
				} else {
					s = 0
				}
				heaps[i].Push(start+j, s)
			}
		}
	}
	out := make([][]Neighbor, n)
	for i, h := range heaps {
		out[i] = e.neighbors(h.Sorted(nil))
	}
	return out, nil
}
