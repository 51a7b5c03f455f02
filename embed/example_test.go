package embed_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/wordspace/wordspace/embed"
)

// A tiny model in word2vec text format: a header "words dimension", then
// one word and its vector a line.
const model = `6 3
king 0.9 0.8 0.1
queen 0.9 0.1 0.8
man 0.2 0.9 0.1
woman 0.2 0.1 0.9
apple -0.8 0.1 0.1
pear -0.75 0.12 0.09
`

func load() *embed.Embeddings {
	e, err := embed.Read(strings.NewReader(model), embed.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	return e
}

func ExampleRead() {
	e, err := embed.Read(strings.NewReader(model), embed.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Len(), "words of dimension", e.Dim())
	fmt.Println(e.Vocab().Words())
	// Output:
	// 6 words of dimension 3
	// [king queen man woman apple pear]
}

func ExampleRead_limit() {
	// Limit reads only the first words, like gensim's limit=.
	e, err := embed.Read(strings.NewReader(model), embed.LoadOptions{Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Vocab().Words())
	// Output: [king queen]
}

func ExampleRead_malformed() {
	// Bad input ends in an error that says where the problem is.
	_, err := embed.Read(strings.NewReader("2 3\nking 0.9 0.8 0.1\nqueen 0.9 NaN 0.8\n"), embed.LoadOptions{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, embed.ErrFormat), errors.Is(err, embed.ErrNotFinite))
	// Output:
	// embed: word2vec text: line 3 (byte 21): word "queen": value 2 "NaN" is not a finite float32: value is not finite
	// true true
}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "embed")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vectors.bin.gz")
	if err := load().Save(path, embed.Binary); err != nil {
		log.Fatal(err)
	}
	// The format (word2vec binary) and the compression are detected.
	e, err := embed.Load(path, embed.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	v, _ := e.Vector("queen")
	fmt.Println(v)
	// Output: [0.9 0.1 0.8]
}

func ExampleEmbeddings_Save() {
	dir, _ := os.MkdirTemp("", "embed")
	defer os.RemoveAll(dir)
	// The format follows the extension; .npy also writes vectors.vocab.
	path := filepath.Join(dir, "vectors.npy")
	if err := load().Save(path, embed.Auto); err != nil {
		log.Fatal(err)
	}
	words, _ := os.ReadFile(embed.VocabPath(path))
	fmt.Print(string(words[:11]))
	e, err := embed.Load(path, embed.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Len(), e.Dim())
	// Output:
	// king
	// queen
	// 6 3
}

func ExampleEmbeddings_Write() {
	var buf bytes.Buffer
	if err := load().Write(&buf, embed.GloVe); err != nil {
		log.Fatal(err)
	}
	fmt.Print(strings.SplitAfterN(buf.String(), "\n", 3)[:2])
	// Output: [king 0.9 0.8 0.1
	//  queen 0.9 0.1 0.8
	// ]
}

// Rounding to 5 significant digits, as fastText writes .vec files.
func ExampleEmbeddings_WriteWith() {
	vocab, err := embed.NewVocab([]string{"cat"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	e, err := embed.New(vocab, 3, []float32{0.123456789, -1.5e-7, 42})
	if err != nil {
		log.Fatal(err)
	}
	for _, digits := range []int{0, 5} {
		if err := e.WriteWith(os.Stdout, embed.GloVe, embed.WriteOptions{Digits: digits}); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// cat 0.12345679 -1.5e-07 42
	// cat 0.12346 -1.5e-07 42
}

func ExampleNew() {
	vocab, err := embed.NewVocab([]string{"cat", "dog"}, []int64{10, 7})
	if err != nil {
		log.Fatal(err)
	}
	e, err := embed.New(vocab, 2, []float32{1, 0, 0.8, 0.6})
	if err != nil {
		log.Fatal(err)
	}
	s, _ := e.Similarity("cat", "dog")
	fmt.Printf("%.2f %d\n", s, e.Vocab().Count(1))
	// Output: 0.80 7
}

func ExampleNewVocab() {
	_, err := embed.NewVocab([]string{"a", "b", "a"}, nil)
	fmt.Println(errors.Is(err, embed.ErrDuplicateWord))
	// Output: true
}

func ExampleEmbeddings_Similarity() {
	e := load()
	s, err := e.Similarity("apple", "pear")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.3f\n", s)
	_, err = e.Similarity("apple", "banana")
	fmt.Println(err, errors.Is(err, embed.ErrUnknownWord))
	// Output:
	// 0.999
	// embed: "banana": word not in vocabulary true
}

func ExampleEmbeddings_MostSimilar() {
	e := load()
	// king - man + woman: the query words themselves are left out.
	res, err := e.MostSimilar([]string{"king", "woman"}, []string{"man"}, 1, embed.QueryOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %.3f\n", res[0].Word, res[0].Score)
	// Output: queen 0.954
}

func ExampleEmbeddings_MostSimilarToVector() {
	e := load()
	res, err := e.MostSimilarToVector([]float32{0, 0, 1}, 2, embed.QueryOptions{Exclude: []string{"woman"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range res {
		fmt.Printf("%s %.3f\n", n.Word, n.Score)
	}
	// Output:
	// queen 0.662
	// apple 0.123
}

func ExampleEmbeddings_DoesntMatch() {
	odd, err := load().DoesntMatch([]string{"king", "queen", "woman", "apple"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(odd)
	// Output: apple
}

func ExampleEmbeddings_Nearest() {
	e := load()
	// Two queries of dimension 3 in one row-major slice.
	queries := []float32{
		1, 1, 0,
		-1, 0.5, 0,
	}
	res, err := e.Nearest(queries, 2, embed.QueryOptions{Restrict: 5})
	if err != nil {
		log.Fatal(err)
	}
	for i, r := range res {
		fmt.Println(i, r[0].Word, r[1].Word)
	}
	// Output:
	// 0 king man
	// 1 apple man
}

func ExampleEmbeddings_WriteNPY() {
	// An .npy matrix and its vocabulary, e.g. for numpy:
	// np.load("vectors.npy") and open("vectors.vocab").read().split("\n").
	var matrix, vocab bytes.Buffer
	if err := load().WriteNPY(&matrix, &vocab); err != nil {
		log.Fatal(err)
	}
	e, err := embed.ReadNPY(&matrix, &vocab, embed.LoadOptions{Limit: 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Vocab().Words(), e.Dim())
	// Output: [king queen man] 3
}

func ExampleFormatFromPath() {
	for _, p := range []string{"GoogleNews-vectors-negative300.bin.gz", "wiki.en.vec", "glove.6B.100d.txt", "m.npy"} {
		fmt.Println(embed.FormatFromPath(p))
	}
	// Output:
	// binary
	// text
	// glove
	// npy
}

func ExampleCosine() {
	fmt.Printf("%.4f\n", embed.Cosine([]float32{1, 0}, []float32{1, 1}))
	fmt.Println(embed.Cosine([]float32{1, 2}, []float32{0, 0})) // a zero vector: 0
	// Output:
	// 0.7071
	// 0
}
