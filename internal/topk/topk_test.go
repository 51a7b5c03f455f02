package topk

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// best is the definition: all items sorted by descending score, ties by
// ascending index, the first k kept.
func best(items []Item, k int) []Item {
	s := slices.Clone(items)
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Score != s[j].Score {
			return s[i].Score > s[j].Score
		}
		return s[i].Index < s[j].Index
	})
	return s[:min(k, len(s))]
}

// TestHeapKeepsBest pushes random streams, with many tied scores (gensim
// parity depends on ties going to the lower index) and indices in random
// order, and compares the heap with the definition.
func TestHeapKeepsBest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	h := New(1)
	for trial := range 2000 {
		n := r.IntN(60)
		k := 1 + r.IntN(12)
		levels := 1 + r.IntN(6) // few distinct scores: many ties
		items := make([]Item, n)
		for i, idx := range r.Perm(n) {
			items[i] = Item{Index: idx, Score: float32(r.IntN(levels)) - 2.5}
		}
		h.Reset(k)
		for _, it := range items {
			h.Push(it.Index, it.Score)
		}
		want := best(items, k)
		got := h.Sorted(nil)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (n=%d k=%d): got %v, want %v", trial, n, k, got, want)
		}
		if h.Len() != len(want) {
			t.Fatalf("trial %d: Len %d, want %d", trial, h.Len(), len(want))
		}
		m, full := h.Min()
		if full != (n >= k) || (full && m != want[len(want)-1].Score) {
			t.Fatalf("trial %d: Min() = %v, %v; want %v, %v", trial, m, full, want[len(want)-1].Score, n >= k)
		}
	}
}

func TestSortedAppendsAndKeepsHeap(t *testing.T) {
	h := New(3)
	for i, s := range []float32{0.5, 0.9, 0.9, 0.1, 0.7} {
		h.Push(i, s)
	}
	prefix := []Item{{Index: 99, Score: 9}}
	got := h.Sorted(prefix)
	want := []Item{{99, 9}, {1, 0.9}, {2, 0.9}, {4, 0.7}}
	if !slices.Equal(got, want) {
		t.Errorf("Sorted = %v, want %v", got, want)
	}
	if again := h.Sorted(nil); !slices.Equal(again, want[1:]) {
		t.Errorf("second Sorted = %v: the heap changed", again)
	}
	h.Push(7, 0.8) // replaces the 0.7
	if got := h.Sorted(nil); !slices.Equal(got, []Item{{1, 0.9}, {2, 0.9}, {7, 0.8}}) {
		t.Errorf("after a push: %v", got)
	}
	h.Push(0, 0.8) // ties 0.8 with a lower index: replaces index 7
	if got := h.Sorted(nil); !slices.Equal(got, []Item{{1, 0.9}, {2, 0.9}, {0, 0.8}}) {
		t.Errorf("after a tie with a lower index: %v", got)
	}
	h.Push(8, 0.8) // a tie with a higher index does not enter
	if got := h.Sorted(nil); !slices.Equal(got, []Item{{1, 0.9}, {2, 0.9}, {0, 0.8}}) {
		t.Errorf("after a tie with a higher index: %v", got)
	}
}

func TestResetGrows(t *testing.T) {
	h := New(2)
	h.Push(0, 1)
	h.Reset(5)
	if h.Len() != 0 {
		t.Fatalf("Len after Reset = %d", h.Len())
	}
	for i := range 5 {
		h.Push(i, float32(i))
	}
	if m, full := h.Min(); !full || m != 0 || h.Len() != 5 {
		t.Errorf("Min = %v, %v; Len %d", m, full, h.Len())
	}
}

func BenchmarkPush(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	scores := make([]float32, 1<<16)
	for i := range scores {
		scores[i] = r.Float32()
	}
	h := New(10)
	for b.Loop() {
		h.Reset(10)
		for i, s := range scores {
			h.Push(i, s)
		}
	}
}
