package analogy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

// benchSetup builds a 56,506 × 100 random model (the size of gensim's
// corpus-en vectors) and 19,544 questions over its first 905 words, the
// shape of the Google set.
func benchSetup(b *testing.B) (*embed.Embeddings, []Section) {
	const n, d = 56506, 100
	rng := rand.New(rand.NewPCG(1, 2))
	words := make([]string, n)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	data := make([]float32, n*d)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		b.Fatal(err)
	}
	emb, err := embed.New(v, d, data)
	if err != nil {
		b.Fatal(err)
	}
	sec := Section{Name: "all"}
	for i := 0; i < 19544; i++ {
		w := func() string { return words[rng.IntN(905)] }
		sec.Questions = append(sec.Questions, Question{A: w(), B: w(), C: w(), Answers: []string{w()}})
	}
	return emb, []Section{sec}
}

func BenchmarkEvaluate(b *testing.B) {
	emb, secs := benchSetup(b)
	emb.Norms()
	for _, m := range []Method{CosAdd, CosMul} {
		for _, r := range []int{30000, 300000} {
			b.Run(fmt.Sprintf("%v/restrict=%d", m, r), func(b *testing.B) {
				for b.Loop() {
					if _, err := Evaluate(context.Background(), emb, secs, EvalOptions{Method: m, Restrict: r}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkSolve(b *testing.B) {
	emb, _ := benchSetup(b)
	emb.Norms()
	for b.Loop() {
		if _, err := Solve(emb, "w10", "w20", "w30", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
