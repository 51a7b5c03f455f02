package bias

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/optimize"

	"github.com/wordspace/wordspace/embed"
)

// RNSBOptions configures RNSB. The zero value trains one
// classifier on all the sentiment words with C = 1.
type RNSBOptions struct {
	// C is the inverse strength of the L2 penalty on the classifier's
	// weights (default 1, scikit-learn's default). Without a penalty the
	// classifier separates a few dozen words in hundreds of dimensions
	// perfectly and every probability collapses to 0 or 1.
	C float64
	// HoldOut is the fraction of the sentiment words kept out of training
	// to measure the classifier's accuracy (default 0: train on all).
	HoldOut float64
	// Runs is the number of classifiers trained, each on its own seeded
	// split, whose probabilities are averaged (default 1). With HoldOut 0
	// every run is the same.
	Runs int
	// Seed seeds the splits.
	Seed   uint64
	Lookup Lookup
}

// GroupShare is one target group's mean negative-sentiment probability and
// its share of the groups' total.
type GroupShare struct {
	Group       string  `json:"group"`
	Probability float64 `json:"probability"`
	Share       float64 `json:"share"`
}

// RNSBResult is the outcome of RNSB.
type RNSBResult struct {
	// Value is KL(P ‖ U) in nats: 0 when every group is equally likely to
	// be classed negative, up to ln(m) for m groups.
	Value   float64      `json:"rnsb"`
	Groups  []GroupShare `json:"groups"`
	PerWord []WordScore  `json:"per_word"`
	// TrainAccuracy and HeldOutAccuracy are averaged over runs;
	// HeldOutAccuracy is absent without a hold-out.
	TrainAccuracy   float64    `json:"train_accuracy"`
	HeldOutAccuracy *float64   `json:"held_out_accuracy,omitempty"`
	OOV             []Coverage `json:"oov"`
}

// RNSB computes the relative negative sentiment bias of Sweeney & Najafian
// (2019), "A Transparent Framework for Evaluating Unintended Demographic
// Bias in Word Embeddings", ACL 2019. A logistic regression is trained to
// tell negative sentiment words (label 1) from positive ones (label 0);
// it gives each target word the probability of being negative; P is the
// distribution of those probabilities over the target groups, normalised
// to sum to one; and RNSB is the Kullback–Leibler divergence of P from
// the uniform distribution U.
//
// The paper uses one identity term per group; for groups of several words
// each group's probability here is the mean over its words, so the
// divergence compares groups, not words (WEFE instead spreads P over all
// the words of all groups). The classifier is L2-regularised (C, as
// scikit-learn's default that WEFE uses), fitted by L-BFGS from zero
// weights on unit-normalised vectors, so the result depends on the data
// and opts.Seed only. Groups are named T1, T2, ... in the coverage report.
func RNSB(ctx context.Context, e *embed.Embeddings, targets [][]string, positive, negative []string, opts RNSBOptions) (*RNSBResult, error) {
	o := opts
	if o.C == 0 {
		o.C = 1
	}
	if o.Runs == 0 {
		o.Runs = 1
	}
	if !(o.C > 0) || math.IsInf(o.C, 0) || o.Runs < 0 || !(o.HoldOut >= 0 && o.HoldOut < 1) {
		return nil, fmt.Errorf("bias: RNSB options out of range (C %v, runs %d, hold-out %v)", o.C, o.Runs, o.HoldOut)
	}
	if len(targets) < 2 {
		return nil, fmt.Errorf("bias: RNSB compares at least two target groups, got %d: %w", len(targets), ErrTooFewWords)
	}
	res := &RNSBResult{}
	sets := []named{{"positive", positive}, {"negative", negative}}
	for i, t := range targets {
		sets = append(sets, named{fmt.Sprintf("T%d", i+1), t})
	}
	ws, err := resolveAll(e, o.Lookup, &res.OOV, sets...)
	if err != nil {
		return res, err
	}
	var xs [][]float64
	var ys []float64
	for label, s := range ws[:2] {
		for _, v := range s.unit {
			xs = append(xs, v)
			ys = append(ys, float64(label))
		}
	}
	groups := ws[2:]
	prob := make([][]float64, len(groups))
	for g := range groups {
		prob[g] = make([]float64, groups[g].len())
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x52a5b))
	var heldOut float64
	for r := 0; r < o.Runs; r++ {
		train, test := split(rng, ys, o.HoldOut)
		model, err := fitLogistic(ctx, xs, ys, train, o.C)
		if err != nil {
			return res, err
		}
		res.TrainAccuracy += model.accuracy(xs, ys, train) / float64(o.Runs)
		if len(test) > 0 {
			heldOut += model.accuracy(xs, ys, test) / float64(o.Runs)
		}
		for g, s := range groups {
			for i, v := range s.unit {
				prob[g][i] += model.prob(v) / float64(o.Runs)
			}
		}
	}
	if o.HoldOut > 0 {
		res.HeldOutAccuracy = &heldOut
	}
	var total float64
	for g, s := range groups {
		m := mean(prob[g])
		res.Groups = append(res.Groups, GroupShare{Group: fmt.Sprintf("T%d", g+1), Probability: m})
		total += m
		for i, w := range s.words {
			res.PerWord = append(res.PerWord, WordScore{w, prob[g][i]})
		}
	}
	if total == 0 {
		return res, fmt.Errorf("bias: the classifier gives every target word probability 0: %w", ErrUndefined)
	}
	for g := range res.Groups {
		q := res.Groups[g].Probability / total
		res.Groups[g].Share = q
		if q > 0 {
			res.Value += q * math.Log(q*float64(len(groups)))
		}
	}
	return res, nil
}

