package project

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// gaussian returns n points in dim dimensions with the given standard
// deviations along the axes of a random rotation, and those axes.
func gaussian(rng *rand.Rand, n, dim int, sd []float64) (x []float32, axes [][]float64) {
	axes = orthonormal(rng, len(sd), dim)
	x = make([]float32, n*dim)
	for i := range n {
		for a, s := range sd {
			z := s * rng.NormFloat64()
			for j := range dim {
				x[i*dim+j] += float32(z * axes[a][j])
			}
		}
		for j := range dim {
			x[i*dim+j] += 3 // an offset PCA must remove
		}
	}
	return x, axes
}

// orthonormal returns k random orthonormal vectors of length dim
// (Gram-Schmidt on Gaussian vectors).
func orthonormal(rng *rand.Rand, k, dim int) [][]float64 {
	var out [][]float64
	for len(out) < k {
		v := make([]float64, dim)
		for j := range v {
			v[j] = rng.NormFloat64()
		}
		for _, u := range out {
			d := dot(u, v)
			for j := range v {
				v[j] -= d * u[j]
			}
		}
		nv := math.Sqrt(dot(v, v))
		for j := range v {
			v[j] /= nv
		}
		out = append(out, v)
	}
	return out
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func TestPCARecoversAxes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sd := []float64{3, 2, 1, 0.5}
	const n, dim = 4000, 12
	x, axes := gaussian(rng, n, dim, sd)
	res, err := PCA(x, dim, PCAOptions{Dims: 3})
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, s := range sd {
		total += s * s
	}
	for k := range 3 {
		comp := res.Components[k*dim : (k+1)*dim]
		if c := math.Abs(dot(comp, axes[k])); c < 0.99 {
			t.Errorf("component %d: |cos| with the true axis %.4f, want > 0.99", k, c)
		}
		want := sd[k] * sd[k] / total
		if got := res.ExplainedVariance[k]; math.Abs(got-want) > 0.03 {
			t.Errorf("component %d explains %.3f of the variance, want %.3f ± 0.03", k, got, want)
		}
	}
	// The coordinates are the centred points projected on the components.
	for _, i := range []int{0, 17, n - 1} {
		for k := range 3 {
			var s float64
			for j := range dim {
				s += (float64(x[i*dim+j]) - res.Mean[j]) * res.Components[k*dim+j]
			}
			if got := res.Coords[i*3+k]; math.Abs(got-s) > 1e-9 {
				t.Errorf("point %d component %d: coordinate %g, projection %g", i, k, got, s)
			}
		}
	}
}

