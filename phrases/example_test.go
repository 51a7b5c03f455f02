package phrases_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/phrases"
)

// text says who visited which city in every combination, and who read
// which paper: only "new york" (and "new york times") always go together.
var text = func() string {
	var sb strings.Builder
	for _, who := range []string{"i", "you", "we", "they"} {
		for _, verb := range []string{"visited", "left", "loved", "saw"} {
			for _, city := range []string{"new york", "paris", "rome", "london"} {
				fmt.Fprintf(&sb, "%s %s %s\n", who, verb, city)
			}
		}
		for _, paper := range []string{"new york times", "guardian", "new york times", "new york times"} {
			fmt.Fprintf(&sb, "%s read %s\n", who, paper)
		}
	}
	return sb.String()
}()

func ExampleLearn() {
	// Scores: N = 280 tokens; new and york occur 28 times each, always
	// together: (28 − 5) / (28·28) · 280 = 8.21.
	m, err := phrases.Learn(context.Background(), corpus.FromString(text), phrases.Options{MinCount: 5, Threshold: 5})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range m.Phrases() {
		fmt.Printf("%s %s: %d times, score %.2f\n", p.First, p.Second, p.Count, p.Score)
	}
	fmt.Println(m.Join(nil, strings.Fields("they saw new york again")))
	// Output:
	// new york: 28 times, score 8.21
	// york times: 12 times, score 5.83
	// [they saw new_york again]
}

func ExampleDetect() {
	joined, models, err := phrases.Detect(context.Background(), corpus.FromString(text), 2, phrases.Options{MinCount: 5, Threshold: 5})
	if err != nil {
		log.Fatal(err)
	}
	for i, m := range models {
		for _, p := range m.Phrases() {
			fmt.Printf("pass %d: %s_%s\n", i+1, p.First, p.Second)
		}
	}
	// joined is a corpus.Source: word2vec.Train, corpus.BuildVocab or
	// ppmi.Count read it like any other, joining phrases on the fly.
	err = joined.Sentences(context.Background(), func(s []string) error {
		if s[0] == "we" && s[1] == "read" {
			fmt.Println(strings.Join(s, " "))
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Pass 1 finds york_times too, but joining goes left to right, so
	// "new york times" becomes new_york times, and pass 2 finishes it.

	// Output:
	// pass 1: new_york
	// pass 1: york_times
	// pass 2: new_york_times
	// we read new_york_times
	// we read guardian
	// we read new_york_times
	// we read new_york_times
}

func ExampleModel_Apply() {
	c := corpus.FromString(text)
	m, err := phrases.Learn(context.Background(), c, phrases.Options{MinCount: 5, Threshold: 5})
	if err != nil {
		log.Fatal(err)
	}
	// The joined corpus is read on the fly; here a vocabulary is built
	// from it, as word2vec.Train would.
	vocab, err := corpus.BuildVocab(context.Background(), m.Apply(c), corpus.VocabOptions{MinCount: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(vocab.Contains("new_york"), vocab.Contains("new"))
	// Output:
	// true false
}
