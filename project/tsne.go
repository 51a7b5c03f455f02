package project

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// TSNEOptions controls TSNE. The zero value gives scikit-learn's defaults.
type TSNEOptions struct {
	// Dims is the number of output dimensions; 0 means 2.
	Dims int
	// Perplexity is the effective number of neighbours each point's
	// bandwidth is tuned to; 0 means 30, lowered to (n-1)/3 (at least 2)
	// for small sets. An explicit value must be below the number of points.
	Perplexity float64
	// Iterations of gradient descent, early exaggeration included; 0 means
	// 1000.
	Iterations int
	// EarlyExaggeration multiplies the input affinities during the first
	// ExaggerationIterations, which lets clusters form before they settle;
	// 0 means 12.
	EarlyExaggeration float64
	// ExaggerationIterations is the length of the early phase; 0 means 250
	// (or a quarter of Iterations when that is fewer).
	ExaggerationIterations int
	// LearningRate is the gradient step; 0 means scikit-learn's "auto",
	// max(n / EarlyExaggeration / 4, 50).
	LearningRate float64
	// RandomInit starts from small random points drawn from Seed instead
	// of from the PCA projection (scaled to a standard deviation of 1e-4).
	// PCA initialisation keeps the global layout more faithful and needs
	// no seed.
	RandomInit bool
	// Seed seeds the random initialisation.
	Seed uint64
	// Threads is the number of goroutines computing the gradient; 0 means
	// GOMAXPROCS. The result does not depend on it.
	Threads int
	// Progress, when set, is called after every iteration with the number
	// of iterations done and the total.
	Progress func(Progress)
}

// Progress reports how far TSNE has come: Done of Total iterations, as
// every wordspace Progress counts its job's unit of work.
type Progress struct {
	Done, Total int64
}

// TSNEResult is a t-SNE embedding.
type TSNEResult struct {
	// Coords holds n rows of Dims coordinates, row-major, centred on the
	// origin.
	Coords []float64
	Dims   int
	// KL is the Kullback-Leibler divergence between the input and output
	// affinities at the end: lower is a more faithful picture of the
	// neighbourhoods.
	KL float64
	// Perplexity is the perplexity used.
	Perplexity float64
	// Iterations is the number of iterations run (fewer than asked for
	// when the gradient vanished).
	Iterations int
}

// TSNE embeds the n = len(x)/dim points of x in opts.Dims dimensions with
// exact t-SNE, using squared Euclidean distances between the points (for
// unit vectors, 2 − 2·cosine). It needs at least three points, takes time
// and memory quadratic in n, and stops early with ctx's error when ctx is
// done.
func TSNE(ctx context.Context, x []float32, dim int, opts TSNEOptions) (*TSNEResult, error) {
	n, err := checkPoints(x, dim, 3)
	if err != nil {
		return nil, err
	}
	o, err := opts.withDefaults(n)
	if err != nil {
		return nil, err
	}
	p := affinities(x, n, dim, o.Perplexity)
	y, err := initial(x, dim, n, o)
	if err != nil {
		return nil, err
	}
	t := &tsne{n: n, dims: o.Dims, p: p, y: y, threads: o.Threads,
		grad: make([]float64, n*o.Dims), update: make([]float64, n*o.Dims), gains: make([]float64, n*o.Dims),
		rowW: make([]float64, n), rowKL: make([]float64, n)}
	for i := range t.gains {
		t.gains[i] = 1
	}
	res := &TSNEResult{Dims: o.Dims, Perplexity: o.Perplexity}
	for it := range o.Iterations {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		exag, momentum := 1.0, 0.8
		if it < o.ExaggerationIterations {
			exag, momentum = o.EarlyExaggeration, 0.5
		}
		gradNorm := t.step(exag, momentum, o.LearningRate)
		res.Iterations = it + 1
		if o.Progress != nil {
			o.Progress(Progress{Done: int64(it + 1), Total: int64(o.Iterations)})
		}
		if gradNorm < 1e-7 && it >= o.ExaggerationIterations {
			break
		}
	}
	t.gradient(1) // the final KL divergence, without exaggeration
	for _, kl := range t.rowKL {
		res.KL += kl
	}
	centre(t.y, n, o.Dims)
	res.Coords = t.y
	return res, nil
}

