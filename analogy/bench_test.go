package analogy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/cputime"
	"github.com/wordspace/wordspace/internal/testenv"
)

// benchSetup builds a 56,506 × 100 random model (the size of gensim's
// corpus-en vectors) and questions shaped like the Google set's.
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
	// Like the Google set: 14 relations of 38 word pairs each, every
	// ordered pair of pairs a question (19,684 questions, 1,064 words).
	var secs []Section
	next := 0
	for s := 0; s < 14; s++ {
		sec := Section{Name: fmt.Sprintf("relation%d", s)}
		pairs := make([][2]string, 38)
		for i := range pairs {
			pairs[i] = [2]string{words[next], words[next+1]}
			next += 2
		}
		for _, p := range pairs {
			for _, q := range pairs {
				if p != q {
					sec.Questions = append(sec.Questions, Question{A: p[0], B: p[1], C: q[0], Answers: []string{q[1]}})
				}
			}
		}
		secs = append(secs, sec)
	}
	return emb, secs
}

func BenchmarkEvaluate(b *testing.B) {
	emb, secs := benchSetup(b)
	emb.Norms()
	for _, m := range []Method{CosAdd, CosMul} {
		for _, r := range []int{30000, 300000} {
			b.Run(fmt.Sprintf("%v/restrict=%d", m, r), func(b *testing.B) {
				cpu0 := cputime.Process()
				for b.Loop() {
					if _, err := Evaluate(context.Background(), emb, secs, EvalOptions{Method: m, Restrict: r}); err != nil {
						b.Fatal(err)
					}
				}
				// On a shared machine CPU time says more than wall time.
				b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
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

// BenchmarkEvaluateFile evaluates the Google set on the vectors named by
// $WORDSPACE_BENCH_VECTORS (skipped without them or ../shared).
func BenchmarkEvaluateFile(b *testing.B) {
	path := os.Getenv("WORDSPACE_BENCH_VECTORS")
	if path == "" {
		b.Skip("set WORDSPACE_BENCH_VECTORS to a vector file")
	}
	secs, err := LoadQuestions(testenv.SharedFile(b, "data/eval/questions-words.txt"))
	if err != nil {
		b.Fatal(err)
	}
	emb, err := embed.Load(path, embed.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	emb.Norms()
	for _, m := range []Method{CosAdd, CosMul} {
		for _, r := range []int{30000, 300000} {
			b.Run(fmt.Sprintf("%v/restrict=%d", m, r), func(b *testing.B) {
				cpu0 := cputime.Process()
				for b.Loop() {
					if _, err := Evaluate(context.Background(), emb, secs, EvalOptions{Method: m, Restrict: r}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cputime.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			})
		}
	}
}
