package bias_test

import (
	"context"
	"fmt"
	"log"

	"github.com/wordspace/wordspace/bias"
)

// The toy embedding's first axis is gender, so occupations lie nearer the
// female or the male centroid according to their sign on it.
func ExampleRND() {
	r, err := bias.RND(toy(), []string{"she", "woman"}, []string{"he", "man"}, []string{"nurse", "engineer"}, bias.Lookup{})
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range r.PerWord {
		fmt.Printf("%-8s %+.3f\n", w.Word, w.Score) // negative: closer to she/woman
	}
	fmt.Printf("RND %.3f (mean %.3f)\n", r.Value, r.Mean)
	// Output:
	// nurse    -1.112
	// engineer +0.790
	// RND -0.321 (mean -0.161)
}

func ExampleECT() {
	// Do male and female names rank the attribute words alike?
	r, err := bias.ECT(toy(), []string{"john", "paul"}, []string{"amy", "lisa"}, []string{"salary", "office", "home", "children"}, bias.Lookup{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ECT %.2f\n", r.Value) // 1 is unbiased; negative: opposite rankings
	// Output:
	// ECT -0.60
}

func ExampleMAC() {
	// Mean cosine distance of the targets to each attribute set; 1 means
	// no association either way.
	r, err := bias.MAC(toy(), []string{"nurse", "engineer"}, [][]string{{"she", "woman"}, {"he", "man"}}, bias.Lookup{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("MAC %.3f\n", r.Value)
	// Output:
	// MAC 0.789
}

func ExampleRIPA() {
	r, err := bias.RIPA(toy(), [][2]string{{"she", "he"}}, []string{"nurse", "engineer", "salary"}, bias.Lookup{})
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range r.PerWord {
		fmt.Printf("%-8s %+.3f\n", w.Word, w.Score) // positive: on the "she" side
	}
	// Output:
	// nurse    +0.600
	// engineer -0.500
	// salary   -0.100
}

func ExampleRNSB() {
	// A classifier learns to tell the "negative" words (here the family
	// words) from the "positive" ones (the career words); RNSB is how far
	// the groups' predicted probabilities are from uniform, in nats.
	r, err := bias.RNSB(context.Background(), toy(), [][]string{{"amy", "lisa"}, {"john", "paul"}}, []string{"salary", "office"}, []string{"home", "children"}, bias.RNSBOptions{})

	if err != nil {
		log.Fatal(err)
	}
	for _, g := range r.Groups {
		fmt.Printf("%s: p(negative) %.3f, share %.3f\n", g.Group, g.Probability, g.Share)
	}
	fmt.Printf("RNSB %.4f nats\n", r.Value)
	// Output:
	// T1: p(negative) 0.612, share 0.613
	// T2: p(negative) 0.387, share 0.387
	// RNSB 0.0257 nats
}

func ExampleSCWEAT() {
	r, err := bias.SCWEAT(context.Background(), toy(), "nurse", []string{"she", "woman"}, []string{"he", "man"}, bias.WEATOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("nurse: s = %.3f, d = %.2f, p = %.2f over %v partitions\n", r.Association, r.EffectSize, r.PValue, r.Permutation.Partitions)
	// Output:
	// nurse: s = 1.197, d = 1.73, p = 0.17 over 6 partitions
}
