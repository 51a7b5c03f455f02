package word2vec_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/wordspace/wordspace/corpus"
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
	text := corpus.FromString(sampleText())
	cfg := word2vec.DefaultConfig()
	cfg.Dim = 20
	cfg.Epochs = 10
	cfg.Sample = -1 // no subsampling
	cfg.Threads = 1 // deterministic
	model, err := word2vec.Train(context.Background(), text, cfg)
	if err != nil {
		log.Fatal(err)
	}
	vectors, err := model.Embeddings()
	if err != nil {
		log.Fatal(err)
	}
	catDog, _ := vectors.Similarity("cat", "dog")
	catCar, _ := vectors.Similarity("cat", "car")
	fmt.Println("words:", vectors.Len(), "dimension:", vectors.Dim())
	fmt.Println("cat is closer to dog than to car:", catDog > catCar)
	// Output:
	// words: 21 dimension: 20
	// cat is closer to dog than to car: true
}