func (o TSNEOptions) withDefaults(n int) (TSNEOptions, error) {
	if o.Dims == 0 {
		o.Dims = 2
	}
	if o.Perplexity == 0 {
		o.Perplexity = min(30, max(2, float64(n-1)/3))
	}
	if o.Iterations == 0 {
		o.Iterations = 1000
	}
	if o.EarlyExaggeration == 0 {
		o.EarlyExaggeration = 12
	}
	if o.ExaggerationIterations == 0 {
		o.ExaggerationIterations = min(250, o.Iterations/4)
	}
	if o.LearningRate == 0 {
		o.LearningRate = max(float64(n)/o.EarlyExaggeration/4, 50)
	}
	if o.Threads == 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	switch {
	case o.Dims < 0:
		return o, fmt.Errorf("%w: %d output dimensions", ErrInput, o.Dims)
	case !(o.Perplexity >= 1 && o.Perplexity < float64(n)):
		return o, fmt.Errorf("%w: perplexity %g must be at least 1 and below the number of points (%d)", ErrInput, o.Perplexity, n)
	case o.Iterations < 0 || o.ExaggerationIterations < 0 || o.Threads < 0:
		return o, fmt.Errorf("%w: negative iterations or threads", ErrInput)
	case !(o.EarlyExaggeration >= 1) || math.IsInf(o.EarlyExaggeration, 0):
		return o, fmt.Errorf("%w: early exaggeration %g must be a finite number ≥ 1", ErrInput, o.EarlyExaggeration)
	case !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0):
		return o, fmt.Errorf("%w: learning rate %g must be positive and finite", ErrInput, o.LearningRate)
	}
	return o, nil
}

// affinities returns the symmetric joint probabilities p_ij of the input
// points, n×n row-major: for each point a Gaussian over the others whose
// bandwidth gives the wanted perplexity, then symmetrised and normalised.
func affinities(x []float32, n, dim int, perplexity float64) []float64 {
	d := make([]float64, n*n)
	for i := range n {
		xi := x[i*dim : (i+1)*dim]
		for j := i + 1; j < n; j++ {
			var s float64
			for k, v := range x[j*dim : (j+1)*dim] {
				t := float64(xi[k]) - float64(v)
				s += t * t
			}
			d[i*n+j], d[j*n+i] = s, s
		}
	}
	p := make([]float64, n*n)
	target := math.Log(perplexity)
	for i := range n {
		conditional(d[i*n:(i+1)*n], p[i*n:(i+1)*n], i, target)
	}
	// Symmetrise: p_ij = (p_j|i + p_i|j) / 2n, floored as in scikit-learn so
	// that no logarithm sees a zero.
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := math.Max((p[i*n+j]+p[j*n+i])/float64(2*n), 1e-12)
			p[i*n+j], p[j*n+i] = v, v
		}
		p[i*n+i] = 0
	}
	return p
}

// conditional fills row with p_j|i ∝ exp(−β·d_ij) for the β (found by
// bisection) whose distribution has entropy target (in nats). Distances
// are taken relative to the nearest point, which changes nothing in the
// normalised result but keeps exp from underflowing for far points.
func conditional(d, row []float64, i int, target float64) {
	dmin := math.Inf(1)
	for j, v := range d {
		if j != i && v < dmin {
			dmin = v
		}
	}
	beta, lo, hi := 1.0, 0.0, math.Inf(1)
	for range 200 {
		var sum, dot float64
		for j, v := range d {
			if j == i {
				row[j] = 0
				continue
			}
			e := math.Exp(-beta * (v - dmin))
			row[j] = e
			sum += e
			dot += e * (v - dmin)
		}
		// H = log Σ e + β Σ e·d / Σ e, the entropy of the normalised row.
		h := math.Log(sum) + beta*dot/sum
		for j := range row {
			row[j] /= sum
		}
		if math.Abs(h-target) < 1e-5 {
			return
		}
		if h > target { // too flat: narrow the kernel
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		} else {
			hi = beta
			beta = (beta + lo) / 2
		}
	}
}

