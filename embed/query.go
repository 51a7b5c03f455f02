package embed

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

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

// QueryOptions controls a nearest-neighbour query. The zero value searches
// the whole vocabulary and excludes nothing (but a query's own words,
// where it has any).
type QueryOptions struct {
	// Restrict limits the search to the first Restrict words of the
	// vocabulary (the most frequent ones in a frequency-sorted model), like
	// gensim's restrict_vocab. 0 (or less) means no limit.
	Restrict int
	// Exclude removes these words from the results. Words not in the
	// vocabulary are ignored.
	Exclude []string
	// Index, if not nil, answers MostSimilar, MostSimilarToVector and
	// Nearest instead of a comparison of the query with every row: much
	// faster on a large vocabulary, and approximate (the analogy
	// evaluation never uses one, so its results stay those of gensim).
	// Excluded words are skipped by the index, so a query still gets k
	// answers. With Restrict to fewer than half of the rows, scanning
	// those rows exactly is about as fast, and that is what the query
	// does. nil means the exact scan.
	Index Searcher
}

// queryConfig is QueryOptions resolved for one vocabulary.
type queryConfig struct {
	restrict int
	exclude  []string
	index    Searcher
}

// A Searcher finds the rows of an Embeddings nearest to a vector without
// comparing it with every row, and so approximately: package ann's HNSW
// graph is one. It must have been built over the same Embeddings.
type Searcher interface {
	// Search returns the k rows with the highest cosine similarity to
	// q, best first, leaving out the rows for which skip (if not nil)
	// returns true. It returns k rows whenever k rows are not skipped.
	Search(q []float32, k int, skip func(row int) bool) ([]Neighbor, error)
}

func (e *Embeddings) config(opts QueryOptions) queryConfig {
	c := queryConfig{restrict: opts.Restrict, exclude: opts.Exclude, index: opts.Index}
	if c.restrict <= 0 || c.restrict > e.Len() {
		c.restrict = e.Len()
	}
	return c
}

