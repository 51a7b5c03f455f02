package bias

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

// vec is a word and its vector, for hand-built embeddings.
type vec struct {
	w string
	v []float32
}

func build(t testing.TB, words ...vec) *embed.Embeddings {
	t.Helper()
	var ws []string
	var data []float32
	for _, w := range words {
		ws = append(ws, w.w)
		data = append(data, w.v...)
	}
	v, err := embed.NewVocab(ws, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embed.New(v, len(words[0].v), data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// randomEmbeddings gives each word a Gaussian random vector.
func randomEmbeddings(t testing.TB, words []string, dim int, seed uint64) *embed.Embeddings {
	t.Helper()
	return build(t, randomVecs(words, dim, seed)...)
}

// randomVecs gives each distinct word a Gaussian random vector, in order.
func randomVecs(words []string, dim int, seed uint64) []vec {
	rng := rand.New(rand.NewPCG(seed, 7))
	var vs []vec
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] {
			continue
		}
		seen[w] = true
		v := make([]float32, dim)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		vs = append(vs, vec{w, v})
	}
	return vs
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
