package embed

import (
	"errors"
	"slices"
	"testing"
)

// scanIndex is a Searcher that scans every row exactly and records what
// it was asked, to test how queries use an index.
type scanIndex struct {
	e     *Embeddings
	calls int
	err   error
}

func (s *scanIndex) Search(q []float32, k int, skip func(int) bool) ([]Neighbor, error) {
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	qd := make([]float64, len(q))
	for i, v := range q {
		qd[i] = float64(v)
	}
	var exclude []string
	for i := range s.e.Len() {
		if skip != nil && skip(i) {
			exclude = append(exclude, s.e.Vocab().Word(i))
		}
	}
	return bruteNearest(s.e, qd, k, s.e.Len(), exclude), nil
}

func TestWithIndex(t *testing.T) {
	e := randomEmbeddings(t, 500, 8, 3)
	words := e.Vocab().Words()
	tests := []struct {
		name      string
		pos, neg  []string
		k         int
		opts      QueryOptions
		wantCalls int
	}{
		{"one word", words[:1], nil, 10, QueryOptions{}, 1},
		{"analogy", words[1:3], words[3:4], 10, QueryOptions{}, 1},
		{"excluded", words[:1], nil, 10, QueryOptions{Exclude: words[5:9]}, 1},
		{"restrict most", words[:1], nil, 10, QueryOptions{Restrict: 400}, 1},
		{"restrict few scans", words[:1], nil, 10, QueryOptions{Restrict: 100}, 0},
		{"k beyond vocabulary", words[:2], nil, 1000, QueryOptions{}, 1},
		{"k zero", words[:1], nil, 0, QueryOptions{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := &scanIndex{e: e}
			want, err := e.MostSimilar(tt.pos, tt.neg, tt.k, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			withIndex := tt.opts
			withIndex.Index = idx
			got, err := e.MostSimilar(tt.pos, tt.neg, tt.k, withIndex)
			if err != nil {
				t.Fatal(err)
			}
			sameNeighbors(t, got, want)
			if idx.calls != tt.wantCalls {
				t.Errorf("index searched %d times, want %d", idx.calls, tt.wantCalls)
			}
		})
	}
}

func TestWithIndexVectorAndNearest(t *testing.T) {
	e := randomEmbeddings(t, 300, 6, 4)
	idx := &scanIndex{e: e}
	qs := slices.Clone(e.Data()[:5*e.Dim()])
	exclude := []string{e.Vocab().Word(0)}
	want, err := e.Nearest(qs, 7, QueryOptions{Exclude: exclude})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Nearest(qs, 7, QueryOptions{Exclude: exclude, Index: idx})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		sameNeighbors(t, got[i], want[i])
	}
	if idx.calls != 5 {
		t.Errorf("index searched %d times, want 5", idx.calls)
	}
	one, err := e.MostSimilarToVector(qs[:e.Dim()], 7, QueryOptions{Index: idx})
	if err != nil {
		t.Fatal(err)
	}
	exact, _ := e.MostSimilarToVector(qs[:e.Dim()], 7, QueryOptions{})
	sameNeighbors(t, one, exact)
}

func TestWithIndexError(t *testing.T) {
	e := randomEmbeddings(t, 50, 4, 1)
	boom := errors.New("boom")
	idx := &scanIndex{e: e, err: boom}
	if _, err := e.MostSimilar(e.Vocab().Words()[:1], nil, 3, QueryOptions{Index: idx}); !errors.Is(err, boom) {
		t.Errorf("MostSimilar: got %v, want the index's error", err)
	}
	if _, err := e.Nearest(e.Data()[:8], 3, QueryOptions{Index: idx}); !errors.Is(err, boom) {
		t.Errorf("Nearest: got %v, want the index's error", err)
	}
}
