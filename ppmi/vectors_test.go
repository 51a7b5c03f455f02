package ppmi

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

func TestTrainProgressAndQuality(t *testing.T) {
	text := corpus.FromString(topicText(21, 3000))
	var stages []Stage
	var svdDone, svdTotal int64
	e, err := Train(context.Background(), text, Options{
		MinCount: 3,
		Count:    CountOptions{Window: 4, Weighting: Linear},
		SVD:      SVDOptions{Dim: 12, Seed: 3},
		Embed:    EmbedOptions{Eig: 0.5},
		Progress: func(p Progress) {
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
			if p.Stage == StageSVD {
				if p.Done <= svdDone {
					t.Errorf("SVD progress went from %d to %d", svdDone, p.Done)
				}
				svdDone, svdTotal = p.Done, p.Total
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{StageVocab, StageCount, StagePPMI, StageSVD}
	if len(stages) != len(want) {
		t.Fatalf("stages %v, want %v", stages, want)
	}
	for i := range want {
		if stages[i] != want[i] {
			t.Fatalf("stages %v, want %v", stages, want)
		}
	}
	if svdDone != svdTotal || svdTotal != 10 { // 2·4 power iterations + 2
		t.Errorf("SVD progress ended at %d of %d", svdDone, svdTotal)
	}
	if e.Dim() != 12 {
		t.Errorf("dimension %d", e.Dim())
	}
	// Function words (f*) are spread over every topic, content words (w*)
	// belong to one: the nearest neighbours of a frequent content word
	// must be content words.
	near, err := e.MostSimilar([]string{e.Vocab().Word(firstContent(e))}, nil, 5, embed.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range near {
		if n.Word[0] != 'w' {
			t.Errorf("neighbours %v include a function word", near)
		}
	}
}

func firstContent(e *embed.Embeddings) int {
	for i, w := range e.Vocab().Words() {
		if w[0] == 'w' {
			return i
		}
	}
	return 0
}

func TestEmbeddingsWeighting(t *testing.T) {
	u := mat.NewDense(2, 2, []float64{1, 0, 0, 1})
	v := mat.NewDense(2, 2, []float64{0, 1, 1, 0})
	s := &SVD{U: u, V: v, Values: []float64{4, 1}}
	vocab, _ := embed.NewVocab([]string{"a", "b"}, nil)
	for _, tt := range []struct {
		opts EmbedOptions
		want []float32
	}{
		{EmbedOptions{Eig: 0}, []float32{1, 0, 0, 1}},
		{EmbedOptions{Eig: 0.5}, []float32{2, 0, 0, 1}},
		{EmbedOptions{Eig: 1}, []float32{4, 0, 0, 1}},
		// w + c, each unit length first: a = (1,0) + (0,1), b = (0,1) + (1,0).
		{EmbedOptions{Eig: 1, AddContexts: true}, []float32{1, 1, 1, 1}},
	} {
		e, err := s.Embeddings(vocab, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range e.Data() {
			if math.Abs(float64(x-tt.want[i])) > 1e-6 {
				t.Errorf("%+v: data %v, want %v", tt.opts, e.Data(), tt.want)
				break
			}
		}
	}
	if _, err := s.Embeddings(vocab, EmbedOptions{Eig: 2}); err == nil {
		t.Error("eig 2: no error")
	}
	small, _ := embed.NewVocab([]string{"a"}, nil)
	if _, err := s.Embeddings(small, EmbedOptions{}); err == nil {
		t.Error("vocabulary of the wrong size: no error")
	}
	if _, err := Train(context.Background(), corpus.FromString("a b\n"), Options{}); err == nil {
		t.Error("Train without a dimension: no error")
	}
}
