package inspect

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/transformer"
)

// neuronModel builds a one-block model by hand whose residual stream is
// the token, one-hot minus its mean (d = V; no position embedding, no
// attention output), and whose feed-forward neuron j < 4 fires on word
// wj and writes a large vector along word w(j+4)'s embedding: "after wj
// comes w(j+4)". The other neurons never fire.
func neuronModel(t *testing.T) *transformer.Model {
	t.Helper()
	words := make([]string, 8)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	V := len(words) + 3
	d, F := V, 6
	m, err := transformer.New(transformer.Config{DModel: d, Heads: 1, Layers: 1, DFF: F, Context: 12, Seed: 1}, words)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		clear(p.Data)
		if strings.HasSuffix(p.Name, ".g") {
			for i := range p.Data {
				p.Data[i] = 1
			}
		}
	}
	tok := m.Param("tok_emb").Data
	for v := range V {
		for j := range V {
			tok[v*d+j] = -1 / float32(V)
		}
		tok[v*d+v] += 1
	}
	w1, b1, w2 := m.Param("blocks.0.ffn.w1").Data, m.Param("blocks.0.ffn.b1").Data, m.Param("blocks.0.ffn.w2").Data
	for j := range F {
		b1[j] = -1
	}
	for j := range 4 {
		from, to := 3+j, 3+j+4 // token ids of wj and w(j+4)
		w1[from*F+j] = 1       // LN of the one-hot gives about 3.2 at the word's own entry
		w2[j*d+to] = 5
	}
	return m
}

func TestNeuronsAndLensOnKnownWeights(t *testing.T) {
	m := neuronModel(t)
	ctx := context.Background()
	texts := []Text{
		{Words: strings.Fields("w0 w4 w1 w5 w2 w6 w3 w7"), Next: "<eos>"},
		{Words: strings.Fields("w1 w5 w0 w4"), Next: "<eos>"},
		{Words: strings.Fields("w2 w6 w3 w7 w0 w4"), Next: "<eos>"},
	}
	rep, err := Neurons(ctx, m, texts, NeuronOptions{TopK: 2, Promote: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Positions != 18 || len(rep.Neurons) != 1 || len(rep.Neurons[0]) != 6 {
		t.Fatalf("%d positions, %d layers", rep.Positions, len(rep.Neurons))
	}
	for j := range 4 {
		n := rep.Neurons[0][j]
		word, next := fmt.Sprintf("w%d", j), fmt.Sprintf("w%d", j+4)
		p, ok := n.Pattern(0.5)
		if !ok || p.Kind != SameWord || p.Value != word || p.Share != 1 {
			t.Errorf("neuron %d: pattern %+v (%v), want every top context ending in %s", j, p, ok, word)
		}
		for _, tr := range n.Top {
			if got := texts[tr.Text].Words[tr.Pos-1]; got != word || !(tr.Activation > 1) {
				t.Errorf("neuron %d: trigger %q with activation %v", j, got, tr.Activation)
			}
		}
		if len(n.Promotes) != 1 || n.Promotes[0].Word != next {
			t.Errorf("neuron %d promotes %v, want %s", j, n.Promotes, next)
		}
		if n.Agreement != 1 {
			t.Errorf("neuron %d: agreement %v, want 1", j, n.Agreement)
		}
	}
	if l := rep.Layers[0]; l.Any < 4 || l.WithPattern[SameWord] < 4 || l.ShuffledAgreement >= l.Agreement {
		t.Errorf("layer summary %+v", l)
	}

	// The logit lens: the input predicts the current word (never the
	// next here); after the block the four trigger words predict their
	// successors: 4 of the 9 predictions of the first text.
	lens, err := Lens(ctx, m, texts[:1], LensOptions{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if lens.Predictions != 9 || len(lens.Layers) != 2 {
		t.Fatalf("%d predictions, %d layers", lens.Predictions, len(lens.Layers))
	}
	if a := lens.Layers[0].Accuracy; a != 0 {
		t.Errorf("layer 0 accuracy %v, want 0", a)
	}
	if a := lens.Layers[1].Accuracy; math.Abs(a-4.0/9) > 1e-12 {
		t.Errorf("layer 1 accuracy %v, want 4/9", a)
	}
	// The top layer's loss is the model's own: recompute it from the
	// final LayerNorm's output and the token embedding.
	r, err := m.Contextualize(texts[0].Words, transformer.ContextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tok := m.Param("tok_emb").Data
	V, d := len(m.Tokens()), m.Config().DModel
	var want float64
	tgt := targets(m, texts[0])
	for p, h := range r.Layers[2] {
		logits := make([]float64, V)
		mx := math.Inf(-1)
		for v := range V {
			for i := range d {
				logits[v] += float64(h[i]) * float64(tok[v*d+i])
			}
			mx = math.Max(mx, logits[v])
		}
		var s float64
		for _, z := range logits {
			s += math.Exp(z - mx)
		}
		want += mx + math.Log(s) - logits[tgt[p]]
	}
	want /= 9
	if got := lens.Layers[1].Loss; math.Abs(got-want) > 1e-4 {
		t.Errorf("top-layer lens loss %v, model's own loss %v", got, want)
	}
	if math.Abs(lens.Layers[1].Perplexity-math.Exp(lens.Layers[1].Loss)) > 1e-9 {
		t.Error("perplexity is not exp(loss)")
	}
	if _, err := Lens(ctx, m, []Text{{Words: []string{"w1"}}}, LensOptions{}); err != nil {
		t.Errorf("one word, unknown next: %v", err)
	}
}

func TestSentences(t *testing.T) {
	m := neuronModel(t) // context 12: at most 11 words
	id := func(w string) int32 { i, _ := m.TokenID(w); return i }
	var stream []int32
	add := func(s string) {
		stream = append(stream, transformer.BosID)
		for _, w := range strings.Fields(s) {
			stream = append(stream, id(w))
		}
		stream = append(stream, transformer.EosID)
	}
	add("w1 w2 w3")
	add("w4")
	add("w0 w1 w2 w3 w4 w5 w6 w7 w0 w1 w2 w3 w4")
	add("w5 w6")
	texts := Sentences(m, stream, 10, 2)
	if len(texts) != 3 {
		t.Fatalf("%d texts: %v", len(texts), texts)
	}
	if strings.Join(texts[0].Words, " ") != "w1 w2 w3" || texts[0].Next != transformer.Eos {
		t.Errorf("first text %v", texts[0])
	}
	if len(texts[1].Words) != 11 || texts[1].Next != "w3" {
		t.Errorf("long text cut to %d words, next %q", len(texts[1].Words), texts[1].Next)
	}
	if got := Sentences(m, stream, 1, 1); len(got) != 1 {
		t.Errorf("max 1: %d texts", len(got))
	}
}
