package ann

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
)

// Build indexes the rows of e. It inserts them in order, in batches: the
// vectors of a batch look for their neighbours in parallel in the graph
// of the vectors before the batch, which no goroutine changes meanwhile;
// then the links back to them are added, in parallel over the vectors
// that receive them. No two goroutines ever write the same memory, no
// locks are taken, and the graph is the same whatever BuildOptions.Threads.
// Batches grow with the graph, to at most maxBatch vectors, and stay
// small beside it (one 32nd), so that a vector rarely misses a neighbour
// by arriving in the same batch.
//
// Build checks ctx between batches and returns ctx.Err() when it is done.
func Build(ctx context.Context, e *embed.Embeddings, opts BuildOptions) (*Index, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	if e == nil {
		return nil, fmt.Errorf("ann: nil embeddings")
	}
	g, err := newGraph(e, opts)
	if err != nil {
		return nil, err
	}
	if err := g.layout(opts.Seed); err != nil {
		return nil, err
	}
	b := &builder{g: g, threads: opts.Threads}
	start := time.Now()
	last := start
	report := func(done int) {
		if opts.Progress != nil {
			opts.Progress(Progress{Done: int64(done), Total: int64(g.n), Elapsed: time.Since(start)})
		}
	}
	for done := 1; done < g.n; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := min(g.n, done+batchSize(done))
		b.batch(done, end)
		done = end
		if now := time.Now(); now.Sub(last) >= opts.ProgressInterval && done < g.n {
			last = now
			report(done)
		}
	}
	report(g.n)
	return &Index{graph: g, ef: opts.Ef}, nil
}

const (
	batchDiv = 32   // a batch is at most 1/batchDiv of the graph before it
	maxBatch = 1024 // and at most this many vectors, so cancelling is quick
)

func batchSize(done int) int { return max(1, min(done/batchDiv, maxBatch)) }

// layout draws every vector's top layer (layer l with probability about
// M^-l, as in the HNSW paper) and allocates the link storage; vector 0
// becomes the entry point.
func (g *graph) layout(seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x616e6e6c61796572)) // "annlayer"
	ml := 1 / math.Log(float64(g.m))
	g.upperStart = make([]uint32, g.n+1)
	var total uint64
	for i := range g.n {
		g.upperStart[i] = uint32(total)
		l := min(int(-math.Log(1-rng.Float64())*ml), maxLevel)
		total += uint64(l * (g.m + 1))
		if total >= math.MaxUint32 {
			return fmt.Errorf("ann: %d vectors with M %d need too many upper-layer links", g.n, g.m)
		}
	}
	g.upperStart[g.n] = uint32(total)
	g.upper = make([]uint32, total)
	g.links0 = make([]uint32, g.n*(g.m0+1))
	hugePages(g.upper)
	hugePages(g.links0)
	g.entry, g.maxLevel = 0, g.level(0)
	return nil
}

// builder inserts vectors into a graph batch by batch.
type builder struct {
	g       *graph
	threads int
	keys    [][]uint64 // per layer, (target<<32 | source) of the links back
	groups  []span
}

// span is the run of keys of one layer that share a target.
type span struct {
	level, lo, hi int
}

// batch inserts vectors lo to hi-1.
func (b *builder) batch(lo, hi int) {
	g := b.g
	// Find each new vector's links among the vectors before lo.
	b.parallel(hi-lo, func(s *searcher, j int) { b.insert(s, uint32(lo+j)) })

	// Collect the links back, sorted by target and, within a target, by
	// source, so that their order does not depend on scheduling.
	top := 0
	for u := lo; u < hi; u++ {
		top = max(top, min(g.level(uint32(u)), g.maxLevel))
	}
	for len(b.keys) <= top {
		b.keys = append(b.keys, nil)
	}
	b.groups = b.groups[:0]
	for l := 0; l <= top; l++ {
		keys := b.keys[l][:0]
		for u := lo; u < hi; u++ {
			if g.level(uint32(u)) < l {
				continue
			}
			for _, v := range g.links(l, uint32(u)) {
				keys = append(keys, uint64(v)<<32|uint64(u))
			}
		}
		slices.Sort(keys)
		b.keys[l] = keys
		for i := 0; i < len(keys); {
			j := i + 1
			for j < len(keys) && keys[j]>>32 == keys[i]>>32 {
				j++
			}
			b.groups = append(b.groups, span{l, i, j})
			i = j
		}
	}
	// Add them, each target handled by one goroutine.
	b.parallel(len(b.groups), func(s *searcher, j int) { b.linkBack(s, b.groups[j]) })

	for u := lo; u < hi; u++ {
		if l := g.level(uint32(u)); l > g.maxLevel {
			g.entry, g.maxLevel = uint32(u), l
		}
	}
}

