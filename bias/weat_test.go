package bias

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// handWEAT is a WEAT whose every number is worked out by hand below.
//
// Attributes: A = {a1 = e1, a2 = e2}, B = {b1 = e3, b2 = 2·e3} (b2 shows
// that lengths do not matter). Targets, with their cosines:
//
//	x1 = (3,4,0): cos a1 = .6, a2 = .8, b = 0  → s = (.6+.8)/2 − 0 = 0.7
//	x2 = (1,0,0): cos a1 = 1,  a2 = 0,  b = 0  → s = (1+0)/2 − 0   = 0.5
//	y1 = (0,0,5): cos a = 0,          b = 1   → s = 0 − 1          = −1
//	y2 = (0,3,4): cos a1 = 0, a2 = .6, b = .8 → s = (0+.6)/2 − .8  = −0.5
func handWEAT(t *testing.T) (WEATTest, func() []vec) {
	test := WEATTest{Name: "hand", X: []string{"x1", "x2"}, Y: []string{"y1", "y2"}, A: []string{"a1", "a2"}, B: []string{"b1", "b2"}}
	return test, func() []vec {
		return []vec{
			{"a1", []float32{1, 0, 0}}, {"a2", []float32{0, 1, 0}},
			{"b1", []float32{0, 0, 1}}, {"b2", []float32{0, 0, 2}},
			{"x1", []float32{3, 4, 0}}, {"x2", []float32{1, 0, 0}},
			{"y1", []float32{0, 0, 5}}, {"y2", []float32{0, 3, 4}},
		}
	}
}

