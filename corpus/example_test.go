package corpus_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/wordspace/wordspace/corpus"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "corpus")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("The cat sat.\nThe dog ran!\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("A bird sang"), 0o644)

	// A directory reads all its files in name order; .gz files would be
	// decompressed on the fly.
	c, err := corpus.Open([]string{dir}, corpus.TokenOptions{Lower: true, StripPunct: true})
	if err != nil {
		log.Fatal(err)
	}
	err = c.Sentences(context.Background(), func(tokens []string) error {
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

func ExampleFromReader() {
	text := strings.NewReader("Running dogs\nThe dog runs\n")
	c, err := corpus.FromReader("dogs", text, corpus.TokenOptions{Lower: true, Stem: "english"})
	if err != nil {
		log.Fatal(err)
	}
	c.Sentences(context.Background(), func(tokens []string) error {
		fmt.Println(tokens)
		return nil
	})
	// Output:
	// [run dog]
	// [the dog run]
}

func ExampleBuildVocab() {
	c := corpus.FromString("to be or not to be\nthat is the question\n")
	vocab, err := corpus.BuildVocab(context.Background(), c, corpus.VocabOptions{MinCount: 2})
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

func ExampleWriteVocab() {
	c := corpus.FromString("to be or not to be\n")
	vocab, _ := corpus.BuildVocab(context.Background(), c, corpus.VocabOptions{MinCount: 1})
	corpus.WriteVocab(os.Stdout, vocab)
	// Output:
	// be 2
	// to 2
	// not 1
	// or 1
}

func ExampleFromFunc() {
	// A derived stream: the words of a corpus without the stop words, read
	// again (and filtered again) on every pass.
	stop := map[string]bool{"the": true, "a": true}
	base := corpus.FromString("the cat sat on a mat\n")
	filtered := corpus.FromFunc("no stop words", func(ctx context.Context, fn func([]string) error) error {
		var kept []string
		return base.Sentences(ctx, func(tokens []string) error {
			kept = kept[:0]
			for _, t := range tokens {
				if !stop[t] {
					kept = append(kept, t)
				}
			}
			return fn(kept)
		})
	})
	filtered.Sentences(context.Background(), func(tokens []string) error {
		fmt.Println(tokens)
		return nil
	})
	// Output: [cat sat on mat]
}

func ExampleSentenceIDs() {
	c := corpus.FromString("the cat sat\nthe dog\n")
	index := map[string]int32{"the": 0, "cat": 1, "dog": 2}
	corpus.SentenceIDs(context.Background(), c, index, func(ids []int32, tokens int) error {
		fmt.Println(ids, "of", tokens, "tokens")
		return nil
	})
	// Output:
	// [0 1] of 3 tokens
	// [0 2] of 2 tokens
}
