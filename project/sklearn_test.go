package project

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wordspace/wordspace/internal/testenv"
)

// TestTSNEAgainstScikitLearn compares TSNE with scikit-learn's exact t-SNE
// (Debian's python3-sklearn) on the same points: the input affinities must
// agree to float32 rounding, and the final KL divergence and the
// trustworthiness of the picture must be as good as scikit-learn's.
func TestTSNEAgainstScikitLearn(t *testing.T) {
	if testing.Short() {
		t.Skip("scikit-learn cross-check skipped in -short mode")
	}
	python := testenv.PythonModules(t, "sklearn", "numpy")
	rng := rand.New(rand.NewPCG(21, 22))
	// Overlapping clusters of different sizes: a layout with something to
	// get wrong.
	const k, m, dim = 5, 30, 20
	x, _ := clusters(rng, k, m, dim)
	for i := range x {
		x[i] += float32(4 * rng.NormFloat64())
	}
	n := k * m
	const perp = 20
	res, err := TSNE(context.Background(), x, dim, TSNEOptions{Perplexity: perp})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"perplexity": perp}
	var rows, ours [][]float64
	for i := range n {
		r := make([]float64, dim)
		for j := range dim {
			r[j] = float64(x[i*dim+j])
		}
		rows = append(rows, r)
		ours = append(ours, res.Coords[2*i:2*i+2])
	}
	in["x"], in["ours"] = rows, ours
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, filepath.Join("testdata", "tsne_ref.py"), path).Output()
	if err != nil {
		t.Fatalf("tsne_ref.py: %v", err)
	}
	var ref struct {
		P        []float64
		KL       []float64
		Trust    []float64
		OurTrust float64 `json:"our_trust"`
	}
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatal(err)
	}
	// scikit-learn's condensed P holds p_ij for i < j and sums to 1/2: the
	// same numbers as our symmetric matrix.
	p := affinities(x, n, dim, perp)
	c, worst := 0, 0.0
	for i := range n {
		for j := i + 1; j < n; j++ {
			if ref.P[c] > 1e-8 {
				worst = max(worst, math.Abs(p[i*n+j]-ref.P[c])/ref.P[c])
			}
			c++
		}
	}
	if worst > 1e-3 {
		t.Errorf("affinities differ from scikit-learn's by up to %.2g (relative)", worst)
	}
	bestKL := slices.Min(ref.KL)
	t.Logf("KL: ours %.4f, scikit-learn %v; trustworthiness (5 neighbours): ours %.4f, scikit-learn %v; P agrees to %.1g",
		res.KL, ref.KL, ref.OurTrust, ref.Trust, worst)
	if res.KL > 1.1*slices.Max(ref.KL)+0.02 {
		t.Errorf("KL divergence %.4f, scikit-learn %.4f (best of %v)", res.KL, bestKL, ref.KL)
	}
	if ref.OurTrust < slices.Min(ref.Trust)-0.01 {
		t.Errorf("trustworthiness %.4f, scikit-learn %v", ref.OurTrust, ref.Trust)
	}
}
