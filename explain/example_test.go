package explain_test

import (
	"context"
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/wordspace/wordspace/explain"
	"github.com/wordspace/wordspace/internal/demo"
)

// Run trains word vectors and a transformer on a corpus, measures every
// claim and writes report.md with its figures.
func ExampleRun() {
	r, err := explain.Run(context.Background(), demo.Corpus(), explain.Options{Quick: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range r.Sections {
		fmt.Printf("%d. %s: %s\n", s.Number, s.Title, s.Verdict)
	}
	if err := r.Write("explain-report"); err != nil {
		log.Fatal(err)
	}
}

func ExampleFitPowerLaw() {
	// Losses of five model sizes on the law 1.7 + 400·N^−0.34.
	n := []float64{1e4, 3e4, 1e5, 3e5, 1e6}
	var loss []float64
	for _, x := range n {
		loss = append(loss, 1.7+400*math.Pow(x, -0.34))
	}
	f := explain.FitPowerLaw(n, loss, 100, rand.New(rand.NewPCG(1, 1)))
	fmt.Printf("E %.2f, alpha %.2f, R² %.4f\n", f.E, f.Alpha, f.R2)
	// Output:
	// E 1.70, alpha 0.34, R² 1.0000
}

// The built-in analogy relations of section 2: every ordered pair of a
// relation's word pairs is a question.
func ExampleRelations() {
	for _, s := range explain.Relations()[:2] {
		q := s.Questions[0]
		fmt.Printf("%s: %s : %s :: %s : %s\n", s.Name, q.A, q.B, q.C, q.Answers[0])
	}
	// Output:
	// capital of a country: france : paris :: england : london
	// nationality: france : french :: england : english
}
