package ann

import (
	"fmt"
	"math"
	"slices"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
	"github.com/wordspace/wordspace/internal/topk"
)

// searcher holds one search's scratch space; searchers are pooled so that
// concurrent searches each have their own.
type searcher struct {
	visited []uint64 // bit i: vector i seen in this search
	seen    []uint32 // the vectors seen, whose bits the next search clears
	cand    maxHeap
	res     minHeap
	q       []float32 // the query scaled to unit length
	ids     []uint32  // unvisited links of the vector being expanded
	sims    []float32 // their similarities to the query
	sorted  []item
	picked  []item
}

// getSearcher returns a searcher from the free list or a new one. The
// list is a channel rather than a sync.Pool, which the garbage collector
// empties: a new searcher clears a visited mark per vector, as long as a
// search on a million vectors.
func (g *graph) getSearcher() *searcher {
	select {
	case s := <-g.free:
		return s
	default:
	}
	return &searcher{
		visited: make([]uint64, (g.n+63)/64),
		q:       make([]float32, g.dim),
		ids:     make([]uint32, 0, g.m0),
		sims:    make([]float32, g.m0),
	}
}

func (g *graph) putSearcher(s *searcher) {
	select {
	case g.free <- s:
	default:
	}
}

// newEpoch starts a search: every vector becomes unvisited. The marks
// are bits, so that those of a million vectors fit in the processor's
// second-level cache, and only the words the last search set are cleared.
func (s *searcher) newEpoch() {
	for _, v := range s.seen {
		s.visited[v/64] = 0
	}
	s.seen = s.seen[:0]
}

// visit marks vector v as seen and reports whether it was unseen.
func (s *searcher) visit(v uint32) bool {
	w, bit := &s.visited[v/64], uint64(1)<<(v%64)
	if *w&bit != 0 {
		return false
	}
	*w |= bit
	s.seen = append(s.seen, v)
	return true
}

// row returns vector i.
func (g *graph) row(i uint32) []float32 {
	lo := int(i) * g.dim
	return g.data[lo : lo+g.dim : lo+g.dim]
}

// sim returns the cosine similarity of the unit vector q with vector i.
func (g *graph) sim(q []float32, i uint32) float32 {
	return f32.Dot(q, g.row(i)) * g.inv[i]
}

// unit writes vector i scaled to unit length into dst.
func (g *graph) unit(dst []float32, i uint32) {
	copy(dst, g.row(i))
	f32.Scale(g.inv[i], dst)
}

// greedy walks layer level from ep to a vector none of whose links is
// nearer to q.
func (g *graph) greedy(q []float32, ep item, level int) item {
	for changed := true; changed; {
		changed = false
		for _, v := range g.links(level, ep.id) {
			if s := g.approx(q, v); s > ep.sim {
				ep, changed = item{s, v}, true
			}
		}
	}
	return ep
}

// searchLayer leaves in s.res the ef vectors nearest to q that it finds on
// layer level, walking from ep: a best-first search that stops when the
// nearest vector left to expand is further than the ef-th found. Vectors
// that skip (if not nil) rejects are walked through but not kept.
func (g *graph) searchLayer(s *searcher, q []float32, ep item, level, ef int, skip func(int) bool) {
	s.newEpoch()
	s.cand, s.res = s.cand[:0], s.res[:0]
	s.visit(ep.id)
	s.cand.push(ep)
	if skip == nil || !skip(int(ep.id)) {
		s.res.push(ep)
	}
	lower := float32(math.Inf(-1)) // the similarity a vector must beat to be kept
	if len(s.res) >= ef {
		lower = s.res[0].sim
	}
	for len(s.cand) > 0 {
		c := s.cand.pop()
		if c.sim < lower {
			break // every candidate left is worse than the ef found
		}
		if level == 0 && len(s.cand) > 0 {
			g.prefetchLinks(s.cand[0].id) // the likely next to expand
		}
		ids := s.ids[:0]
		for _, v := range g.links(level, c.id) {
			if s.visit(v) {
				ids = append(ids, v)
			}
		}
		sims := s.sims[:len(ids)]
		g.sims(q, ids, sims)
		for j, v := range ids {
			sim := sims[j]
			if sim <= lower {
				continue
			}
			s.cand.push(item{sim, v})
			if skip != nil && skip(int(v)) {
				continue
			}
			s.res.push(item{sim, v})
			if len(s.res) > ef {
				s.res.pop()
			}
			if len(s.res) >= ef {
				lower = s.res[0].sim
			}
		}
	}
}

