package inspect_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/transformer/inspect"
)

// A head that attends exactly to the previous token scores 1 for that
// role and 0 for the others.
func ExampleScorePattern() {
	tokens := strings.Fields("<bos> the cat saw the dog")
	att := make([][]float32, len(tokens))
	for p := range att {
		att[p] = make([]float32, len(tokens))
		att[p][max(0, p-1)] = 1
	}
	s, n := inspect.ScorePattern(att, tokens)
	fmt.Printf("previous %.0f, first %.0f, copy %.0f (over %d, %d and %d positions)\n",
		s[inspect.Previous], s[inspect.First], s[inspect.Copy], n[inspect.Previous], n[inspect.First], n[inspect.Copy])
	// Output:
	// previous 1, first 0, copy 0 (over 4, 4 and 1 positions)
}

func ExampleHeads() {
	words := strings.Fields("the cat sat on a mat and dog ran to it")
	m, _ := transformer.New(transformer.Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 12, Seed: 1}, words)
	texts := []inspect.Text{{Words: strings.Fields("the cat sat on the mat"), Next: transformer.Eos}}
	rep, err := inspect.Heads(context.Background(), m, texts, inspect.HeadOptions{Sequences: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A random model's heads are no better than a uniform head.
	l, h, s := rep.Best(inspect.Previous)
	fmt.Printf("heads scored: %d; best previous-token head %d.%d near uniform: %v\n",
		len(rep.Scores)*len(rep.Scores[0]), l+1, h+1, s < 2*rep.Uniform[inspect.Previous])
	fmt.Println("induction test: period", rep.Period, "over", rep.Sequences, "sequences")
	// Output:
	// heads scored: 4; best previous-token head 1.1 near uniform: true
	// induction test: period 5 over 10 sequences
}

func ExampleLens() {
	words := strings.Fields("the cat sat on a mat")
	m, _ := transformer.New(transformer.Config{DModel: 16, Heads: 2, Layers: 2, DFF: 32, Context: 12, Seed: 1}, words)
	texts := []inspect.Text{{Words: strings.Fields("the cat sat on the mat"), Next: transformer.Eos}}
	rep, err := inspect.Lens(context.Background(), m, texts, inspect.LensOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range rep.Layers {
		fmt.Printf("layer %d: %d predictions scored\n", l.Layer, rep.Predictions)
	}
	// Output:
	// layer 0: 7 predictions scored
	// layer 1: 7 predictions scored
	// layer 2: 7 predictions scored
}

func ExampleNeurons() {
	words := strings.Fields("the cat sat on a mat and dog ran to it")
	m, _ := transformer.New(transformer.Config{DModel: 16, Heads: 2, Layers: 1, DFF: 8, Context: 12, Seed: 1}, words)
	texts := []inspect.Text{
		{Words: strings.Fields("the cat sat on the mat"), Next: transformer.Eos},
		{Words: strings.Fields("a dog ran to the cat"), Next: transformer.Eos},
	}
	rep, err := inspect.Neurons(context.Background(), m, texts, inspect.NeuronOptions{TopK: 4, Promote: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	n := rep.Neurons[0][0]
	fmt.Println("positions read:", rep.Positions, "neurons:", len(rep.Neurons[0]))
	fmt.Println("contexts kept per neuron:", len(n.Top), "words promoted:", len(n.Promotes))
	// Output:
	// positions read: 12 neurons: 8
	// contexts kept per neuron: 4 words promoted: 3
}

func ExampleSenses() {
	words := strings.Fields("the river bank money in sat on we put our")
	m, _ := transformer.New(transformer.Config{DModel: 16, Heads: 2, Layers: 1, DFF: 32, Context: 12, Seed: 1}, words)
	items, _ := inspect.ReadAmbiguous(strings.NewReader(
		"bank: we sat on the river bank | the river bank || we put money in the bank | money in the bank"))
	rep, err := inspect.Senses(m, items)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("words:", rep.Words, "layers compared:", len(rep.Layers))
	fmt.Printf("static vector: same %.0f, different %.0f\n", rep.Static.Same, rep.Static.Different)
	// Output:
	// words: [bank] layers compared: 3
	// static vector: same 1, different 1
}

// An induction head attends from the second occurrence of a token to the
// token that followed its first occurrence; a head that looks back one
// period (at the earlier copy itself) does not count.
func ExampleInductionScore() {
	const period = 4 // <bos> a b c d a b c d
	n := 1 + 2*period
	pattern := func(back int) [][]float32 {
		att := make([][]float32, n)
		for p := range att {
			att[p] = make([]float32, n)
			att[p][max(0, p-back)] = 1
		}
		return att
	}
	fmt.Printf("induction head %.2f, copy head %.2f\n",
		inspect.InductionScore(pattern(period-1), period), inspect.InductionScore(pattern(period), period))
	// Output:
	// induction head 1.00, copy head 0.00
}

// Sentences cuts a held-out token stream into texts, one per sentence,
// each with the token that follows it.
func ExampleSentences() {
	words := strings.Fields("the cat sat on a mat")
	m, _ := transformer.New(transformer.Config{DModel: 8, Heads: 2, Layers: 1, DFF: 16, Context: 12, Seed: 1}, words)
	id := func(w string) int32 { i, _ := m.TokenID(w); return i }
	var stream []int32
	for _, s := range []string{"the cat sat", "on a mat", "a cat"} {
		stream = append(stream, transformer.BosID)
		for _, w := range strings.Fields(s) {
			stream = append(stream, id(w))
		}
		stream = append(stream, transformer.EosID)
	}
	for _, t := range inspect.Sentences(m, stream, 10, 3) {
		fmt.Println(t.Words, "→", t.Next)
	}
	// Output:
	// [the cat sat] → <eos>
	// [on a mat] → <eos>
}
