package subword_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/subword"
)

func ExampleNgrams() {
	fmt.Println(subword.Ngrams("where", 3, 4))
	// Output: [<wh <whe whe wher her here ere ere> re>]
}

func ExampleHash() {
	// fastText's hash sign-extends bytes: "é" hashes differently from
	// plain FNV-1a's.
	fmt.Println(subword.Hash("abc"), subword.Hash("<né"))
	// Output: 440920331 3020065143
}

// model builds a tiny model: two words of dimension 2, n-grams of 3
// characters hashed into 4 buckets, all rows set by hand.
func model() *subword.Model {
	vocab, err := embed.NewVocab([]string{"cat", "dog"}, []int64{10, 7})
	if err != nil {
		log.Fatal(err)
	}
	input := []float32{
		1, 0, // cat
		0, 1, // dog
		0.5, 0.5, 0, 0.5, 0.5, 0, 1, 1, // buckets 0..3
	}
	output := make([]float32, 2*2)
	m, err := subword.New(vocab, subword.Args{Dim: 2, MinN: 3, MaxN: 3, Bucket: 4}, input, output, 17)
	if err != nil {
		log.Fatal(err)
	}
	return m
}

func ExampleModel_Vector() {
	m := model()
	for _, w := range []string{"cat", "cot"} {
		v, err := m.Vector(w)
		if err != nil {
			log.Fatal(err)
		}
		// "cat" is the mean of its row and its n-grams' rows; "cot",
		// unseen, of its n-grams' rows only. With 4 buckets, n-grams
		// often share a row ("<ca" and "cat" here).
		fmt.Printf("%s known=%v rows=%v vector=%.3f\n", w, m.Known(w), m.AppendRows(nil, w), v)
	}
	// Output:
	// cat known=true rows=[0 5 5 4] vector=[0.875 0.500]
	// cot known=false rows=[3 3 2] vector=[0.167 0.500]
}

func ExampleModel_MostSimilar() {
	m := model()
	// An unseen word's neighbours, from its n-grams.
	nn, err := m.MostSimilar([]string{"dot"}, nil, 2, embed.QueryOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range nn {
		fmt.Printf("%s %.3f\n", n.Word, n.Score)
	}
	// Output:
	// cat 0.998
	// dog 0.904
}

func ExampleRead() {
	var buf bytes.Buffer
	if err := model().Write(&buf); err != nil {
		log.Fatal(err)
	}
	m, err := subword.Read(&buf)
	if err != nil {
		log.Fatal(err)
	}
	a := m.Args()
	fmt.Println(m.Vocab().Words(), a.Dim, a.MinN, a.MaxN, a.Bucket)

	// A file cut short, or any other damage, is a FormatError.
	buf.Reset()
	model().Write(&buf)
	_, err = subword.Read(bytes.NewReader(buf.Bytes()[:100]))
	fmt.Println(errors.Is(err, subword.ErrFormat))
	fmt.Println(err)
	// Output:
	// [cat dog] 2 3 3 4
	// true
	// subword: fastText model: byte 92: dictionary: 2 entries do not fit in the 8 bytes left: unexpected EOF
}

func ExampleModel_EmbeddingsWith() {
	m := model()
	// "cot" is unseen: it is appended after the vocabulary, so that any
	// embed query or analogy can take it.
	e, added, err := m.EmbeddingsWith([]string{"cat", "cot"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Vocab().Words(), added)
	// Output: [cat dog cot] [cot]
}