// parallel calls fn(s, j) for j from 0 to n-1 on b.threads goroutines,
// each with its own searcher.
func (b *builder) parallel(n int, fn func(s *searcher, j int)) {
	threads := min(b.threads, n)
	if threads <= 1 {
		s := b.g.getSearcher()
		for j := range n {
			fn(s, j)
		}
		b.g.putSearcher(s)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := b.g.getSearcher()
			defer b.g.putSearcher(s)
			for {
				j := int(next.Add(1) - 1)
				if j >= n {
					return
				}
				fn(s, j)
			}
		}()
	}
	wg.Wait()
}

// insert finds the links of vector u on each of its layers, reading only
// the vectors before the current batch, and writes them to u's own lists.
func (b *builder) insert(s *searcher, u uint32) {
	g := b.g
	q := s.q
	g.unit(q, u)
	ep := item{g.approx(q, g.entry), g.entry}
	lu := g.level(u)
	for l := g.maxLevel; l > lu; l-- {
		ep = g.greedy(q, ep, l)
	}
	for l := min(lu, g.maxLevel); l >= 0; l-- {
		g.searchLayer(s, q, ep, l, g.efConstruction, nil)
		cands := append(s.sorted[:0], s.res...)
		sortItems(cands)
		s.sorted = cands
		ep = cands[0]
		s.picked = g.selectNeighbors(s, s.picked[:0], cands, g.m)
		ids := s.ids[:0]
		for _, it := range s.picked {
			ids = append(ids, it.id)
		}
		g.setLinks(l, u, ids)
	}
}

// linkBack adds to one target vector's list on one layer the links from
// the new vectors that chose it, pruning the list when it overflows.
func (b *builder) linkBack(s *searcher, sp span) {
	g := b.g
	keys := b.keys[sp.level][sp.lo:sp.hi]
	v := uint32(keys[0] >> 32)
	cur := g.links(sp.level, v)
	capacity := g.capacity(sp.level)
	ids := append(s.ids[:0], cur...)
	for _, k := range keys {
		ids = append(ids, uint32(k))
	}
	if len(ids) > capacity {
		g.unit(s.q, v)
		cands := s.sorted[:0]
		for _, w := range ids {
			cands = append(cands, item{g.approx(s.q, w), w})
		}
		sortItems(cands)
		s.sorted = cands
		s.picked = g.selectNeighbors(s, s.picked[:0], cands, capacity)
		ids = ids[:0]
		for _, it := range s.picked {
			ids = append(ids, it.id)
		}
	}
	g.setLinks(sp.level, v, ids)
	s.ids = ids[:0]
}

// selectNeighbors appends to dst up to m of cands (sorted best first by
// similarity to a base vector) by the heuristic of the HNSW paper
// (algorithm 4): a candidate is kept only if it is nearer to the base
// than to every candidate kept before it. Links then point in diverse
// directions, which keeps clusters connected to each other. Like the
// whole build, it compares codes, not the vectors.
func (g *graph) selectNeighbors(s *searcher, dst, cands []item, m int) []item {
	if len(cands) <= m {
		return append(dst, cands...)
	}
	for _, c := range cands {
		if len(dst) == m {
			break
		}
		sc, cc := g.code(c.id)
		keep := true
		for _, r := range dst {
			sr, cr := g.code(r.id)
			if float32(f32.DotCodes(cc, cr))*sc*sr > c.sim {
				keep = false
				break
			}
		}
		if keep {
			dst = append(dst, c)
		}
	}
	return dst
}
