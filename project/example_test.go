package project_test

import (
	"context"
	"fmt"

	"github.com/wordspace/wordspace/project"
)

// Four points in three dimensions, spread mostly along the first axis.
var points = []float32{
	-3, 1, 0,
	-1, -1, 0.5,
	1, 1, 0,
	3, -1, -0.5,
}

func ExamplePCA() {
	res, err := project.PCA(points, 3, project.PCAOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range 4 {
		fmt.Printf("point %d: (%5.2f, %5.2f)\n", i, res.Coords[2*i], res.Coords[2*i+1])
	}
	fmt.Printf("variance shown: %.1f%% + %.1f%%\n", 100*res.ExplainedVariance[0], 100*res.ExplainedVariance[1])
	// Output:
	// point 0: (-3.13, -0.34)
	// point 1: (-0.79,  1.25)
	// point 2: ( 0.74, -1.17)
	// point 3: ( 3.18,  0.26)
	// variance shown: 86.2% + 12.8%
}

func ExampleTSNE() {
	// Two groups of three points: t-SNE keeps them apart.
	x := []float32{
		0, 0, 0.1, 0, 0, 0.1,
		5, 5, 5.1, 5, 5, 5.1,
	}
	res, err := project.TSNE(context.Background(), x, 2, project.TSNEOptions{Perplexity: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	left := func(i int) bool { return res.Coords[2*i] < 0 }
	fmt.Println(left(0) == left(1), left(1) == left(2), left(3) == left(4), left(4) == left(5), left(0) != left(3))
	// Output:
	// true true true true true
}