// initial returns the starting points: the PCA projection scaled so that
// its first coordinate has standard deviation 1e-4, or seeded Gaussian
// noise of that size.
func initial(x []float32, dim, n int, o TSNEOptions) ([]float64, error) {
	y := make([]float64, n*o.Dims)
	if o.RandomInit {
		rng := rand.New(rand.NewPCG(o.Seed, 0x7a5e))
		for i := range y {
			y[i] = 1e-4 * rng.NormFloat64()
		}
		return y, nil
	}
	pc, err := PCA(x, dim, PCAOptions{Dims: o.Dims})
	if err != nil {
		return nil, err
	}
	var s float64
	for i := range n {
		s += pc.Coords[i*o.Dims] * pc.Coords[i*o.Dims]
	}
	sd := math.Sqrt(s / float64(n))
	if sd == 0 { // every point the same: any start is as good
		sd = 1
	}
	for i, v := range pc.Coords {
		y[i] = v / sd * 1e-4
	}
	return y, nil
}

// tsne is the state of the gradient descent.
type tsne struct {
	n, dims, threads    int
	p                   []float64 // input affinities, n×n
	y                   []float64 // current points, n×dims
	grad, update, gains []float64
	// rowW and rowKL hold each row's Σ_j w_ij and KL terms, summed in row
	// order so that the result does not depend on the number of threads.
	rowW, rowKL []float64
}

// step runs one iteration of gradient descent with momentum and per-
// coordinate adaptive gains (Jacobs 1988, as in the reference
// implementation) and returns the gradient's norm.
func (t *tsne) step(exag, momentum, rate float64) float64 {
	t.gradient(exag)
	var norm float64
	for i, g := range t.grad {
		if g*t.update[i] < 0 {
			t.gains[i] += 0.2
		} else {
			t.gains[i] = math.Max(t.gains[i]*0.8, 0.01)
		}
		t.update[i] = momentum*t.update[i] - rate*t.gains[i]*g
		t.y[i] += t.update[i]
		norm += g * g
	}
	return math.Sqrt(norm)
}

// gradient computes dKL/dy into t.grad, with the input affinities
// multiplied by exag:
//
//	dC/dy_i = 4 Σ_j (exag·p_ij − q_ij) (y_i − y_j) / (1 + ‖y_i − y_j‖²)
//
// with q_ij = w_ij / Σ w, w_ij = 1 / (1 + ‖y_i − y_j‖²). It also leaves each
// row's KL terms in t.rowKL.
func (t *tsne) gradient(exag float64) {
	n, dims := t.n, t.dims
	// First pass: Σ w, which every q_ij needs.
	t.parallel(func(i int) {
		yi := t.y[i*dims : (i+1)*dims]
		var s float64
		for j := range n {
			if j != i {
				s += 1 / (1 + sqDist(yi, t.y[j*dims:(j+1)*dims]))
			}
		}
		t.rowW[i] = s
	})
	var z float64
	for _, s := range t.rowW {
		z += s
	}
	z = math.Max(z, 1e-300)
	t.parallel(func(i int) {
		yi := t.y[i*dims : (i+1)*dims]
		g := t.grad[i*dims : (i+1)*dims]
		clear(g)
		var kl float64
		for j := range n {
			if j == i {
				continue
			}
			yj := t.y[j*dims : (j+1)*dims]
			w := 1 / (1 + sqDist(yi, yj))
			q := math.Max(w/z, 1e-12)
			pij := t.p[i*n+j]
			kl += pij * math.Log(pij/q)
			f := 4 * (exag*pij - q) * w
			for c := range dims {
				g[c] += f * (yi[c] - yj[c])
			}
		}
		t.rowKL[i] = kl
	})
}

// parallel calls f for every row, split between t.threads goroutines.
func (t *tsne) parallel(f func(i int)) {
	workers := min(t.threads, t.n)
	if workers <= 1 || t.n < 64 {
		for i := range t.n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < t.n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}

func sqDist(a, b []float64) float64 {
	var s float64
	for c, v := range a {
		d := v - b[c]
		s += d * d
	}
	return s
}

// centre moves the points' mean to the origin.
func centre(y []float64, n, dims int) {
	for c := range dims {
		var m float64
		for i := range n {
			m += y[i*dims+c]
		}
		m /= float64(n)
		for i := range n {
			y[i*dims+c] -= m
		}
	}
}
