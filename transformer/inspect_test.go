package transformer

import (
	"math"
	"testing"
)

// TestContextNeurons checks the feed-forward activations against a float64
// recomputation: with the attention output switched off (wo = 0, bo = 0)
// the block's input goes straight to its second LayerNorm, so the
// activations must be GELU(LN2(x)·W1 + b1), and the block's output x plus
// the activations times W2 plus b2.
func TestContextNeurons(t *testing.T) {
	m, err := New(Config{DModel: 8, Heads: 2, Layers: 1, DFF: 12, Context: 6, Seed: 4}, testWords(10))
	if err != nil {
		t.Fatal(err)
	}
	wellConditioned(m, 3)
	b := m.blocks[0]
	clear(b.wo.Data)
	clear(b.bo.Data)
	words := []string{"w1", "w5", "w2", "w7"}
	r, err := m.Contextualize(words, ContextOptions{Neurons: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Neurons) != 1 || len(r.Neurons[0]) != len(words)+1 || len(r.Neurons[0][0]) != 12 {
		t.Fatalf("neurons shape %d × %d × %d", len(r.Neurons), len(r.Neurons[0]), len(r.Neurons[0][0]))
	}
	d, dff := 8, 12
	for p := range len(words) + 1 {
		x := r.Layers[0][p]
		ln := lnRef(x, b.ln2g.Data, b.ln2b.Data)
		for j := range dff {
			h := float64(b.b1.Data[j])
			for i := range d {
				h += ln[i] * float64(b.w1.Data[i*dff+j])
			}
			want := 0.5 * h * (1 + math.Erf(h/math.Sqrt2))
			if got := float64(r.Neurons[0][p][j]); math.Abs(got-want) > 1e-4 {
				t.Fatalf("position %d neuron %d: %v, want %v", p, j, got, want)
			}
		}
		for i := range d {
			want := float64(x[i]) + float64(b.b2.Data[i])
			for j := range dff {
				want += float64(r.Neurons[0][p][j]) * float64(b.w2.Data[j*d+i])
			}
			if got := float64(r.Layers[1][p][i]); math.Abs(got-want) > 1e-4 {
				t.Fatalf("position %d output %d: %v, want %v", p, i, got, want)
			}
		}
	}
	if r2, _ := m.Contextualize(words, ContextOptions{}); r2.Neurons != nil {
		t.Error("neurons returned without ContextOptions.Neurons")
	}
}

func lnRef(x, g, b []float32) []float64 {
	var mu, v float64
	for _, a := range x {
		mu += float64(a)
	}
	mu /= float64(len(x))
	for _, a := range x {
		v += (float64(a) - mu) * (float64(a) - mu)
	}
	v /= float64(len(x))
	out := make([]float64, len(x))
	for i, a := range x {
		out[i] = (float64(a)-mu)/math.Sqrt(v+defaultLNEps)*float64(g[i]) + float64(b[i])
	}
	return out
}

// TestDecode checks the logit lens: decoding the top residual stream gives
// the model's own logits (the final LayerNorm's output times the output
// projection), the rows are independent, and an untied head is used.
func TestDecode(t *testing.T) {
	for _, untied := range []bool{false, true} {
		m, err := New(Config{DModel: 8, Heads: 2, Layers: 2, DFF: 12, Context: 6, Untied: untied, Seed: 5}, testWords(10))
		if err != nil {
			t.Fatal(err)
		}
		wellConditioned(m, 7)
		r, err := m.Contextualize([]string{"w1", "w5", "w2"}, ContextOptions{})
		if err != nil {
			t.Fatal(err)
		}
		V, d := len(m.Tokens()), 8
		var x []float32
		for _, h := range r.Layers[2] {
			x = append(x, h...)
		}
		got := make([]float32, len(r.Layers[2])*V)
		m.Decode(got, x)
		for p, hf := range r.Layers[3] {
			for v := range V {
				var want float64
				for i := range d {
					w := m.tokTable()[v*d+i]
					if untied {
						w = m.head.Data[i*V+v]
					}
					want += float64(hf[i]) * float64(w)
				}
				if g := float64(got[p*V+v]); math.Abs(g-want) > 1e-4 {
					t.Fatalf("untied %v, position %d token %d: %v, want %v", untied, p, v, g, want)
				}
			}
		}
		one := make([]float32, V)
		m.Decode(one, r.Layers[2][1])
		for v := range V {
			if math.Abs(float64(one[v]-got[V+v])) > 1e-5 {
				t.Fatalf("row 1 decoded alone differs at %d: %v vs %v", v, one[v], got[V+v])
			}
		}
	}
}
