package word2vec_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/wordspace/wordspace/word2vec"
)

// sampleText is a tiny corpus: sentences about animals and about
// vehicles, so that words of one kind share contexts.
func sampleText() string {
	var sb strings.Builder
	animals := []string{"cat", "dog", "horse", "cow"}
	vehicles := []string{"car", "truck", "bus", "train"}
	for i := range 400 {
		a, b := animals[i%4], animals[(i/4+1+i)%4]
		v, w := vehicles[i%4], vehicles[(i/4+1+i)%4]
		fmt.Fprintf(&sb, "the %s eats grass and the %s sleeps in the barn\n", a, b)
		fmt.Fprintf(&sb, "a %s drives on the road and a %s needs fuel\n", v, w)
	}
	return sb.String()
}

func ExampleTrain() {
	corpus, err := word2vec.NewCorpus("sample", func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(sampleText())), nil
	}, word2vec.TokenOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cfg := word2vec.DefaultConfig()
	cfg.Dim = 20
	cfg.Epochs = 10
	cfg.Sample = 0
	cfg.Threads = 1 // deterministic
	model, err := word2vec.Train(context.Background(), corpus, cfg)
	if err != nil {
		log.Fatal(err)
	}
	vectors := model.Embeddings()
	catDog, _ := vectors.Similarity("cat", "dog")
	catCar, _ := vectors.Similarity("cat", "car")
	fmt.Println("words:", vectors.Len(), "dimension:", vectors.Dim())
	fmt.Println("cat is closer to dog than to car:", catDog > catCar)
	// Output:
	// words: 21 dimension: 20
	// cat is closer to dog than to car: true
}

func ExampleOpenCorpus() {
	dir, _ := os.MkdirTemp("", "corpus")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("The cat sat.\nThe dog ran!\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("A bird sang"), 0o644)

	// A directory reads all its files in name order; .gz files would be
	// decompressed on the fly.
	corpus, err := word2vec.OpenCorpus(word2vec.TokenOptions{Lower: true, StripPunct: true}, dir)
	if err != nil {
		log.Fatal(err)
	}
	err = corpus.Sentences(context.Background(), func(tokens []string) error {
		fmt.Println(tokens)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// [the cat sat]
	// [the dog ran]
	// [a bird sang]
}

func ExampleBuildVocab() {
	corpus, _ := word2vec.NewCorpus("text", func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("to be or not to be\nthat is the question\n")), nil
	}, word2vec.TokenOptions{})
	vocab, err := word2vec.BuildVocab(context.Background(), corpus, word2vec.VocabOptions{MinCount: 2})
	if err != nil {
		log.Fatal(err)
	}
	for i, w := range vocab.Words() {
		fmt.Println(w, vocab.Count(i))
	}
	// Output:
	// be 2
	// to 2
}
