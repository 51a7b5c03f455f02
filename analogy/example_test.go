package analogy_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/embed"
)

// toyEmbeddings builds a tiny space with three directions: royalty,
// maleness and youth, plus a little of everything else.
func toyEmbeddings() *embed.Embeddings {
	words := []string{"man", "woman", "king", "queen", "boy", "girl", "prince", "princess", "big", "biggest", "small", "smallest"}
	data := []float32{
		0.0, 1.0, 0.0, 0.2, // man
		0.0, -1.0, 0.0, 0.2, // woman
		1.0, 1.0, 0.0, 0.3, // king
		1.0, -1.0, 0.0, 0.3, // queen
		0.0, 1.0, 1.0, 0.1, // boy
		0.0, -1.0, 1.0, 0.1, // girl
		1.0, 1.0, 1.0, 0.2, // prince
		1.0, -1.0, 1.0, 0.2, // princess
		0.3, 0.0, -1.0, 1.0, // big
		0.3, 0.0, -1.0, 2.0, // biggest
		-0.3, 0.0, 1.0, 1.0, // small
		-0.3, 0.0, 1.0, 2.0, // smallest
	}
	vocab, err := embed.NewVocab(words, nil)
	if err != nil {
		log.Fatal(err)
	}
	emb, err := embed.New(vocab, 4, data)
	if err != nil {
		log.Fatal(err)
	}
	return emb
}

func ExampleSolve() {
	emb := toyEmbeddings()
	// man is to king as woman is to ?
	for _, m := range []analogy.Method{analogy.CosAdd, analogy.CosMul} {
		answers, err := analogy.Solve(emb, "man", "king", "woman", analogy.Options{Method: m, K: 3})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m)
		for _, a := range answers {
			fmt.Printf("  %-8s %.4f\n", a.Word, a.Score)
		}
	}
	// Without the exclusion of the question words, they compete too
	// (Nissim et al. 2019): here woman comes second.
	answers, err := analogy.Solve(emb, "man", "king", "woman", analogy.Options{K: 2, KeepQuestionWords: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("keeping question words:", answers[0].Word, answers[1].Word)
	// Output:
	// 3CosAdd
	//   queen    0.9583
	//   princess 0.7865
	//   girl     0.6231
	// 3CosMul
	//   queen    2.4737
	//   princess 1.7634
	//   girl     1.3941
	// keeping question words: queen woman
}

func ExampleEvaluate() {
	emb := toyEmbeddings()
	questions := `: family
man king woman queen
man woman king queen
boy girl man woman
boy prince girl princess
man king boy unicorn
: gram3-superlative
big biggest small smallest
`
	sections, err := analogy.ReadGoogle(strings.NewReader(questions))
	if err != nil {
		log.Fatal(err)
	}
	res, err := analogy.Evaluate(context.Background(), emb, sections, analogy.EvalOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.Sections {
		fmt.Printf("%-18s %v\n", s.Name, s.Score)
	}
	fmt.Printf("%-18s %v\n", "semantic", res.Semantic)
	fmt.Printf("%-18s %v\n", "syntactic", res.Syntactic)
	fmt.Printf("%-18s %v\n", "total", res.Total)
	for _, o := range res.Questions[:2] {
		fmt.Printf("%v: %v, answered %q\n", o.Question, o.Status, o.Predicted)
	}
	// Output:
	// family             100.00% (4/4, 1 skipped)
	// gram3-superlative  100.00% (1/1, 0 skipped)
	// semantic           100.00% (4/4, 1 skipped)
	// syntactic          100.00% (1/1, 0 skipped)
	// total              100.00% (5/5, 1 skipped)
	// man:king::woman:queen: correct, answered "queen"
	// man:woman::king:queen: correct, answered "queen"
}

func ExampleEvaluatePairs() {
	emb := toyEmbeddings()
	pairs, err := analogy.ReadPairs(strings.NewReader("# word1\tword2\tscore\nking\tqueen\t8.5\nking\tprince\t7.0\nbig\tgirl\t0.5\nman\tunicorn\t3.0\n"))
	if err != nil {
		log.Fatal(err)
	}
	r, err := analogy.EvaluatePairs(emb, pairs, analogy.PairOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Spearman %.3f over %d of %d pairs (%d with unknown words)\n", r.Spearman, r.Used, r.Total, r.OOV)
	// Output:
	// Spearman 0.500 over 3 of 4 pairs (1 with unknown words)
}

func ExampleGoogleQuestions() {
	secs := analogy.GoogleQuestions()
	n := 0
	for _, s := range secs {
		n += len(s.Questions)
	}
	fmt.Println(len(secs), "sections,", n, "questions; first:", secs[0].Questions[0])
	// Output: 14 sections, 19544 questions; first: Athens:Greece::Baghdad:Iraq
}
