package transformer

import (
	"math"
	"testing"
)

// TestAttentionHeadByHand checks one causal attention head on three
// positions against values worked out by hand. With dh = 2 the scores are
// q·k/√2. The queries and keys are chosen so that the scores are ln 1,
// ln 2 and ln 3 multiples, making the softmax weights simple fractions:
//
//	position 0 sees only itself:        y0 = v0
//	position 1: scores (0, ln 2):       p = (1/3, 2/3)
//	position 2: scores (0, ln 2, ln 3): p = (1/6, 2/6, 3/6)
func TestAttentionHeadByHand(t *testing.T) {
	m, err := New(Config{DModel: 2, Heads: 1, Layers: 1, DFF: 1, Context: 3}, testWords(1))
	if err != nil {
		t.Fatal(err)
	}
	ws := newWorkspace(m, 1, 3, 1, false)
	defer ws.close()
	s2 := float32(math.Sqrt2)
	ln2, ln3 := float32(math.Ln2), float32(math.Log(3))
	// q_t · k_u / √2 with q = (√2·a, 0) and k = (b, c) gives a·b.
	copy(ws.q[0], []float32{s2, 0, s2, 0, s2, 0})
	copy(ws.k[0], []float32{0, 7, ln2, 5, ln3, -1}) // second components never meet a non-zero query
	copy(ws.v[0], []float32{1, 10, 4, 20, 7, 60})
	ws.layer = 0
	ws.attnForward(0, 1)
	want := []float32{
		1, 10, // v0
		1.0/3*1 + 2.0/3*4, 1.0/3*10 + 2.0/3*20, // 3, 16.666…
		1.0/6*1 + 2.0/6*4 + 3.0/6*7, 1.0/6*10 + 2.0/6*20 + 3.0/6*60, // 5, 38.333…
	}
	for i, w := range want {
		if math.Abs(float64(ws.y[0][i]-w)) > 1e-5*math.Max(1, math.Abs(float64(w))) {
			t.Errorf("y[%d] = %v, want %v", i, ws.y[0][i], w)
		}
	}
	// The probabilities themselves, future masked to exactly 0.
	wantP := []float32{1, 0, 0, 1.0 / 3, 2.0 / 3, 0, 1.0 / 6, 2.0 / 6, 3.0 / 6}
	for i, w := range wantP {
		if math.Abs(float64(ws.p[0][i]-w)) > 1e-6 {
			t.Errorf("p[%d] = %v, want %v", i, ws.p[0][i], w)
		}
	}
}