func TestWEATKnownAnswer(t *testing.T) {
	test, vs := handWEAT(t)
	e := build(t, vs()...)
	r, err := WEAT(context.Background(), e, test, WEATOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// s = [0.7, 0.5, −1, −0.5].
	wantS := []float64{0.7, 0.5, -1, -0.5}
	for i, ws := range append(slices.Clone(r.SX), r.SY...) {
		if !near(ws.Score, wantS[i], 1e-7) {
			t.Errorf("s(%s) = %v, want %v", ws.Word, ws.Score, wantS[i])
		}
	}
	// S = (0.7 + 0.5) − (−1 − 0.5) = 2.7.
	if !near(r.Statistic, 2.7, 1e-7) {
		t.Errorf("statistic %v, want 2.7", r.Statistic)
	}
	// mean s(x) = 0.6, mean s(y) = −0.75, difference 1.35. Mean of all
	// four: −0.075; deviations .775, .575, −.925, −.425; squares sum to
	// .600625 + .330625 + .855625 + .180625 = 1.9675.
	// Sample sd = sqrt(1.9675/3), so d = 1.35 / 0.8098353 = 1.6670058.
	wantD := 1.35 / math.Sqrt(1.9675/3)
	if !near(r.EffectSize, wantD, 1e-7) || r.DDOF != 1 {
		t.Errorf("d = %v (ddof %d), want %v (ddof 1)", r.EffectSize, r.DDOF, wantD)
	}
	// The six ways to pick two of the four scores for X, with their sums:
	// {.7,.5} = 1.2 (observed), {.7,−1} = −.3, {.7,−.5} = .2,
	// {.5,−1} = −.5, {.5,−.5} = 0, {−1,−.5} = −1.5. Only the observed
	// reaches 1.2, so p = 1/6.
	if r.PValue != 1.0/6 || !r.Permutation.Exact || r.Permutation.Partitions != 6 || r.Permutation.AtLeast != 1 || r.PValueSE != 0 {
		t.Errorf("p = %v (%+v, se %v), want exactly 1/6 from 1 of 6 partitions", r.PValue, r.Permutation, r.PValueSE)
	}

	// Population sd: sqrt(1.9675/4), d = 1.35/0.7013380 = 1.9248759.
	rp, err := WEAT(context.Background(), e, test, WEATOptions{Population: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1.35 / math.Sqrt(1.9675/4); !near(rp.EffectSize, want, 1e-7) || rp.DDOF != 0 {
		t.Errorf("population d = %v, want %v", rp.EffectSize, want)
	}

	// Swapped: d negates; p becomes the fraction with sum ≥ −1.5 over
	// {y1, y2}'s side, which is all 6.
	sw := WEATTest{X: test.Y, Y: test.X, A: test.A, B: test.B}
	rs, err := WEAT(context.Background(), e, sw, WEATOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rs.EffectSize != -r.EffectSize || rs.PValue != 1 {
		t.Errorf("swapped: d = %v, p = %v; want %v and 1", rs.EffectSize, rs.PValue, -r.EffectSize)
	}
}

func TestPermutationHandCount(t *testing.T) {
	// Values 3, 1, 2 | 0, 5, 4: the observed group sums to 6. Of the 20
	// ways to choose 3 of {0,...,5}, those summing below 6 are {0,1,2} = 3,
	// {0,1,3} = 4, {0,1,4} = 5 and {0,2,3} = 5, so 16 reach 6 — among them
	// the ties {0,1,5}, {0,2,4} and the observed {1,2,3}: p = 16/20.
	p, se, info, err := permTest(context.Background(), []float64{3, 1, 2, 0, 5, 4}, 3, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p != 0.8 || se != 0 || !info.Exact || info.AtLeast != 16 || info.Partitions != 20 {
		t.Errorf("p = %v, se %v, %+v; want 16 of 20", p, se, info)
	}
	// Ties formed in a different order of additions still count: 0.1 +
	// 0.2 ≠ 0.3 in floating point.
	p, _, info, err = permTest(context.Background(), []float64{0.3, 0, 0.1, 0.2}, 2, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Subsets of size 2: {.3,0} = .3 observed, {.3,.1} = .4, {.3,.2} = .5,
	// {0,.1} = .1, {0,.2} = .2, {.1,.2} = .3 (tie): 4 of 6.
	if info.AtLeast != 4 || p != 4.0/6 {
		t.Errorf("tie case: %v of %v, want 4 of 6", info.AtLeast, info.Partitions)
	}
}

// bruteCount counts k-subsets with sum ≥ threshold by forming every sum
// from scratch (Gosper's hack over bit masks).
func bruteCount(v []float64, k int, threshold float64) float64 {
	n := len(v)
	var count float64
	for m := uint64(1)<<k - 1; m < 1<<n; {
		var s float64
		for x := m; x != 0; x &= x - 1 {
			s += v[bits.TrailingZeros64(x)]
		}
		if s >= threshold {
			count++
		}
		c := m & -m
		r := m + c
		m = ((r ^ m) >> 2 / c) | r
	}
	return count
}

func TestCountAtLeastMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 2 + rng.IntN(15)
		k := 1 + rng.IntN(n-1)
		v := make([]float64, n)
		for i := range v {
			if trial%3 == 0 {
				v[i] = float64(rng.IntN(5)) // many exact ties
			} else {
				v[i] = rng.NormFloat64()
			}
		}
		var obs, scale float64
		for i, x := range v {
			if i < k {
				obs += x
			}
			scale += math.Abs(x)
		}
		slack := tieTolerance * scale
		got, err := countAtLeast(context.Background(), v, k, obs-slack, slack)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteCount(v, k, obs-slack); got != want {
			t.Fatalf("n=%d k=%d v=%v: count %v, brute force %v", n, k, v, got, want)
		}
	}
}

// randomTest builds random embeddings for an nx+ny / na+nb WEAT.
func randomTest(t testing.TB, nx, ny, na, nb, dim int, seed uint64) (WEATTest, []string) {
	var test WEATTest
	var all []string
	for _, s := range []struct {
		dst    *[]string
		prefix string
		n      int
	}{{&test.X, "x", nx}, {&test.Y, "y", ny}, {&test.A, "a", na}, {&test.B, "b", nb}} {
		for i := range s.n {
			w := fmt.Sprintf("%s%d", s.prefix, i)
			*s.dst = append(*s.dst, w)
			all = append(all, w)
		}
	}
	return test, all
}

func TestSwapNegatesAndMirrors(t *testing.T) {
	for _, sizes := range [][2]int{{8, 8}, {5, 7}} {
		test, words := randomTest(t, sizes[0], sizes[1], 8, 8, 20, 3)
		e := randomEmbeddings(t, words, 20, 11)
		r, err := WEAT(context.Background(), e, test, WEATOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sw := WEATTest{X: test.Y, Y: test.X, A: test.A, B: test.B}
		rs, err := WEAT(context.Background(), e, sw, WEATOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rs.EffectSize != -r.EffectSize || !near(rs.Statistic, -r.Statistic, 1e-12) {
			t.Errorf("%v: swapped d %v, statistic %v; original %v, %v", sizes, rs.EffectSize, rs.Statistic, r.EffectSize, r.Statistic)
		}
		// Partitions with S ≥ S_obs and those with S ≤ S_obs cover all of
		// them and overlap only in ties, here just the observed one.
		if r.Permutation.AtLeast+rs.Permutation.AtLeast != r.Permutation.Partitions+1 {
			t.Errorf("%v: %v + %v partitions ≠ %v + 1", sizes, r.Permutation.AtLeast, rs.Permutation.AtLeast, r.Permutation.Partitions)
		}
		if !near(r.PValue+rs.PValue, 1+1/r.Permutation.Partitions, 1e-15) {
			t.Errorf("%v: p %v and mirrored %v do not sum to 1 + 1/N", sizes, r.PValue, rs.PValue)
		}
	}
}

func TestMonteCarloAgreesWithExact(t *testing.T) {
	for seed := range uint64(4) {
		test, words := randomTest(t, 8, 8, 8, 8, 10, seed)
		e := randomEmbeddings(t, words, 10, 100+seed)
		exact, err := WEAT(context.Background(), e, test, WEATOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mc, err := WEAT(context.Background(), e, test, WEATOptions{ExactLimit: 1, Permutations: 20000, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if mc.Permutation.Exact || mc.Permutation.Draws != 20000 || mc.PValueSE <= 0 {
			t.Fatalf("not a Monte-Carlo run: %+v", mc.Permutation)
		}
		if math.Abs(mc.PValue-exact.PValue) > 3*mc.PValueSE {
			t.Errorf("seed %d: Monte-Carlo p %v ± %v, exact %v: more than 3 SE apart", seed, mc.PValue, mc.PValueSE, exact.PValue)
		}
		again, err := WEAT(context.Background(), e, test, WEATOptions{ExactLimit: 1, Permutations: 20000, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if again.PValue != mc.PValue {
			t.Errorf("same seed, different p: %v and %v", mc.PValue, again.PValue)
		}
	}
}

// TestMonteCarloIsPermutation checks that draws are partitions, not
// resamples: with values 1,0,0,0 and a group of one, a partition puts the
// 1 in the group with probability exactly 1/4, while resampling with
// repetition would also draw groups that are not partitions at all.
func TestMonteCarloIsPermutation(t *testing.T) {
	v := []float64{1, 0, 0, 0, 0, 0, 0, 0}
	b, err := monteCarlo(context.Background(), v, 1, 1, 80000, 5)
	if err != nil {
		t.Fatal(err)
	}
	// Binomial(80000, 1/8): mean 10000, sd 93.5.
	if math.Abs(float64(b)-10000) > 5*93.5 {
		t.Errorf("%d of 80000 draws picked the 1, want about 10000", b)
	}
	// Groups of 7 out of 8 (the complement path): the sum is ≥ 1 exactly
	// when the 1 is among them, probability 7/8.
	b, err = monteCarlo(context.Background(), v, 7, 1, 80000, 5)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(b)-70000) > 5*93.5 {
		t.Errorf("%d of 80000 draws of 7 held the 1, want about 70000", b)
	}
}

func TestBootstrap(t *testing.T) {
	test, words := randomTest(t, 8, 8, 8, 8, 10, 9)
	vs := randomVecs(words, 10, 9)
	// Shift X towards A so that d is clearly positive.
	for i := range 8 { // x0..x7 come first, a0..a7 at 16..23
		for a := 16; a < 24; a++ {
			for j := range vs[i].v {
				vs[i].v[j] += 0.3 * vs[a].v[j]
			}
		}
	}
	e := build(t, vs...)
	opt := WEATOptions{Bootstrap: 2000, Seed: 4}
	r, err := WEAT(context.Background(), e, test, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.CI == nil || r.CI.Resamples+r.CI.Degenerate != 2000 || !(r.CI.Low < r.EffectSize && r.EffectSize < r.CI.High) || r.CI.Level != 0.95 {
		t.Fatalf("d = %v, CI %+v", r.EffectSize, r.CI)
	}
	r2, err := WEAT(context.Background(), e, test, opt)
	if err != nil {
		t.Fatal(err)
	}
	if *r2.CI != *r.CI {
		t.Errorf("same seed, different interval: %+v vs %+v", r.CI, r2.CI)
	}
	ra, err := WEAT(context.Background(), e, test, WEATOptions{Bootstrap: 2000, Seed: 4, BootstrapAttributes: true})
	if err != nil {
		t.Fatal(err)
	}
	if ra.CI.Low == r.CI.Low {
		t.Errorf("resampling attributes did not change the interval")
	}
}

func TestQuantile(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5}
	// numpy.quantile([1,2,3,4,5], [0, .1, .5, .975, 1]) = 1, 1.4, 3, 4.9, 5.
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.1, 1.4}, {0.5, 3}, {0.975, 4.9}, {1, 5}} {
		if got := quantile(s, c.p); !near(got, c.want, 1e-12) {
			t.Errorf("quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestSCWEATKnownAnswer(t *testing.T) {
	_, vs := handWEAT(t)
	e := build(t, vs()...)
	// w = x1 = (3,4,0)/5 against A = {e1, e2}, B = {e3, e3}: cosines
	// .6, .8 | 0, 0. s = .7 − 0 = .7; mean of all four .35, deviations
	// .25, .45, −.35, −.35, squares .0625 + .2025 + .1225 + .1225 = .51,
	// sample sd sqrt(.51/3) = .4123106, d = .7/.4123106 = 1.6977494.
	// Partitions of {.6,.8,0,0} into 2+2 with A-sum ≥ 1.4: only {.6,.8}:
	// p = 1/6.
	r, err := SCWEAT(context.Background(), e, "x1", []string{"a1", "a2"}, []string{"b1", "b2"}, WEATOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Association, 0.7, 1e-7) || !near(r.EffectSize, 0.7/math.Sqrt(0.51/3), 1e-6) || r.PValue != 1.0/6 {
		t.Errorf("SC-WEAT %+v", r)
	}
	if _, err := SCWEAT(context.Background(), e, "nope", []string{"a1", "a2"}, []string{"b1", "b2"}, WEATOptions{}); !errors.Is(err, ErrTooFewWords) {
		t.Errorf("unknown word: %v", err)
	}
}

func TestWEATDegenerate(t *testing.T) {
	// Every target has the same vector: all s equal, sd 0, d undefined.
	e := build(t, vec{"a1", []float32{1, 0}}, vec{"a2", []float32{1, 1}}, vec{"b1", []float32{0, 1}}, vec{"b2", []float32{-1, 1}},
		vec{"x1", []float32{1, 2}}, vec{"x2", []float32{1, 2}}, vec{"y1", []float32{2, 4}}, vec{"y2", []float32{1, 2}})
	test := WEATTest{X: []string{"x1", "x2"}, Y: []string{"y1", "y2"}, A: []string{"a1", "a2"}, B: []string{"b1", "b2"}}
	r, err := WEAT(context.Background(), e, test, WEATOptions{})
	if !errors.Is(err, ErrUndefined) {
		t.Fatalf("want ErrUndefined, got %v", err)
	}
	if r != nil && (math.IsNaN(r.EffectSize) || math.IsNaN(r.PValue)) {
		t.Errorf("NaN in result %+v", r)
	}
}

func TestWEATCancel(t *testing.T) {
	test, words := randomTest(t, 25, 25, 25, 25, 10, 1)
	e := randomEmbeddings(t, words, 10, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WEAT(ctx, e, test, WEATOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
