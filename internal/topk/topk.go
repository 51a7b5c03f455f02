// Package topk keeps the k best-scoring items seen in a stream, the last
// step of every nearest-neighbour query.
package topk

import "sort"

// Item is a candidate: an index (a row of a matrix) and its score.
type Item struct {
	Index int
	Score float32
}

// Heap is a bounded min-heap holding the K highest-scoring items pushed so
// far. Ties are broken towards the lower index so results are deterministic.
// The zero value is not usable; call New.
type Heap struct {
	k     int
	items []Item
}

// New returns a heap that keeps the k best items. k must be positive.
func New(k int) *Heap { return &Heap{k: k, items: make([]Item, 0, k)} }

// Reset empties the heap and sets its capacity to k, reusing its storage.
func (h *Heap) Reset(k int) {
	h.k = k
	if cap(h.items) < k {
		h.items = make([]Item, 0, k)
	}
	h.items = h.items[:0]
}

// less reports whether a ranks below b (a is worse).
func less(a, b Item) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.Index > b.Index
}

// Min returns the score an item must beat to enter a full heap, and
// whether the heap is full.
func (h *Heap) Min() (float32, bool) {
	if len(h.items) < h.k {
		return 0, false
	}
	return h.items[0].Score, true
}

// Push offers an item; it is kept if it ranks among the best K so far.
func (h *Heap) Push(index int, score float32) {
	it := Item{index, score}
	if len(h.items) < h.k {
		h.items = append(h.items, it)
		h.up(len(h.items) - 1)
		return
	}
	if !less(h.items[0], it) {
		return
	}
	h.items[0] = it
	h.down(0)
}

func (h *Heap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !less(h.items[i], h.items[p]) {
			return
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *Heap) down(i int) {
	n := len(h.items)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && less(h.items[r], h.items[l]) {
			m = r
		}
		if !less(h.items[m], h.items[i]) {
			return
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
}

// Len returns the number of items held.
func (h *Heap) Len() int { return len(h.items) }

// Sorted appends the held items to dst, best first, and returns it. The
// heap is left unchanged.
func (h *Heap) Sorted(dst []Item) []Item {
	start := len(dst)
	dst = append(dst, h.items...)
	out := dst[start:]
	sort.Slice(out, func(i, j int) bool { return less(out[j], out[i]) })
	return dst
}
