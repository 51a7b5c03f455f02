package bias

import (
	"context"
	"errors"
	"math"
	"testing"
)

// family is a small embedding for the hand-worked answers below.
func family(t *testing.T) []vec {
	return []vec{
		{"x1", []float32{1, 0, 0}}, {"x2", []float32{2, 0, 0}}, // X's centroid of unit vectors: e1
		{"y1", []float32{0, 1, 0}}, {"y2", []float32{0, 3, 0}}, // Y's: e2
		{"z1", []float32{0, 0, 1}}, {"z2", []float32{0, 0, 4}}, // e3
		{"n1", []float32{3, 4, 0}}, // unit (.6, .8, 0)
		{"n2", []float32{1, 0, 0}},
		{"n3", []float32{0, 3, 4}}, // unit (0, .6, .8)
		{"p1", []float32{3, 0, 0}}, {"q1", []float32{1, 0, 0}},
		{"p2", []float32{0, 2, 0}}, {"q2", []float32{0, 1, 0}},
		{"w", []float32{2, 5, 1}},
	}
}

func TestRNDKnownAnswer(t *testing.T) {
	e := build(t, family(t)...)
	// n1 = (.6,.8,0): ‖n1 − e1‖ = sqrt(.16 + .64) = sqrt(.8),
	// ‖n1 − e2‖ = sqrt(.36 + .04) = sqrt(.4): term sqrt(.8) − sqrt(.4).
	// n2 = e1: ‖0‖ − ‖e1 − e2‖ = −sqrt(2).
	r, err := RND(e, []string{"x1", "x2"}, []string{"y1", "y2"}, []string{"n1", "n2"}, Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	want := math.Sqrt(0.8) - math.Sqrt(0.4) - math.Sqrt(2)
	if !near(r.Value, want, 1e-7) || !near(r.Mean, want/2, 1e-7) || !near(r.PerWord[1].Score, -math.Sqrt(2), 1e-7) {
		t.Errorf("RND %+v, want sum %v", r, want)
	}
}

func TestMACKnownAnswer(t *testing.T) {
	e := build(t, family(t)...)
	// T = {n1}: against A1 = {x1 (e1), y1 (e2)} the cosine distances are
	// 1 − .6 = .4 and 1 − .8 = .2, mean .3; against A2 = {z1, z2} (e3)
	// both are 1. MAC = (.3 + 1)/2 = .65.
	r, err := MAC(e, []string{"n1"}, [][]string{{"x1", "y1"}, {"z1", "z2"}}, Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Value, 0.65, 1e-7) {
		t.Errorf("MAC %v, want .65", r.Value)
	}
}

func TestECTKnownAnswer(t *testing.T) {
	e := build(t, family(t)...)
	// Centroids e1 and e2. Attributes n1, n2, n3:
	// cos with e1: .6, 1, 0 → ranks 2, 3, 1
	// cos with e2: .8, 0, .6 → ranks 3, 1, 2
	// rank differences −1, 2, −1, Σd² = 6: ρ = 1 − 6·6/(3·(9−1)) = −0.5.
	r, err := ECT(e, []string{"x1", "x2"}, []string{"y1", "y2"}, []string{"n1", "n2", "n3"}, Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Value, -0.5, 1e-12) {
		t.Errorf("ECT %v, want -0.5", r.Value)
	}
}

func TestRIPAKnownAnswer(t *testing.T) {
	e := build(t, family(t)...)
	// One pair: b = (p1 − q1)/‖·‖ = (2,0,0)/2 = e1; β(w) = ⟨(2,5,1), e1⟩ = 2
	// (raw vector, not normalised).
	r, err := RIPA(e, [][2]string{{"p1", "q1"}}, []string{"w"}, Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.PerWord[0].Score, 2, 1e-7) {
		t.Errorf("one pair: β = %v, want 2", r.PerWord[0].Score)
	}
	// Two pairs: differences (2,0,0) and (0,1,0); the first right
	// singular vector of [[2,0,0],[0,1,0]] is e1 (singular values 2, 1),
	// signed along the sum (2,1,0): β(w) = 2 again; for q2 = (0,1,0), 0.
	r, err = RIPA(e, [][2]string{{"p1", "q1"}, {"p2", "q2"}}, []string{"w", "q2"}, Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.PerWord[0].Score, 2, 1e-7) || !near(r.PerWord[1].Score, 0, 1e-7) || !near(r.Mean, 1, 1e-7) {
		t.Errorf("two pairs: %+v", r.PerWord)
	}
}

func TestRNSB(t *testing.T) {
	// Sentiment along e1 (positive +, negative −), mirrored in e2 so that
	// e2 carries no sentiment.
	vs := []vec{
		{"good", []float32{1, 0.3, 0}}, {"nice", []float32{1, -0.3, 0.1}}, {"fine", []float32{0.8, 0, -0.1}},
		{"bad", []float32{-1, 0.3, 0}}, {"evil", []float32{-1, -0.3, 0.1}}, {"vile", []float32{-0.8, 0, -0.1}},
		{"t1", []float32{0, 1, 0.2}}, {"t2", []float32{0, -1, 0.2}},
		{"neg", []float32{-1, 0, 0.2}}, {"pos", []float32{1, 0, 0.2}},
	}
	e := build(t, vs...)
	pos, neg := []string{"good", "nice", "fine"}, []string{"bad", "evil", "vile"}
	// t1 and t2 are mirror images in e2, which the symmetric training
	// data gives zero weight: equal probabilities, RNSB 0.
	r, err := RNSB(context.Background(), e, [][]string{{"t1"}, {"t2"}}, pos, neg, RNSBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Value, 0, 1e-9) || !near(r.Groups[0].Share, 0.5, 1e-6) || r.TrainAccuracy != 1 {
		t.Errorf("symmetric groups: %+v", r)
	}
	// A group at the negative pole: P(neg) > P(pos); KL = Σ q ln(2q).
	r, err = RNSB(context.Background(), e, [][]string{{"neg"}, {"pos"}}, pos, neg, RNSBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := r.Groups[0].Share
	if !(q > 0.5) || !near(r.Value, q*math.Log(2*q)+(1-q)*math.Log(2*(1-q)), 1e-12) || r.PerWord[0].Score <= r.PerWord[1].Score {
		t.Errorf("biased groups: %+v", r)
	}
	// Held-out runs are seeded.
	opt := RNSBOptions{HoldOut: 0.34, Runs: 3, Seed: 9}
	a, err := RNSB(context.Background(), e, [][]string{{"neg"}, {"pos"}}, pos, neg, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := RNSB(context.Background(), e, [][]string{{"neg"}, {"pos"}}, pos, neg, opt)
	if err != nil {
		t.Fatal(err)
	}
	if a.Value != b.Value || a.HeldOutAccuracy == nil {
		t.Errorf("seeded runs differ or no accuracy: %v %v", a.Value, b.Value)
	}
	if _, err := RNSB(context.Background(), e, [][]string{{"neg"}}, pos, neg, RNSBOptions{}); !errors.Is(err, ErrTooFewWords) {
		t.Errorf("one group: %v", err)
	}
}

// TestLogisticOptimum checks the fitted classifier against the optimality
// condition of the penalised likelihood, computed independently: the
// gradient w + C Σ (σ(z_i) − y_i) x_i must vanish.
func TestLogisticOptimum(t *testing.T) {
	xs := [][]float64{{1, 0.2}, {0.5, -1}, {-1, 0.3}, {-0.2, -0.8}, {0.1, 0.9}}
	ys := []float64{0, 0, 1, 1, 0}
	m, err := fitLogistic(context.Background(), xs, ys, []int{0, 1, 2, 3, 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	g := []float64{m.w[0], m.w[1], 0}
	for i, x := range xs {
		r := 2 * (1/(1+math.Exp(-(m.w[0]*x[0]+m.w[1]*x[1]+m.b))) - ys[i])
		g[0] += r * x[0]
		g[1] += r * x[1]
		g[2] += r
	}
	if norm(g) > 1e-6 {
		t.Errorf("gradient at the fit %v", g)
	}
}
