package ppmi_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/james-bowman/sparse"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/ppmi"
)

// Animals and vehicles never share a sentence; the vectors keep them
// apart.
var text = strings.Repeat(`the cat chased the dog
the dog chased the cat
a cat and a dog played
the car passed the truck
the truck passed the car
a car and a truck raced
`, 20)

func ExampleTrain() {
	vecs, err := ppmi.Train(context.Background(), corpus.FromString(text), ppmi.Options{
		MinCount: 1,
		Count:    ppmi.CountOptions{Window: 2},
		SVD:      ppmi.SVDOptions{Dim: 4, Seed: 1},
		Embed:    ppmi.EmbedOptions{Eig: 0.5},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(vecs.Len(), "words of dimension", vecs.Dim())
	near, err := vecs.MostSimilar([]string{"cat"}, nil, 1, embed.QueryOptions{Exclude: []string{"the", "a", "and"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("nearest to cat:", near[0].Word)
	// Output:
	// 11 words of dimension 4
	// nearest to cat: dog
}

func ExampleCount() {
	c := corpus.FromString("a b c\nb a b\n")
	vocab, err := corpus.BuildVocab(context.Background(), c, corpus.VocabOptions{MinCount: 1})
	if err != nil {
		log.Fatal(err)
	}
	counts, err := ppmi.Count(context.Background(), c, vocab, ppmi.CountOptions{Window: 2, Weighting: ppmi.Linear})
	if err != nil {
		log.Fatal(err)
	}
	for _, pair := range [][2]string{{"a", "b"}, {"a", "c"}, {"b", "b"}} {
		n, _ := counts.At(pair[0], pair[1])
		fmt.Printf("#(%s,%s) = %g\n", pair[0], pair[1], n)
	}
	// Output:
	// #(a,b) = 3
	// #(a,c) = 0.5
	// #(b,b) = 1
}

func ExampleFromCounts() {
	// Two words that always occur together and a third on its own.
	counts := sparse.NewCSR(3, 3, []int{0, 1, 2, 3}, []int{1, 0, 2}, []float64{4, 4, 2})
	m, err := ppmi.FromCounts(counts, ppmi.PMIOptions{Smoothing: 1})
	if err != nil {
		log.Fatal(err)
	}
	// PMI(0,1) = log(4·10 / (4·4)) = log 2.5
	fmt.Printf("PPMI(0,1) = %.4f\n", m.At(0, 1))
	fmt.Printf("PPMI(2,2) = %.4f\n", m.At(2, 2))
	// Output:
	// PPMI(0,1) = 0.9163
	// PPMI(2,2) = 1.6094
}

func ExampleTruncatedSVD() {
	// A diagonal matrix: its singular values are its entries, sorted.
	d := sparse.NewCSR(4, 4, []int{0, 1, 2, 3, 4}, []int{0, 1, 2, 3}, []float64{1, 5, 3, 2})
	svd, err := ppmi.TruncatedSVD(context.Background(), d, ppmi.SVDOptions{Dim: 2, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.6f\n", svd.Values)
	// Output:
	// [5.000000 3.000000]
}

func ExampleCooccurrence_Save() {
	c := corpus.FromString(text)
	vocab, err := corpus.BuildVocab(context.Background(), c, corpus.VocabOptions{MinCount: 1})
	if err != nil {
		log.Fatal(err)
	}
	counts, err := ppmi.Count(context.Background(), c, vocab, ppmi.CountOptions{})
	if err != nil {
		log.Fatal(err)
	}
	var file strings.Builder // or counts.Save("counts.cooc") and ppmi.Load
	if err := counts.Write(&file); err != nil {
		log.Fatal(err)
	}
	again, err := ppmi.Read(strings.NewReader(file.String()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(again.Vocab().Len(), "words,", again.Counts().NNZ(), "non-zero counts, window", again.Info().Window)
	// Output:
	// 11 words, 60 non-zero counts, window 5
}
