package transformer_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/transformer"
)

func ExampleFromEmbeddings() {
	vocab, err := embed.NewVocab([]string{"the", "river", "bank", "money"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	vectors, err := embed.New(vocab, 4, []float32{
		0.1, 0.2, 0.0, 0.1,
		0.9, 0.1, 0.3, 0.0,
		0.4, 0.5, 0.5, 0.2,
		0.0, 0.8, 0.1, 0.7,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Vectors of dimension 4 feed a model of width 8 through a learned projection.
	m, err := transformer.FromEmbeddings(transformer.Config{DModel: 8, Heads: 2, Layers: 2, DFF: 16, Context: 8, Seed: 1}, vectors)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := m.Contextualize(strings.Fields("the river bank flooded"), transformer.ContextOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Tokens, "unknown:", r.Unknown)
	fmt.Println("layers:", len(r.Layers), "width:", len(r.Hidden(-1, 2)))
	// Output:
	// [<bos> the river bank <unk>] unknown: 1
	// layers: 4 width: 8
}

func ExampleTrain() {
	toy := corpus.FromFunc("toy", func(ctx context.Context, fn func([]string) error) error {
		for i := range 300 {
			s := "the cat sat on the mat"
			if i%2 == 1 {
				s = "money in the bank earns interest"
			}
			if err := fn(strings.Fields(s)); err != nil {
				return err
			}
		}
		return nil
	})
	vocab, err := corpus.BuildVocab(context.Background(), toy, corpus.VocabOptions{MinCount: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := transformer.New(transformer.Config{DModel: 16, Heads: 2, Layers: 1, DFF: 32, Context: 8, Seed: 1}, vocab.Words())
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := transformer.Train(context.Background(), m, toy, transformer.TrainOptions{Steps: 100, Batch: 8, LR: 3e-3, HeldOut: 0.1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("steps:", res.Steps, "held-out perplexity below 3:", res.HeldOutPerplexity < 3)
	// Output:
	// steps: 100 held-out perplexity below 3: true
}