// The sign convention makes the picture independent of the arbitrary signs
// of the decomposition: mirrored data give the same coordinates.
func TestPCASignConvention(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, _ := gaussian(rng, 50, 6, []float64{2, 1})
	neg := make([]float32, len(x))
	for i, v := range x {
		neg[i] = -v
	}
	a, err := PCA(x, 6, PCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := PCA(neg, 6, PCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Coords {
		if math.Abs(a.Coords[i]-b.Coords[i]) > 1e-9 {
			t.Fatalf("coordinate %d: %g for the data, %g for the mirrored data", i, a.Coords[i], b.Coords[i])
		}
	}
}

func TestPCAFewPoints(t *testing.T) {
	// Two points have one direction of spread: the second coordinate is 0.
	// Both are equally far from the centre; the first is put on the
	// positive side.
	res, err := PCA([]float32{0, 0, 0, 2, 0, 0}, 3, PCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 0, -1, 0}
	for i, w := range want {
		if math.Abs(res.Coords[i]-w) > 1e-12 {
			t.Fatalf("coords %v, want %v", res.Coords, want)
		}
	}
	if res.ExplainedVariance[0] != 1 || res.ExplainedVariance[1] != 0 {
		t.Errorf("explained variance %v, want [1 0]", res.ExplainedVariance)
	}
	// Identical points: nothing to explain, every coordinate zero.
	res, err = PCA([]float32{1, 2, 1, 2, 1, 2}, 2, PCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(res.Coords, func(v float64) bool { return v != 0 }) {
		t.Errorf("identical points: coords %v, want zeros", res.Coords)
	}
}

func TestBadInput(t *testing.T) {
	nan := float32(math.NaN())
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		f    func() error
	}{
		{"pca zero dim", func() error { _, err := PCA([]float32{1, 2}, 0, PCAOptions{}); return err }},
		{"pca ragged", func() error { _, err := PCA([]float32{1, 2, 3}, 2, PCAOptions{}); return err }},
		{"pca one point", func() error { _, err := PCA([]float32{1, 2}, 2, PCAOptions{}); return err }},
		{"pca NaN", func() error { _, err := PCA([]float32{1, nan, 3, 4}, 2, PCAOptions{}); return err }},
		{"pca negative dims", func() error { _, err := PCA([]float32{1, 2, 3, 4}, 2, PCAOptions{Dims: -1}); return err }},
		{"tsne two points", func() error { _, err := TSNE(ctx, []float32{1, 2, 3, 4}, 2, TSNEOptions{}); return err }},
		{"tsne perplexity too high", func() error {
			_, err := TSNE(ctx, make([]float32, 10), 2, TSNEOptions{Perplexity: 5})
			return err
		}},
		{"tsne negative rate", func() error {
			_, err := TSNE(ctx, make([]float32, 10), 2, TSNEOptions{LearningRate: -1})
			return err
		}},
		{"tsne exaggeration below one", func() error {
			_, err := TSNE(ctx, make([]float32, 10), 2, TSNEOptions{EarlyExaggeration: 0.5})
			return err
		}},
		{"tsne infinity", func() error {
			_, err := TSNE(ctx, []float32{1, 2, 3, float32(math.Inf(1)), 5, 6}, 2, TSNEOptions{})
			return err
		}},
	} {
		if err := tc.f(); !errors.Is(err, ErrInput) {
			t.Errorf("%s: error %v, want ErrInput", tc.name, err)
		}
	}
}

// The bisection finds each point's bandwidth: the conditional distribution
// has the entropy log(perplexity).
func TestConditionalPerplexity(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 40
	for _, perp := range []float64{2, 5, 15, 30} {
		d := make([]float64, n)
		for j := range d {
			d[j] = 1e3 * rng.Float64() // a wide range, as for far-apart points
		}
		row := make([]float64, n)
		conditional(d, row, 7, math.Log(perp))
		var h, sum float64
		for j, p := range row {
			if j == 7 && p != 0 {
				t.Fatalf("p_i|i = %g, want 0", p)
			}
			sum += p
			if p > 0 {
				h -= p * math.Log(p)
			}
		}
		if math.Abs(sum-1) > 1e-12 || math.Abs(math.Exp(h)-perp) > 1e-3*perp {
			t.Errorf("perplexity %g: row sums to %g with perplexity %g", perp, sum, math.Exp(h))
		}
	}
}

// clusters returns k well-separated Gaussian clusters of m points each in
// dim dimensions and each point's cluster.
func clusters(rng *rand.Rand, k, m, dim int) ([]float32, []int) {
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, dim)
		for j := range dim {
			centres[c][j] = 10 * rng.NormFloat64()
		}
	}
	x := make([]float32, 0, k*m*dim)
	var label []int
	for i := range k * m {
		c := i % k
		for j := range dim {
			x = append(x, float32(centres[c][j]+rng.NormFloat64()))
		}
		label = append(label, c)
	}
	return x, label
}

