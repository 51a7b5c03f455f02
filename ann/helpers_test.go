package ann

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

// mixture returns n vectors of dimension dim drawn from a mixture of
// Gaussians around random centres: clustered, like real word vectors,
// unlike uniform noise.
func mixture(t testing.TB, n, dim, clusters int, seed uint64) *embed.Embeddings {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	centres := make([]float32, clusters*dim)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64())
	}
	data := make([]float32, n*dim)
	words := make([]string, n)
	for i := range n {
		c := rng.IntN(clusters)
		for j := range dim {
			data[i*dim+j] = centres[c*dim+j] + 0.6*float32(rng.NormFloat64())
		}
		words[i] = fmt.Sprintf("w%d", i)
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embed.New(v, dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// queries returns nq query vectors: perturbed copies of random rows.
func queries(e *embed.Embeddings, nq int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 9))
	out := make([][]float32, nq)
	for i := range out {
		row := e.Row(rng.IntN(e.Len()))
		q := make([]float32, e.Dim())
		for j := range q {
			q[j] = row[j] + 0.3*float32(rng.NormFloat64())
		}
		out[i] = q
	}
	return out
}

// recall returns the mean fraction of the exact k nearest neighbours of
// each query that x.Search finds.
func recall(t testing.TB, x *Index, qs [][]float32, k int) float64 {
	t.Helper()
	var hit, all int
	for _, q := range qs {
		exact, err := x.Embeddings().MostSimilarToVector(q, k, embed.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := x.Search(q, k, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]bool{}
		for _, n := range exact {
			want[n.Index] = true
		}
		for _, n := range got {
			if want[n.Index] {
				hit++
			}
		}
		all += len(exact)
	}
	return float64(hit) / float64(all)
}

func build(t testing.TB, e *embed.Embeddings, o BuildOptions) *Index {
	t.Helper()
	x, err := Build(context.Background(), e, o)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
