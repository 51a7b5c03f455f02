package bias

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// bolukbasiHand is a 3-d embedding whose gender direction is e1:
//
//	she = (1,1,0), he = (−1,1,0): unit, centred on their midpoint
//	  (0, 1/√2, 0), they are ±(1/√2, 0, 0): variance along e1, 2·(1/2).
//	woman = (0,.6,.8), man = (0,−.6,.8): centred ±(0, .6, 0): variance
//	  along e2, 2·.36.
//
// The centred rows have zero column means and no cross terms, so the
// principal components are e1 and e2 with explained-variance ratios
// .5/(.5+.36) = .5814 and .36/.86 = .4186, and g = e1, signed towards
// "she" (the first word of each pair).
func bolukbasiHand() []vec {
	return []vec{
		{"she", []float32{1, 1, 0}}, {"he", []float32{-1, 1, 0}},
		{"woman", []float32{0, 0.6, 0.8}}, {"man", []float32{0, -0.6, 0.8}},
		{"nurse", []float32{1, 2, 2}},     // unit (1/3, 2/3, 2/3): cos with g = 1/3
		{"engineer", []float32{-3, 4, 0}}, // cos −.6
		{"doctor", []float32{0, 0, 7}},    // cos 0
		{"receptionist", []float32{1, 1, 1}},
		{"softball", []float32{1, 1, 0}},
	}
}

var handPairs = [][2]string{{"she", "he"}, {"woman", "man"}}