// sims sets out[j] to the similarity of q with vector ids[j]. The
// vectors are scattered in memory, and waiting for them is most of a
// search's time, so it asks the processor for all of them first: their
// loads then overlap (measured: a quarter less time a search than asking
// for each next vector while computing the current one, as hnswlib does).
func (g *graph) sims(q []float32, ids []uint32, out []float32) {
	stride := g.stride()
	for _, v := range ids {
		lo := int(v) * stride
		f32.Prefetch(g.codes[lo : lo+stride])
	}
	for j, v := range ids {
		out[j] = g.approx(q, v)
	}
}

// approx returns the similarity of the unit vector q with the codes of
// vector i: its cosine with vector i, within about 1e-3.
func (g *graph) approx(q []float32, i uint32) float32 {
	scale, codes := g.code(i)
	return f32.DotInt8(q, codes) * scale
}

// code returns the scale and the codes of vector i.
func (g *graph) code(i uint32) (float32, []int8) {
	stride := g.stride()
	row := g.codes[int(i)*stride : int(i+1)*stride]
	scale := math.Float32frombits(uint32(uint8(row[0])) | uint32(uint8(row[1]))<<8 | uint32(uint8(row[2]))<<16 | uint32(uint8(row[3]))<<24)
	return scale, row[4:]
}

// rerank replaces the similarities of items, found by comparing q with
// codes, by the exact cosines with the vectors, and sorts them best first.
func (g *graph) rerank(q []float32, items []item) {
	for _, it := range items {
		f32.Prefetch(g.row(it.id))
	}
	for i, it := range items {
		items[i].sim = g.sim(q, it.id)
	}
	sortItems(items)
}

func sortItems(items []item) {
	slices.SortFunc(items, func(a, b item) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
}

// prefetchLinks asks for the layer-0 links of vector i.
func (g *graph) prefetchLinks(i uint32) {
	lo := int(i) * (g.m0 + 1)
	f32.Prefetch(g.links0[lo : lo+g.m0+1])
}

// results returns the vectors of s.res with their exact similarities to
// q, best first, in s.sorted.
func (g *graph) results(s *searcher, q []float32) []item {
	out := append(s.sorted[:0], s.res...)
	g.rerank(q, out)
	s.sorted = out
	return out
}

// Search returns the k vectors with the highest cosine similarity to q,
// best first, leaving out the rows for which skip (which may be nil)
// returns true: the words of an analogy question, say. It keeps
// x.Ef() candidates, or k if larger, so the answer is approximate: the
// fraction of the true k nearest it finds (the recall) grows with ef.
//
// Skipped vectors still guide the search, and if the graph yields fewer
// than k vectors that skip accepts, Search completes the answer by
// scanning every row, so it returns k neighbours whenever the index
// holds k rows that skip accepts. Search implements embed.Searcher.
func (x *Index) Search(q []float32, k int, skip func(row int) bool) ([]embed.Neighbor, error) {
	if len(q) != x.dim {
		return nil, fmt.Errorf("ann: query vector has length %d, want %d", len(q), x.dim)
	}
	if k < 1 || k > x.n {
		return nil, fmt.Errorf("ann: k = %d: want 1 to the %d vectors indexed: %w", k, x.n, ErrBadK)
	}
	s := x.getSearcher()
	defer x.putSearcher(s)
	copy(s.q, q)
	norm := f32.Norm(s.q)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		for i, v := range q {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("ann: query component %d is %v: %w", i, v, embed.ErrNotFinite)
			}
		}
	}
	if norm > 0 {
		f32.Scale(float32(1/norm), s.q)
	}
	found := x.search(s, s.q, k, max(x.ef, k), skip)
	if len(found) < k {
		found = x.scan(s.q, k, skip)
	}
	e := x.e
	out := make([]embed.Neighbor, len(found))
	for i, it := range found {
		out[i] = embed.Neighbor{Word: e.Vocab().Word(int(it.id)), Index: int(it.id), Score: it.sim}
	}
	return out, nil
}

// search returns up to k vectors near the unit vector q, best first, in
// s's storage.
func (g *graph) search(s *searcher, q []float32, k, ef int, skip func(int) bool) []item {
	ep := item{g.approx(q, g.entry), g.entry}
	for l := g.maxLevel; l > 0; l-- {
		ep = g.greedy(q, ep, l)
	}
	g.searchLayer(s, q, ep, 0, ef, skip)
	found := g.results(s, q)
	return found[:min(k, len(found))]
}

// scan finds the k best vectors by comparing q with every row: the answer
// when the graph does not reach k vectors that skip accepts.
func (g *graph) scan(q []float32, k int, skip func(int) bool) []item {
	h := topk.New(k)
	for i := range g.n {
		if skip != nil && skip(i) {
			continue
		}
		h.Push(i, g.sim(q, uint32(i)))
	}
	var out []item
	for _, it := range h.Sorted(nil) {
		out = append(out, item{it.Score, uint32(it.Index)})
	}
	return out
}
