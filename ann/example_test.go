package ann_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"math"
	"strconv"

	"github.com/wordspace/wordspace/ann"
	"github.com/wordspace/wordspace/embed"
)

// circle returns n words whose 2-D vectors lie around the unit circle,
// word i at angle i degrees: the nearest words to word i are i±1, i±2...
func circle(n int) *embed.Embeddings {
	words := make([]string, n)
	data := make([]float32, 0, 2*n)
	for i := range words {
		words[i] = "w" + strconv.Itoa(i)
		a := float64(i) * math.Pi / 180
		data = append(data, float32(math.Cos(a)), float32(math.Sin(a)))
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		log.Fatal(err)
	}
	e, err := embed.New(v, 2, data)
	if err != nil {
		log.Fatal(err)
	}
	return e
}

func ExampleBuild() {
	e := circle(360)
	idx, err := ann.Build(context.Background(), e, ann.BuildOptions{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	res, err := idx.Search(e.Row(90), 3, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range res {
		fmt.Printf("%s %.4f\n", n.Word, n.Score)
	}
	// Output:
	// w90 1.0000
	// w89 0.9998
	// w91 0.9998
}

func ExampleIndex_Search_skip() {
	e := circle(360)
	idx, err := ann.Build(context.Background(), e, ann.BuildOptions{})
	if err != nil {
		log.Fatal(err)
	}
	// Leave out the query word itself, as neighbour lists usually do:
	// the answer still has k words.
	res, err := idx.Search(e.Row(10), 4, func(row int) bool { return row == 10 })
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range res {
		fmt.Print(n.Word, " ")
	}
	fmt.Println()
	// Output: w9 w11 w8 w12
}

func ExampleIndex_WithEf() {
	e := circle(360)
	idx, err := ann.Build(context.Background(), e, ann.BuildOptions{Ef: 20})
	if err != nil {
		log.Fatal(err)
	}
	// A search that keeps more candidates, on the same graph.
	wide := idx.WithEf(200)
	fmt.Println(idx.Ef(), wide.Ef())
	// Output: 20 200
}

func ExampleRead() {
	e := circle(360)
	idx, err := ann.Build(context.Background(), e, ann.BuildOptions{})
	if err != nil {
		log.Fatal(err)
	}
	var file bytes.Buffer // or idx.Save("vectors.hnsw") and ann.Load
	if err := idx.Write(&file); err != nil {
		log.Fatal(err)
	}
	saved := bytes.Clone(file.Bytes())
	back, err := ann.Read(&file, e)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Len(), "vectors indexed")
	// The index fits only the vectors it was built from.
	_, err = ann.Read(bytes.NewReader(saved), circle(359))
	fmt.Println(err)
	// Output:
	// 360 vectors indexed
	// ann: the index is for 360 vectors of dimension 2, the embeddings have 359 of dimension 2: index does not match the vectors
}

// Queries of package embed use an index when given embed.WithIndex; they
// stay exact without it.
func Example_withIndex() {
	e := circle(360)
	idx, err := ann.Build(context.Background(), e, ann.BuildOptions{})
	if err != nil {
		log.Fatal(err)
	}
	res, err := e.MostSimilar([]string{"w45"}, nil, 3, embed.QueryOptions{Index: idx})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range res {
		fmt.Print(n.Word, " ")
	}
	fmt.Println()
	// Output: w44 w46 w43
}