func TestDirectionKnownAnswer(t *testing.T) {
	e := build(t, bolukbasiHand()...)
	d, err := NewDirection(e, handPairs, Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(d.Vector[0], 1, 1e-7) || !near(d.Vector[1], 0, 1e-7) || !near(d.Vector[2], 0, 1e-7) {
		t.Errorf("g = %v, want e1", d.Vector)
	}
	ev := d.ExplainedVariance
	if !near(ev[0], 0.5/0.86, 1e-7) || !near(ev[1], 0.36/0.86, 1e-7) || !near(ev[0]+ev[1], 1, 1e-12) {
		t.Errorf("explained variance %v, want [.5814 .4186 0 ...]", ev)
	}
	// Direct bias over nurse, engineer, doctor (cos 1/3, −.6, 0):
	// c = 1: (1/3 + .6 + 0)/3 = .3111; c = 2: (1/9 + .36 + 0)/3 = .1570.
	words := []string{"nurse", "engineer", "doctor"}
	r, err := d.DirectBias(words, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Value, (1.0/3+0.6)/3, 1e-7) || r.Words != 3 || !near(r.PerWord[1].Score, -0.6, 1e-7) {
		t.Errorf("direct bias c=1: %+v", r)
	}
	if r, _ := d.DirectBias(words, 2); !near(r.Value, (1.0/9+0.36)/3, 1e-7) {
		t.Errorf("direct bias c=2: %v", r.Value)
	}
	// c = 0 counts the words with any gender component: 2 of 3.
	if r, _ := d.DirectBias(words, 0); !near(r.Value, 2.0/3, 1e-12) {
		t.Errorf("direct bias c=0: %v", r.Value)
	}
	// Indirect bias of receptionist w = (1,1,1)/√3 and softball
	// v = (1,1,0)/√2: w·v = 2/√6; w⊥ = (0,1,1)/√3, v⊥ = (0,1,0)/√2,
	// w⊥·v⊥/(‖w⊥‖‖v⊥‖) = (1/√6)/((√2/√3)(1/√2)) = 1/√2;
	// β = (2/√6 − 1/√2)/(2/√6) = 1 − √3/2 = .1340.
	beta, err := d.IndirectBias("receptionist", "softball")
	if err != nil {
		t.Fatal(err)
	}
	if !near(beta, 1-math.Sqrt(3)/2, 1e-7) {
		t.Errorf("indirect bias %v, want %v", beta, 1-math.Sqrt(3)/2)
	}
	if _, err := d.IndirectBias("doctor", "engineer"); !errors.Is(err, ErrUndefined) {
		t.Errorf("orthogonal words: %v", err)
	}
	// Pairs given male-first flip the sign.
	dr, _ := NewDirection(e, [][2]string{{"he", "she"}, {"man", "woman"}}, Lookup{})
	if !near(dr.Vector[0], -1, 1e-7) {
		t.Errorf("reversed pairs: g = %v", dr.Vector)
	}
}

func TestHardDebiasKnownAnswer(t *testing.T) {
	vs := bolukbasiHand()
	e := build(t, vs...)
	before := slices.Clone(e.Data())
	de, rep, err := HardDebias(context.Background(), e, DebiasOptions{
		Definitional:   handPairs,
		Equalize:       [][2]string{{"she", "he"}},
		GenderSpecific: []string{"she", "he", "woman", "man"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(e.Data(), before) {
		t.Errorf("input modified")
	}
	// Neutralised: nurse, engineer, doctor, receptionist, softball.
	if rep.Neutralized != 5 || rep.Gendered != 4 || len(rep.Equalized) != 2 {
		t.Errorf("report %+v", rep)
	}
	// nurse (1,2,2) loses its e1 part: (0,2,2)/√8.
	nurse, _ := de.Vector("nurse")
	if !near(float64(nurse[0]), 0, 1e-7) || !near(float64(nurse[1]), 1/math.Sqrt2, 1e-7) || !near(float64(nurse[2]), 1/math.Sqrt2, 1e-7) {
		t.Errorf("neutralised nurse %v", nurse)
	}
	// woman/man, equalised: unit (0,.6,.8) and (0,−.6,.8) have mean
	// (0,0,.8), no e1 part, so ν = (0,0,.8), z = sqrt(1 − .64) = .6;
	// woman − man projects 0 on e1 (not < 0), so z stays positive:
	// woman = (.6, 0, .8), man = (−.6, 0, .8).
	woman, _ := de.Vector("woman")
	man, _ := de.Vector("man")
	if !near(float64(woman[0]), 0.6, 1e-7) || !near(float64(woman[2]), 0.8, 1e-7) || !near(float64(man[0]), -0.6, 1e-7) || !near(float64(woman[1]), 0, 1e-7) {
		t.Errorf("equalised woman %v man %v", woman, man)
	}
	for i := range de.Len() {
		if n := math.Sqrt(dot(toFloat64(de.Row(i)), toFloat64(de.Row(i)))); !near(n, 1, 1e-6) {
			t.Errorf("%s has length %v", de.Vocab().Word(i), n)
		}
	}
	d, _ := NewDirection(e, handPairs, Lookup{})
	after, _ := d.On(de)
	r, err := after.DirectBias([]string{"nurse", "engineer", "doctor"}, 1)
	if err != nil || r.Value > 1e-7 {
		t.Errorf("direct bias after %v (%v)", r.Value, err)
	}
	b, a, err := rep.DirectBiasChange(de, []string{"nurse", "engineer", "doctor"})
	if err != nil || a.Value != r.Value || b.Value < 0.1 {
		t.Errorf("DirectBiasChange: %v → %v (%v); want after %v", b, a, err, r.Value)
	}
}

// TestHardDebiasDefaults debiases random vectors for the real word lists
// and checks Bolukbasi's acceptance figures: neutral professions end with
// direct bias below 1e-6, measured along the removed direction and along
// the direction recomputed from the debiased vectors.
func TestHardDebiasDefaults(t *testing.T) {
	var words []string
	for _, p := range DefinitionalPairs() {
		words = append(words, p[0], p[1])
	}
	for _, p := range EqualizePairs() {
		words = append(words, p[0], p[1])
	}
	words = append(words, ProfessionWords()...)
	words = append(words, GenderSpecificSeed()...)
	words = append(words, "Man", "MAN", "Woman") // case variants get equalised too
	e := randomEmbeddings(t, words, 50, 3)
	de, rep, err := HardDebias(context.Background(), e, DebiasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Neutralized == 0 || len(rep.Equalized) < 50 || !slices.Contains(rep.Equalized, [2]string{"Woman", "Man"}) {
		t.Errorf("report: %d neutralised, equalised %v", rep.Neutralized, rep.Equalized)
	}
	neutral, dropped := WithoutGendered(e, ProfessionWords(), GenderSpecific(), Lookup{})
	if len(dropped) != 17 {
		t.Errorf("%d gender-specific professions: %v", len(dropped), dropped)
	}
	bef, _ := rep.Direction.DirectBias(neutral, 1)
	aft, _ := rep.Direction.On(de)
	r, err := aft.DirectBias(neutral, 1)
	if err != nil || r.Value >= 1e-6 || bef.Value < 0.05 {
		t.Errorf("direct bias %v before, %v after (%v)", bef.Value, r.Value, err)
	}
	re, err := NewDirection(de, nil, Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	if c := math.Abs(dot(re.Vector, rep.Direction.Vector)); c < 1-1e-9 {
		t.Errorf("recomputed direction drifted: |cos| = %v", c)
	}
	if r, _ := re.DirectBias(neutral, 1); r.Value >= 1e-6 {
		t.Errorf("direct bias along the recomputed direction %v", r.Value)
	}
	if re.ExplainedVariance[0] < 1-1e-9 {
		t.Errorf("debiased pairs differ in more than one direction: %v", re.ExplainedVariance[:3])
	}
}

func TestHardDebiasNothingToDo(t *testing.T) {
	e := build(t, bolukbasiHand()[:4]...)
	_, _, err := HardDebias(context.Background(), e, DebiasOptions{Definitional: handPairs})
	if !errors.Is(err, ErrNothingToDebias) {
		t.Errorf("all words gendered: %v", err)
	}
}

func TestPyTitle(t *testing.T) {
	for in, want := range map[string]string{"catholic_priest": "Catholic_Priest", "MEN": "Men", "ex_girlfriend": "Ex_Girlfriend", "he": "He"} {
		if got := pyTitle(in); got != want {
			t.Errorf("pyTitle(%q) = %q, want %q", in, got, want)
		}
	}
}
