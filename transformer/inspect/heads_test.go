package inspect

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/transformer"
)

// pattern builds a T×T attention pattern in which each position p ≥ 1
// attends entirely to to(p) (and position 0 to itself).
func pattern(T int, to func(p int) int) [][]float32 {
	att := make([][]float32, T)
	for p := range att {
		att[p] = make([]float32, T)
		q := 0
		if p > 0 {
			q = to(p)
		}
		att[p][q] = 1
	}
	return att
}

func TestScorePattern(t *testing.T) {
	tokens := strings.Fields("<bos> a b c a d b e c f")
	T := len(tokens)
	earlier := func(p int) int { // the last earlier copy, else <bos>
		for q := p - 1; q >= 1; q-- {
			if tokens[q] == tokens[p] {
				return q
			}
		}
		return 0
	}
	copies := 0
	for p := 2; p < T; p++ {
		if earlier(p) > 0 {
			copies++
		}
	}
	tests := []struct {
		name string
		att  [][]float32
		want Scores
	}{
		{"previous token", pattern(T, func(p int) int { return p - 1 }), Scores{Previous: 1}},
		{"first token", pattern(T, func(int) int { return 0 }), Scores{First: 1}},
		{"earlier copy", pattern(T, earlier), Scores{Copy: 1, First: 1 - float64(copies)/float64(T-2)}},
		{"itself", pattern(T, func(p int) int { return p }), Scores{}},
	}
	for _, tc := range tests {
		got, n := ScorePattern(tc.att, tokens)
		for _, r := range Roles {
			if math.Abs(got[r]-tc.want[r]) > 1e-12 {
				t.Errorf("%s: %v scores %v, want %v", tc.name, r, got[r], tc.want[r])
			}
		}
		if n[Previous] != T-2 || n[First] != T-2 || n[Copy] != copies {
			t.Errorf("%s: counts %v, want %d, %d, %d", tc.name, n, T-2, T-2, copies)
		}
	}
	// A previous-token head is no induction head, and an induction
	// pattern scores 1.
	P := 4
	if s := InductionScore(pattern(2*P+1, func(p int) int { return p - 1 }), P); s != 0 {
		t.Errorf("previous-token head: induction %v, want 0", s)
	}
	ind := pattern(2*P+1, func(p int) int {
		if p > P {
			return p - P + 1
		}
		return 0
	})
	if s := InductionScore(ind, P); s != 1 {
		t.Errorf("induction pattern: induction %v, want 1", s)
	}
	if s, _ := ScorePattern(ind, strings.Fields("<bos> a b c d a b c d")); s[Previous] > 0.2 {
		t.Errorf("induction pattern: previous-token score %v", s[Previous])
	}
}

// inductionModel builds a two-block transformer by hand that does what
// Olsson et al. describe: block 0's head writes the previous token into
// each position, block 1's head matches the current token against it
// (K-composition), attends to the token after the earlier occurrence and
// copies it to the output. The residual stream has three one-hot blocks:
// the token (V), the position (T) and the previous token (V), each minus
// its mean, so that LayerNorm's centring changes nothing.
func inductionModel(t *testing.T, words int) *transformer.Model {
	t.Helper()
	T := 16
	V := words + 3
	d := 2*V + T
	ws := make([]string, words)
	for i := range ws {
		ws[i] = fmt.Sprintf("w%d", i)
	}
	m, err := transformer.New(transformer.Config{DModel: d, Heads: 1, Layers: 2, DFF: 4, Context: T, Seed: 1}, ws)
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
	tok, pos := m.Param("tok_emb").Data, m.Param("pos_emb").Data
	for v := range V {
		for j := range V {
			tok[v*d+j] = -1 / float32(V)
		}
		tok[v*d+v] += 1
	}
	for p := range T {
		for j := range T {
			pos[p*d+V+j] = -1 / float32(T)
		}
		pos[p*d+V+p] += 1
	}
	set := func(name string, i, j int, v float32) { m.Param(name).Data[i*d+j] = v }
	// Block 0: position p queries index p, key position r answers at
	// index r+1: attend to p−1. The value is the token, written to the
	// previous-token block.
	for r := range T {
		set("blocks.0.attn.wq", V+r, r, 3)
		if r+1 < T {
			set("blocks.0.attn.wk", V+r, r+1, 3)
		}
	}
	for v := range V {
		set("blocks.0.attn.wv", v, v, 1)
		set("blocks.0.attn.wo", v, V+T+v, 0.2)
	}
	// Block 1: the current token queries, each position's previous token
	// answers; the value (that position's token) goes to the token block.
	for v := range V {
		set("blocks.1.attn.wq", v, v, 4)
		set("blocks.1.attn.wk", V+T+v, v, 4)
		set("blocks.1.attn.wv", v, v, 1)
		set("blocks.1.attn.wo", v, v, 2)
	}
	return m
}

func TestInductionHead(t *testing.T) {
	ctx := context.Background()
	texts := []Text{{Words: strings.Fields("w1 w2 w3 w1 w4 w5"), Next: "<eos>"}}
	m := inductionModel(t, 12)
	hr, err := Heads(ctx, m, texts, HeadOptions{Sequences: 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	l, h, s := hr.Best(Induction)
	t.Logf("hand-built: induction %.3f (head %d.%d), previous %.3f, loss %.3f → %.3f", s, l, h, hr.Scores[0][0][Previous], hr.FirstLoss, hr.RepeatLoss)
	if l != 1 || h != 0 || s < 0.9 {
		t.Errorf("hand-built induction head: best induction head %d.%d scores %.3f, want block 1 head 0 above 0.9", l, h, s)
	}
	if p := hr.Scores[0][0][Previous]; p < 0.9 {
		t.Errorf("block 0's head: previous-token score %.3f, want above 0.9", p)
	}
	if !(hr.RepeatLoss < 0.2 && hr.FirstLoss > 1.5) {
		t.Errorf("loss on the first copy %.3f, on the repeat %.3f: want the repeat predicted", hr.FirstLoss, hr.RepeatLoss)
	}
	if hr.Period != 7 || len(hr.Example) != 14 {
		t.Errorf("period %d, example %v", hr.Period, hr.Example)
	}

	// A random model has no induction head and gains nothing from the repeat.
	ws := make([]string, 200)
	for i := range ws {
		ws[i] = fmt.Sprintf("w%d", i)
	}
	rm, err := transformer.New(transformer.Config{DModel: 32, Heads: 4, Layers: 2, DFF: 64, Context: 16, Seed: 2}, ws)
	if err != nil {
		t.Fatal(err)
	}
	hr, err = Heads(ctx, rm, texts, HeadOptions{Sequences: 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	_, _, s = hr.Best(Induction)
	t.Logf("random: best induction %.3f, uniform %.3f, loss %.3f → %.3f", s, hr.Uniform[Induction], hr.FirstLoss, hr.RepeatLoss)
	if s > 0.2 {
		t.Errorf("random model: best induction score %.3f, want below 0.2", s)
	}
	if math.Abs(hr.Uniform[Induction]-hr.Scores[1][2][Induction]) > 0.05 {
		t.Errorf("random model: a head's induction score %.3f is far from the uniform head's %.3f", hr.Scores[1][2][Induction], hr.Uniform[Induction])
	}
	if d := hr.FirstLoss - hr.RepeatLoss; math.Abs(d) > 0.1 {
		t.Errorf("random model: the repeat changed the loss by %.3f nats", d)
	}
	if _, err := Heads(ctx, rm, nil, HeadOptions{}); err == nil {
		t.Error("no texts: no error")
	}
}