// Cosine returns the cosine of the angle between vectors x and y, which
// must have the same length, accumulated in float64; 0 if either is zero.
// It is the similarity of any two vectors, such as a model's hidden
// states, where Similarity takes two words of the vocabulary.
func Cosine(x, y []float32) float64 {
	xx, yy := f32.Dot64(x, x), f32.Dot64(y, y)
	if xx == 0 || yy == 0 {
		return 0
	}
	return f32.Dot64(x, y) / math.Sqrt(xx*yy)
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
func (e *Embeddings) MostSimilar(positive, negative []string, k int, opts QueryOptions) ([]Neighbor, error) {
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
	c.exclude = append(slices.Clip(c.exclude), positive...)
	c.exclude = append(c.exclude, negative...)
	if c.useIndex(e) {
		return e.searchIndex(q, k, c)
	}
	return e.search(q, k, c), nil
}

// MostSimilarToVector returns the k words whose vectors have the highest
// cosine similarity with v, best first.
func (e *Embeddings) MostSimilarToVector(v []float32, k int, opts QueryOptions) ([]Neighbor, error) {
	if err := e.checkQuery(v); err != nil {
		return nil, err
	}
	c := e.config(opts)
	if c.useIndex(e) {
		return e.searchIndex(v, k, c)
	}
	return e.search(v, k, c), nil
}

// useIndex reports whether a query should go to the index rather than
// scan the rows.
func (c queryConfig) useIndex(e *Embeddings) bool {
	return c.index != nil && 2*c.restrict >= e.Len()
}

// searchIndex asks c.index for the k best rows among the first
// c.restrict, leaving out the excluded words.
func (e *Embeddings) searchIndex(q []float32, k int, c queryConfig) ([]Neighbor, error) {
	skip := e.excluded(c)
	k = min(k, c.restrict-len(skip))
	if k <= 0 {
		return nil, nil
	}
	var reject func(int) bool
	if len(skip) > 0 || c.restrict < e.Len() {
		reject = func(i int) bool {
			if i >= c.restrict {
				return true
			}
			_, found := slices.BinarySearch(skip, i)
			return found
		}
	}
	return c.index.Search(q, k, reject)
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

// excluded returns the distinct row indices of c.exclude, sorted.
func (e *Embeddings) excluded(c queryConfig) []int {
	var idx []int
	for _, w := range c.exclude {
		if i, ok := e.vocab.Index(w); ok && i < c.restrict {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	return slices.Compact(idx)
}

// scanBlock is the number of rows one goroutine scans at a time in a
// single-vector search.
const scanBlock = 16384

// search scans the first c.restrict rows for the k best cosines with q,
// skipping excluded words. Large scans are split between goroutines.
func (e *Embeddings) search(q []float32, k int, c queryConfig) []Neighbor {
	if k <= 0 {
		return nil
	}
	qn := float32(f32.Norm(q))
	if qn == 0 {
		qn = 1
	}
	skip := e.excluded(c)
	// Keep room for the excluded words and drop them at the end, rather
	// than test every row against the exclusion list.
	kk := min(k+len(skip), c.restrict)
	if kk <= 0 {
		return nil
	}
	inv := e.invNorms()
	blocks := (c.restrict + scanBlock - 1) / scanBlock
	workers := min(runtime.GOMAXPROCS(0), blocks)
	heaps := make([]*topk.Heap, max(workers, 1))
	var wg sync.WaitGroup
	for w := range heaps {
		h := topk.New(kk)
		heaps[w] = h
		scan := func() {
			for b := w; b < blocks; b += workers {
				lo, hi := b*scanBlock, min((b+1)*scanBlock, c.restrict)
				for i := lo; i < hi; i++ {
					s := f32.Dot(q, e.data[i*e.dim:(i+1)*e.dim]) * inv[i]
					if m, full := h.Min(); full && s <= m {
						continue
					}
					h.Push(i, s)
				}
			}
		}
		if workers == 1 {
			scan()
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); scan() }()
	}
	wg.Wait()
	return e.merge(heaps, k, skip, 1/qn)
}

// merge combines per-goroutine heaps into the k best results, dropping
// the skipped rows and scaling scores by scale.
func (e *Embeddings) merge(heaps []*topk.Heap, k int, skip []int, scale float32) []Neighbor {
	all := topk.New(k)
	var items []topk.Item
	for _, h := range heaps {
		items = h.Sorted(items[:0])
		for _, it := range items {
			if _, found := slices.BinarySearch(skip, it.Index); !found {
				all.Push(it.Index, it.Score*scale)
			}
		}
	}
	return e.neighbors(all.Sorted(nil))
}

// invNorms returns 1/‖row‖ for every row, 0 for zero rows, so that a
// cosine is a dot product and a multiplication.
func (e *Embeddings) invNorms() []float32 {
	e.invOnce.Do(func() {
		norms := e.Norms()
		inv := make([]float32, len(norms))
		for i, n := range norms {
			if n > 0 {
				inv[i] = 1 / n
			}
		}
		e.inv = inv
	})
	return e.inv
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

// Nearest works on blocks of nearestBlock vocabulary rows against up to
// nearestQueries queries at once: large enough for an efficient matrix
// product, small enough that the block of scores stays in cache.
const (
	nearestBlock   = 1024
	nearestQueries = 512
)

// Nearest answers many queries at once: queries holds n vectors of length
// Dim() in row-major order, and the result holds, for each, its k nearest
// words by cosine similarity, best first. It multiplies blocks of the
// vocabulary against all queries with one matrix product (split between
// goroutines), which is much faster than n separate MostSimilarToVector
// calls.
func (e *Embeddings) Nearest(queries []float32, k int, opts QueryOptions) ([][]Neighbor, error) {
	if len(queries)%e.dim != 0 {
		return nil, fmt.Errorf("embed: nearest: %d query values is not a multiple of dimension %d", len(queries), e.dim)
	}
	n := len(queries) / e.dim
	for i := 0; i < n; i++ {
		if err := e.checkQuery(queries[i*e.dim : (i+1)*e.dim]); err != nil {
			return nil, fmt.Errorf("query %d: %w", i, err)
		}
	}
	out := make([][]Neighbor, n)
	c := e.config(opts)
	if k <= 0 || n == 0 || c.restrict == 0 {
		return out, nil
	}
	if c.useIndex(e) {
		return out, e.nearestIndex(queries, k, c, out)
	}
	skip := e.excluded(c)
	kk := min(k+len(skip), c.restrict)
	inv := e.invNorms()
	blocks := (c.restrict + nearestBlock - 1) / nearestBlock
	workers := min(runtime.GOMAXPROCS(0), blocks)
	for q0 := 0; q0 < n; q0 += nearestQueries {
		nq := min(nearestQueries, n-q0)
		q := slices.Clone(queries[q0*e.dim : (q0+nq)*e.dim])
		scale := make([]float32, nq) // 1/‖query‖
		for i := range scale {
			scale[i] = 1
			if qn := f32.Norm(q[i*e.dim : (i+1)*e.dim]); qn > 0 {
				scale[i] = float32(1 / qn)
			}
		}
		// heaps[w][i] holds worker w's best rows for query i.
		heaps := make([][]*topk.Heap, workers)
		var wg sync.WaitGroup
		for w := range heaps {
			hs := make([]*topk.Heap, nq)
			for i := range hs {
				hs[i] = topk.New(kk)
			}
			heaps[w] = hs
			wg.Add(1)
			go func() {
				defer wg.Done()
				scores := make([]float32, nq*nearestBlock)
				for b := w; b < blocks; b += workers {
					start := b * nearestBlock
					m := min(nearestBlock, c.restrict-start)
					gemm.Sgemm(false, true, nq, m, e.dim, 1, q, e.dim, e.data[start*e.dim:], e.dim, 0, scores, m)
					invBlock := inv[start : start+m]
					for i, h := range hs {
						row := scores[i*m : (i+1)*m]
						lim, full := h.Min()
						for j, s := range row {
							s *= invBlock[j]
							if full && s <= lim {
								continue
							}
							h.Push(start+j, s)
							lim, full = h.Min()
						}
					}
				}
			}()
		}
		wg.Wait()
		for i := range nq {
			hs := make([]*topk.Heap, workers)
			for w := range heaps {
				hs[w] = heaps[w][i]
			}
			out[q0+i] = e.merge(hs, k, skip, scale[i])
		}
	}
	return out, nil
}

// nearestIndex answers each query with c.index, on several goroutines.
func (e *Embeddings) nearestIndex(queries []float32, k int, c queryConfig, out [][]Neighbor) error {
	var next atomic.Int64
	errs := make([]error, min(runtime.GOMAXPROCS(0), len(out)))
	var wg sync.WaitGroup
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(out) || errs[w] != nil {
					return
				}
				out[i], errs[w] = e.searchIndex(queries[i*e.dim:(i+1)*e.dim], k, c)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
