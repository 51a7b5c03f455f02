package bias

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
)

// DefaultExactLimit is the largest number of partitions the permutation
// tests enumerate exactly unless told otherwise.
const DefaultExactLimit = 1_000_000

// DefaultPermutations is the number of random partitions a Monte-Carlo
// permutation test draws unless told otherwise.
const DefaultPermutations = 100_000

// Permutation describes how a p-value was obtained.
type Permutation struct {
	// Exact is true when every partition was counted.
	Exact bool `json:"exact"`
	// Partitions is the number of ways to split the pooled words into
	// groups of the original sizes, C(n, k); a float64 because it
	// overflows integers for large sets.
	Partitions float64 `json:"partitions"`
	// Draws is the number of random partitions of a Monte-Carlo test (0
	// when exact).
	Draws int `json:"draws,omitempty"`
	// Seed is the Monte-Carlo generator's seed.
	Seed uint64 `json:"seed,omitempty"`
	// AtLeast is the number of counted (exact) or drawn (Monte-Carlo)
	// partitions whose statistic is at least the observed one.
	AtLeast float64 `json:"at_least"`
}

// tieTolerance is the relative slack, times the sum of the absolute
// values, within which two partition sums count as equal. Sums are formed
// in different orders for different partitions; rounding then differs by
// a few ulps, far below this, while distinct sums of real vectors differ
// by far more.
const tieTolerance = 1e-12

// permTest computes the one-sided permutation p-value of the statistic
// "sum of the values in the first group": v holds the pooled values, the
// observed first group is v[:k]. It returns the fraction of the C(n, k)
// ways of choosing k of the n values whose sum is at least the observed
// sum (ties included, so the observed partition itself is counted and
// p ≥ 1/C(n, k)). When C(n, k) ≤ limit it counts exactly; otherwise it
// draws `draws` uniformly random partitions (random shuffles of the pooled
// values, so each draw is a partition, never a resample with repetition)
// from a PCG generator seeded with seed, and returns (b+1)/(draws+1),
// where b is the number of draws at least as extreme, the observed
// partition being counted as one more draw; se is the binomial standard
// error sqrt(p(1-p)/draws).
func permTest(ctx context.Context, v []float64, k int, limit float64, draws int, seed uint64) (p, se float64, info Permutation, err error) {
	n := len(v)
	if k <= 0 || k >= n {
		return 0, 0, info, fmt.Errorf("bias: permutation test needs two non-empty groups, got %d and %d: %w", k, n-k, ErrUndefined)
	}
	var observed, scale float64
	for i, x := range v {
		if i < k {
			observed += x
		}
		scale += math.Abs(x)
	}
	threshold := observed - tieTolerance*scale
	info.Partitions = binomial(n, k)
	if limit <= 0 {
		limit = DefaultExactLimit
	}
	if info.Partitions <= limit {
		count, err := countAtLeast(ctx, v, k, threshold, tieTolerance*scale)
		if err != nil {
			return 0, 0, info, err
		}
		info.Exact = true
		info.AtLeast = count
		return count / info.Partitions, 0, info, nil
	}
	if draws <= 0 {
		draws = DefaultPermutations
	}
	b, err := monteCarlo(ctx, v, k, threshold, draws, seed)
	if err != nil {
		return 0, 0, info, err
	}
	info.Draws, info.Seed, info.AtLeast = draws, seed, float64(b)
	p = float64(b+1) / float64(draws+1)
	return p, math.Sqrt(p * (1 - p) / float64(draws)), info, nil
}

// binomial returns C(n, k) rounded to float64 (exact below 2^53).
func binomial(n, k int) float64 {
	f, _ := new(big.Float).SetInt(new(big.Int).Binomial(int64(n), int64(k))).Float64()
	return f
}

// countAtLeast counts the k-subsets of v whose sum is at least threshold,
// exactly. It walks the subsets depth first with a running sum (each
// subset costs O(1) amortised, nothing is recomputed), visiting the values
// in descending order so that whole subtrees can be settled at once: when
// even the k-i largest remaining values cannot reach the threshold the
// subtree adds nothing, and when even the smallest ones reach it, every
// subset in it counts (a binomial coefficient). The slack keeps these
// shortcuts away from sums that tie with the threshold up to rounding;
// such subtrees are walked to their leaves.
func countAtLeast(ctx context.Context, v []float64, k int, threshold, slack float64) (float64, error) {
	n := len(v)
	s := slices.Clone(v)
	slices.SortFunc(s, func(a, b float64) int { return cmp.Compare(b, a) })
	// prefix[i] = s[0]+...+s[i-1]; best(i, r) is the sum of the r largest
	// values from i on, s[i:i+r]; worst(r) the r smallest overall from i
	// on, s[n-r:].
	prefix := make([]float64, n+1)
	for i, x := range s {
		prefix[i+1] = prefix[i] + x
	}
	// choose[m][r] = C(m, r) for the bulk counts.
	choose := make([][]float64, n+1)
	for m := range choose {
		choose[m] = make([]float64, k+1)
		choose[m][0] = 1
		for r := 1; r <= k && r <= m; r++ {
			choose[m][r] = choose[m-1][r-1]
			if r <= m-1 {
				choose[m][r] += choose[m-1][r]
			}
		}
	}
	c := counter{s: s, prefix: prefix, choose: choose, threshold: threshold, slack: slack, ctx: ctx}
	c.walk(0, k, 0)
	return c.count, c.err
}

type counter struct {
	s         []float64
	prefix    []float64
	choose    [][]float64
	threshold float64
	slack     float64
	count     float64
	visits    int
	ctx       context.Context
	err       error
}

// walk counts the subsets that take r more values from s[i:], given the
// sum so far.
func (c *counter) walk(i, r int, sum float64) {
	if c.err != nil {
		return
	}
	if r == 0 {
		if sum >= c.threshold {
			c.count++
		}
		return
	}
	n := len(c.s)
	if best := sum + c.prefix[i+r] - c.prefix[i]; best < c.threshold-c.slack {
		return
	}
	if worst := sum + c.prefix[n] - c.prefix[n-r]; worst >= c.threshold+c.slack {
		c.count += c.choose[n-i][r]
		return
	}
	if c.visits++; c.visits&0xffff == 0 {
		if err := c.ctx.Err(); err != nil {
			c.err = err
			return
		}
	}
	for j := i; j <= n-r; j++ {
		c.walk(j+1, r-1, sum+c.s[j])
	}
}

// monteCarlo returns how many of draws random k-subsets of v have a sum of
// at least threshold. Each draw is a partial Fisher–Yates shuffle of the
// pooled values, which picks a uniformly random k-subset whatever order the
// array was left in by the previous draw. It shuffles the smaller side and
// takes the complement's sum when that is cheaper.
func monteCarlo(ctx context.Context, v []float64, k int, threshold float64, draws int, seed uint64) (int, error) {
	n := len(v)
	w := slices.Clone(v)
	var total float64
	for _, x := range v {
		total += x
	}
	m, complement := k, false
	if n-k < k {
		m, complement = n-k, true
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	b := 0
	for d := 0; d < draws; d++ {
		if d&0x3fff == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		var sum float64
		for i := 0; i < m; i++ {
			j := i + rng.IntN(n-i)
			w[i], w[j] = w[j], w[i]
			sum += w[i]
		}
		if complement {
			sum = total - sum
		}
		if sum >= threshold {
			b++
		}
	}
	return b, nil
}