func TestTSNESeparatesClusters(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const k, m, dim = 4, 25, 30
	x, label := clusters(rng, k, m, dim)
	res, err := TSNE(context.Background(), x, dim, TSNEOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := k * m
	// The descent stops early once the gradient vanishes, never before the
	// exaggeration phase is over.
	if len(res.Coords) != 2*n || res.Dims != 2 || res.Iterations <= 250 || res.Iterations > 1000 {
		t.Fatalf("result has %d coords, %d dims, %d iterations", len(res.Coords), res.Dims, res.Iterations)
	}
	// Every point's nearest neighbour in the picture is in its cluster, and
	// clusters are far apart compared with their size.
	var within, between float64
	var nw, nb int
	for i := range n {
		best, bestD := -1, math.Inf(1)
		for j := range n {
			if j == i {
				continue
			}
			d := math.Hypot(res.Coords[2*i]-res.Coords[2*j], res.Coords[2*i+1]-res.Coords[2*j+1])
			if d < bestD {
				best, bestD = j, d
			}
			if label[i] == label[j] {
				within, nw = within+d, nw+1
			} else {
				between, nb = between+d, nb+1
			}
		}
		if label[best] != label[i] {
			t.Errorf("point %d (cluster %d): nearest neighbour %d is in cluster %d", i, label[i], best, label[best])
		}
	}
	if r := (within / float64(nw)) / (between / float64(nb)); r > 0.3 {
		t.Errorf("mean within-cluster distance is %.2f of the between-cluster one, want < 0.3", r)
	}
	if res.KL <= 0 || res.KL > 1 {
		t.Errorf("KL divergence %g, want in (0, 1] for well-separated clusters", res.KL)
	}
	// More iterations never leave a worse fit.
	short, err := TSNE(context.Background(), x, dim, TSNEOptions{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	if short.KL < res.KL {
		t.Errorf("KL after 300 iterations %g < after 1000 %g", short.KL, res.KL)
	}
	var mean [2]float64
	for i := range n {
		mean[0] += res.Coords[2*i]
		mean[1] += res.Coords[2*i+1]
	}
	if math.Abs(mean[0]) > 1e-9*float64(n) || math.Abs(mean[1]) > 1e-9*float64(n) {
		t.Errorf("result not centred: coordinate sums %v", mean)
	}
}

// The same input and options give the same points whatever the number of
// threads, and a seed fixes a random start.
func TestTSNEDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	x, _ := clusters(rng, 3, 30, 10) // 90 points: the gradient runs in parallel
	ctx := context.Background()
	run := func(o TSNEOptions) []float64 {
		o.Iterations = 200
		res, err := TSNE(ctx, x, 10, o)
		if err != nil {
			t.Fatal(err)
		}
		return res.Coords
	}
	if !slices.Equal(run(TSNEOptions{Threads: 1}), run(TSNEOptions{Threads: 4})) {
		t.Error("1 and 4 threads give different points")
	}
	a := run(TSNEOptions{RandomInit: true, Seed: 3})
	if !slices.Equal(a, run(TSNEOptions{RandomInit: true, Seed: 3, Threads: 2})) {
		t.Error("the same seed gives different points")
	}
	if slices.Equal(a, run(TSNEOptions{RandomInit: true, Seed: 4})) {
		t.Error("seeds 3 and 4 give the same points")
	}
}

func TestTSNECancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	x, _ := clusters(rng, 2, 20, 5)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := TSNE(ctx, x, 5, TSNEOptions{Progress: func(p Progress) {
		calls++
		done, total := p.Done, p.Total
		if total != 1000 || done != int64(calls) {
			t.Errorf("progress %d/%d at call %d", done, total, calls)
		}
		if done == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || calls != 10 {
		t.Errorf("error %v after %d iterations, want context.Canceled after 10", err, calls)
	}
}

func TestTSNEThreeDimensions(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	x, _ := clusters(rng, 2, 10, 4)
	res, err := TSNE(context.Background(), x, 4, TSNEOptions{Dims: 3, Iterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Dims != 3 || len(res.Coords) != 60 {
		t.Errorf("3-D result: dims %d, %d coords", res.Dims, len(res.Coords))
	}
	if res.Perplexity != 19.0/3 {
		t.Errorf("default perplexity for 20 points %g, want 19/3", res.Perplexity)
	}
}
