package embed

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"testing"
)

// bruteNearest is the reference: cosines in float64 over the first
// restrict rows, skipping the excluded words, best first.
func bruteNearest(e *Embeddings, q []float64, k, restrict int, exclude []string) []Neighbor {
	var qn float64
	for _, v := range q {
		qn += v * v
	}
	qn = math.Sqrt(qn)
	var all []Neighbor
	for i := 0; i < restrict; i++ {
		if slices.Contains(exclude, e.Vocab().Word(i)) {
			continue
		}
		var dot, rn float64
		for j, v := range e.Row(i) {
			dot += float64(v) * q[j]
			rn += float64(v) * float64(v)
		}
		s := 0.0
		if rn > 0 && qn > 0 {
			s = dot / math.Sqrt(rn) / qn
		}
		all = append(all, Neighbor{Word: e.Vocab().Word(i), Index: i, Score: float32(s)})
	}
	slices.SortFunc(all, func(a, b Neighbor) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return a.Index - b.Index
	})
	return all[:min(k, len(all))]
}

func sameNeighbors(t *testing.T, got, want []Neighbor) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d neighbours, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Index != want[i].Index || got[i].Word != want[i].Word || math.Abs(float64(got[i].Score-want[i].Score)) > 1e-5 {
			t.Fatalf("neighbour %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestQueriesAgainstBruteForce(t *testing.T) {
	e := randomEmbeddings(t, 40000, 16, 5) // big enough to use several goroutines
	tests := []struct {
		name     string
		pos, neg []string
		k        int
		restrict int
	}{
		{"one word", []string{e.Vocab().Word(7)}, nil, 10, 0},
		{"analogy", []string{e.Vocab().Word(1), e.Vocab().Word(2)}, []string{e.Vocab().Word(3)}, 5, 0},
		{"restricted", []string{e.Vocab().Word(20)}, nil, 3, 100},
		{"k larger than vocabulary", []string{e.Vocab().Word(0)}, nil, 50, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := make([]float64, e.Dim())
			for _, ws := range []struct {
				words []string
				sign  float64
			}{{tt.pos, 1}, {tt.neg, -1}} {
				for _, w := range ws.words {
					u, _ := e.UnitVector(w)
					for j, v := range u {
						q[j] += ws.sign * float64(v)
					}
				}
			}
			restrict := tt.restrict
			if restrict == 0 {
				restrict = e.Len()
			}
			want := bruteNearest(e, q, tt.k, restrict, append(slices.Clone(tt.pos), tt.neg...))
			got, err := e.MostSimilar(tt.pos, tt.neg, tt.k, QueryOptions{Restrict: tt.restrict})
			if err != nil {
				t.Fatal(err)
			}
			sameNeighbors(t, got, want)

			q32 := make([]float32, len(q))
			for i, v := range q {
				q32[i] = float32(v)
			}
			opts := QueryOptions{Restrict: tt.restrict, Exclude: append(slices.Clone(tt.pos), tt.neg...)}
			got, err = e.MostSimilarToVector(q32, tt.k, opts)
			if err != nil {
				t.Fatal(err)
			}
			sameNeighbors(t, got, want)
			batch, err := e.Nearest(append(slices.Clone(q32), q32...), tt.k, opts)
			if err != nil {
				t.Fatal(err)
			}
			sameNeighbors(t, batch[0], want)
			sameNeighbors(t, batch[1], want)
		})
	}
}

func TestNearestManyQueries(t *testing.T) {
	e := randomEmbeddings(t, 1200, 8, 6)
	n := nearestQueries + 7 // more than one chunk of queries
	q := make([]float32, n*e.Dim())
	for i := range n {
		copy(q[i*e.Dim():], e.Row(i))
	}
	res, err := e.Nearest(q, 3, QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		qq := make([]float64, e.Dim())
		for j, v := range e.Row(i) {
			qq[j] = float64(v)
		}
		sameNeighbors(t, r, bruteNearest(e, qq, 3, e.Len(), nil))
	}
}

func TestQueryErrors(t *testing.T) {
	e := randomEmbeddings(t, 10, 4, 1)
	if _, err := e.MostSimilar([]string{"nope"}, nil, 3, QueryOptions{}); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("unknown word: got %v", err)
	}
	if _, err := e.MostSimilar(nil, nil, 3, QueryOptions{}); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("empty query: got %v", err)
	}
	if _, err := e.MostSimilarToVector([]float32{1, 2, float32(math.NaN()), 0}, 3, QueryOptions{}); !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN query: got %v", err)
	}
	if _, err := e.MostSimilarToVector([]float32{1, 2}, 3, QueryOptions{}); err == nil {
		t.Errorf("short query: no error")
	}
	if _, err := e.Nearest([]float32{1, 2, 3}, 3, QueryOptions{}); err == nil {
		t.Errorf("ragged queries: no error")
	}
	if _, err := e.Similarity("nope", e.Vocab().Word(0)); !errors.Is(err, ErrUnknownWord) {
		t.Errorf("similarity of unknown word: got %v", err)
	}
	if _, err := e.DoesntMatch(nil); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("doesn't match nothing: got %v", err)
	}
}

func TestDoesntMatchAndSimilarity(t *testing.T) {
	v, _ := NewVocab([]string{"cat", "dog", "mouse", "car"}, nil)
	e, err := New(v, 2, []float32{1, 0.1, 0.9, 0.2, 1, 0, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	odd, err := e.DoesntMatch([]string{"cat", "dog", "mouse", "car"})
	if err != nil || odd != "car" {
		t.Fatalf("DoesntMatch = %q, %v; want car", odd, err)
	}
	s, _ := e.Similarity("cat", "car")
	want := 0.1 / math.Sqrt(1.01)
	if math.Abs(float64(s)-want) > 1e-6 {
		t.Fatalf("Similarity(cat, car) = %v, want %v", s, want)
	}
}
