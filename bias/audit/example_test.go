package audit_test

import (
	"context"
	"log"
	"os"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/bias/audit"
	"github.com/wordspace/wordspace/embed"
)

func ExampleRun() {
	// A tiny embedding whose first axis is gender (she +, he −), the
	// second career and the third family.
	words := []string{"she", "he", "woman", "man", "amy", "lisa", "john", "paul",
		"salary", "office", "home", "children", "nurse", "engineer"}
	data := []float32{
		1, 0.2, 0.3, -1, 0.2, 0.3, 0.9, 0.1, 0.4, -0.9, 0.1, 0.4,
		0.5, 0.2, 0.8, 0.4, 0.3, 0.9, -0.5, 0.8, 0.2, -0.4, 0.9, 0.3,
		-0.1, 1, 0.1, 0, 0.9, 0, 0.1, 0, 1, 0.2, 0.1, 0.9,
		0.6, 0.5, 0.5, -0.5, 0.8, 0.1,
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		log.Fatal(err)
	}
	e, err := embed.New(v, 3, data)
	if err != nil {
		log.Fatal(err)
	}
	r, err := audit.Run(context.Background(), e, audit.Options{
		Tests: []bias.WEATTest{{ID: 1, Name: "names vs career/family",
			X: []string{"john", "paul"}, Y: []string{"amy", "lisa"},
			A: []string{"salary", "office"}, B: []string{"home", "children"}}},
		WordLists: bias.WordLists{
			Definitional:   [][2]string{{"she", "he"}, {"woman", "man"}},
			Equalize:       [][2]string{{"amy", "john"}},
			GenderSpecific: []string{"she", "he", "woman", "man"},
			Neutral:        []string{"nurse", "engineer"},
		},
		Debias: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	// r.Markdown and r.Plots write the full report; Table is the summary.
	if err := r.Table(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// measure                                    before         after          change
	// direct bias (c=1, 2 words)                 0.587          0              -0.587
	// direct bias, direction recomputed after                   0
	// relative norm distance (Garg et al.)       -0.3212        0.0000         +0.3212
	// embedding coherence test (Dev & Phillips)  -1.0000        1.0000         +2.0000
	// WEAT 1 d                                   1.730          1.225          -0.505
	// WEAT 1 p                                   0.167 (exact)  0.333 (exact)
}
