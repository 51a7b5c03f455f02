package bias_test

import (
	"context"
	"fmt"
	"log"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/embed"
)

// toy returns a tiny 3-d embedding: the first axis is "gender" (she +,
// he −), the second "career", the third "family".
func toy() *embed.Embeddings {
	rows := []struct {
		w string
		v []float32
	}{
		{"she", []float32{1, 0.2, 0.3}}, {"he", []float32{-1, 0.2, 0.3}},
		{"woman", []float32{0.9, 0.1, 0.4}}, {"man", []float32{-0.9, 0.1, 0.4}},
		{"amy", []float32{0.5, 0.2, 0.8}}, {"lisa", []float32{0.4, 0.3, 0.9}},
		{"john", []float32{-0.5, 0.8, 0.2}}, {"paul", []float32{-0.4, 0.9, 0.3}},
		{"salary", []float32{-0.1, 1, 0.1}}, {"office", []float32{0, 0.9, 0}},
		{"home", []float32{0.1, 0, 1}}, {"children", []float32{0.2, 0.1, 0.9}},
		{"nurse", []float32{0.6, 0.5, 0.5}}, {"engineer", []float32{-0.5, 0.8, 0.1}},
	}
	var words []string
	var data []float32
	for _, r := range rows {
		words = append(words, r.w)
		data = append(data, r.v...)
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		log.Fatal(err)
	}
	e, err := embed.New(v, 3, data)
	if err != nil {
		log.Fatal(err)
	}
	return e
}

func ExampleWEAT() {
	e := toy()
	test := bias.WEATTest{
		Name: "names vs career/family",
		X:    []string{"John", "Paul"}, // found as "john", "paul" (lower-case fallback)
		Y:    []string{"amy", "lisa"},
		A:    []string{"salary", "office"},
		B:    []string{"home", "children", "garden"}, // "garden" is missing
	}
	r, err := bias.WEAT(context.Background(), e, test, bias.WEATOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("d = %.3f, p = %.3f (exact: %v, %v partitions)\n", r.EffectSize, r.PValue, r.Permutation.Exact, r.Permutation.Partitions)
	fmt.Println("X lower-cased:", r.OOV[0].Lowercased)
	fmt.Println("B missing:", r.OOV[3].Missing)
	// Output:
	// d = 1.730, p = 0.167 (exact: true, 6 partitions)
	// X lower-cased: [John→john Paul→paul]
	// B missing: [garden]
}

func ExampleDirection_DirectBias() {
	e := toy()
	g, err := bias.NewDirection(e, [][2]string{{"she", "he"}, {"woman", "man"}}, bias.Lookup{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("first component explains %.1f%%\n", 100*g.ExplainedVariance[0])
	r, err := g.DirectBias([]string{"nurse", "engineer"}, 1)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range r.PerWord {
		fmt.Printf("cos(%s, g) = %+.3f\n", w.Word, w.Score)
	}
	fmt.Printf("direct bias %.3f\n", r.Value)
	// Output:
	// first component explains 100.0%
	// cos(nurse, g) = +0.647
	// cos(engineer, g) = -0.527
	// direct bias 0.587
}

func ExampleHardDebias() {
	e := toy()
	de, rep, err := bias.HardDebias(context.Background(), e, bias.DebiasOptions{
		Definitional:   [][2]string{{"she", "he"}, {"woman", "man"}},
		Equalize:       [][2]string{{"amy", "john"}},
		GenderSpecific: []string{"she", "he", "woman", "man"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("neutralised", rep.Neutralized, "equalised", rep.Equalized)
	g, _ := rep.Direction.On(de)
	r, _ := g.DirectBias([]string{"nurse", "engineer"}, 1)
	fmt.Printf("direct bias after: %.0e\n", r.Value)
	// Output:
	// neutralised 10 equalised [[she he] [woman man] [amy john]]
	// direct bias after: 0e+00
}

func ExampleWEATTests() {
	for _, t := range bias.WEATTests()[5:8] {
		fmt.Printf("%d: %s / %s vs %s / %s (published d %.2f)\n", t.ID, t.XName, t.YName, t.AName, t.BName, t.PublishedD["glove_840B_common_crawl"])
	}
	// Output:
	// 6: Male names / Female names vs Career / Family (published d 1.81)
	// 7: Math / Arts vs Male terms / Female terms (published d 1.06)
	// 8: Science / Arts vs Male terms / Female terms (published d 1.24)
}
