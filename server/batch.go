package server

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
)

// Neighbour queries that arrive together are answered together. An exact
// search reads the whole matrix (1.2 GB for a million 300-dimensional
// words) to answer one query, and memory bandwidth, not arithmetic, bounds
// it; embed.Nearest reads the matrix once for many queries with a matrix
// product. So each query waits in a queue, and whichever request gets a
// computation slot takes every queued query with the same restriction (up
// to maxBatch) and answers them all with one Nearest call. A lone query
// goes through at once; under load, batches form by themselves.

// maxBatch bounds the queries answered by one Nearest call, so that one
// batch does not hold a slot for long.
const maxBatch = 128

// job is one queued neighbour query.
type job struct {
	q        []float32
	k        int
	restrict int
	res      []embed.Neighbor
	err      error
	done     chan struct{}
	taken    bool // guarded by batcher.mu: answered, being answered or abandoned
}

type batcher struct {
	mu    sync.Mutex
	queue []*job
	runs  int // batches run, for tests
}

// nearest returns the k words closest to the sum of the unit vectors of
// pos minus those of neg, leaving out the query words (the semantics of
// embed.MostSimilar). Queries are batched unless Options.Query holds
// options (such as an approximate index) that only MostSimilar applies.
func (s *Server) nearest(ctx context.Context, pos, neg []string, k, restrict int) ([]embed.Neighbor, error) {
	if s.hasQueryOptions() {
		var ns []embed.Neighbor
		err := s.compute(ctx, func() error {
			var err error
			ns, err = s.emb.MostSimilar(pos, neg, k, s.queryOptions(restrict))
			return err
		})
		return ns, err
	}
	q := make([]float32, s.emb.Dim())
	var skip []int
	for _, ws := range []struct {
		words  []string
		weight float32
	}{{pos, 1}, {neg, -1}} {
		for _, w := range ws.words {
			u, err := s.emb.UnitVector(w)
			if err != nil {
				return nil, err
			}
			f32.Axpy(ws.weight, u, q)
			i, _ := s.emb.Vocab().Index(w)
			skip = append(skip, i)
		}
	}
	slices.Sort(skip)
	skip = slices.Compact(skip)
	j := &job{q: q, k: k + len(skip) + rescoreMargin, restrict: restrict, done: make(chan struct{})}
	if err := s.submit(ctx, j); err != nil {
		return nil, err
	}
	// The matrix product rounds differently with each batch's size, so
	// the candidates are rescored exactly as MostSimilar scores them:
	// the same query gives the same answer, to the last bit, under any
	// load.
	qn := float32(f32.Norm(q))
	if qn == 0 {
		qn = 1
	}
	scale, norms := 1/qn, s.emb.Norms()
	out := make([]embed.Neighbor, 0, len(j.res))
	for _, n := range j.res {
		if _, found := slices.BinarySearch(skip, n.Index); found {
			continue
		}
		var inv float32
		if nn := norms[n.Index]; nn > 0 {
			inv = 1 / nn
		}
		n.Score = f32.Dot(q, s.emb.Row(n.Index)) * inv * scale
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b embed.Neighbor) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return cmp.Compare(a.Index, b.Index)
	})
	return out[:min(k, len(out))], nil
}

// rescoreMargin is the number of extra candidates a batched search keeps,
// so that rounding in the matrix product cannot push one of the true k
// best out before the exact rescoring.
const rescoreMargin = 8

// submit queues j and waits until it is answered, answering a batch itself
// whenever it gets a computation slot first.
func (s *Server) submit(ctx context.Context, j *job) error {
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, j)
	b.mu.Unlock()
	for {
		select {
		case <-j.done:
			return j.err
		case s.slots <- struct{}{}:
			s.runBatch()
			<-s.slots
		case <-ctx.Done():
			b.mu.Lock()
			if !j.taken {
				j.taken = true
				b.queue = slices.DeleteFunc(b.queue, func(x *job) bool { return x == j })
			}
			b.mu.Unlock()
			return ctx.Err()
		}
	}
}

// runBatch answers the oldest queued query and every other queued query
// with the same restriction, up to maxBatch, with one Nearest call.
func (s *Server) runBatch() {
	b := &s.batch
	b.mu.Lock()
	if len(b.queue) == 0 {
		b.mu.Unlock()
		return
	}
	restrict := b.queue[0].restrict
	var batch []*job
	b.queue = slices.DeleteFunc(b.queue, func(j *job) bool {
		if j.restrict != restrict || len(batch) == maxBatch {
			return false
		}
		j.taken = true
		batch = append(batch, j)
		return true
	})
	b.runs++
	b.mu.Unlock()

	dim, k := s.emb.Dim(), 0
	q := make([]float32, 0, len(batch)*dim)
	for _, j := range batch {
		q = append(q, j.q...)
		k = max(k, j.k)
	}
	res, err := s.emb.Nearest(q, k, embed.QueryOptions{Restrict: restrict})
	for i, j := range batch {
		if err == nil {
			j.res = res[i][:min(j.k, len(res[i]))]
		}
		j.err = err
		close(j.done)
	}
}