// split returns the indices used for training and for testing: a seeded
// shuffle within each class keeps at least one word of each class for
// training.
func split(rng *rand.Rand, ys []float64, holdOut float64) (train, test []int) {
	if holdOut == 0 {
		for i := range ys {
			train = append(train, i)
		}
		return train, nil
	}
	for _, label := range []float64{0, 1} {
		var idx []int
		for i, y := range ys {
			if y == label {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		nt := min(int(math.Round(holdOut*float64(len(idx)))), len(idx)-1)
		test = append(test, idx[:nt]...)
		train = append(train, idx[nt:]...)
	}
	return train, test
}

type logistic struct {
	w []float64
	b float64
}

func (m logistic) prob(x []float64) float64 { return sigmoid(dot(m.w, x) + m.b) }

func (m logistic) accuracy(xs [][]float64, ys []float64, idx []int) float64 {
	right := 0
	for _, i := range idx {
		if (m.prob(xs[i]) >= 0.5) == (ys[i] == 1) {
			right++
		}
	}
	return float64(right) / float64(len(idx))
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	ez := math.Exp(z)
	return ez / (1 + ez)
}

// log1pexp returns log(1 + e^z) without overflow.
func log1pexp(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// fitLogistic minimises ½‖w‖² + C Σ_i logloss(y_i, w·x_i + b) over the
// training rows (the intercept b is not penalised) with L-BFGS.
func fitLogistic(ctx context.Context, xs [][]float64, ys []float64, rows []int, c float64) (logistic, error) {
	d := len(xs[0])
	f := func(p []float64) float64 {
		w, b := p[:d], p[d]
		loss := 0.5 * dot(w, w)
		for _, i := range rows {
			z := dot(w, xs[i]) + b
			if ys[i] == 1 {
				loss += c * log1pexp(-z)
			} else {
				loss += c * log1pexp(z)
			}
		}
		return loss
	}
	grad := func(g, p []float64) {
		w, b := p[:d], p[d]
		copy(g[:d], w)
		g[d] = 0
		for _, i := range rows {
			r := c * (sigmoid(dot(w, xs[i])+b) - ys[i])
			for j, x := range xs[i] {
				g[j] += r * x
			}
			g[d] += r
		}
	}
	problem := optimize.Problem{
		Func: f,
		Grad: grad,
		Status: func() (optimize.Status, error) {
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{GradientThreshold: 1e-9, MajorIterations: 10000}
	result, err := optimize.Minimize(problem, make([]float64, d+1), settings, &optimize.LBFGS{})
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && result != nil && result.Status != optimize.Failure {
		// Line-search stalls near the optimum are reported as errors by
		// gonum; the point reached is still the minimiser to working
		// precision, which the gradient check below confirms.
		err = nil
	}
	if err != nil {
		return logistic{}, fmt.Errorf("bias: fitting the sentiment classifier: %w", err)
	}
	g := make([]float64, d+1)
	grad(g, result.X)
	if gn := norm(g); gn > 1e-4*(1+c*float64(len(rows))) || math.IsNaN(gn) {
		return logistic{}, fmt.Errorf("bias: the sentiment classifier did not converge (gradient norm %.3g)", gn)
	}
	return logistic{w: result.X[:d], b: result.X[d]}, nil
}
