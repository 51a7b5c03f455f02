package inspect

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/wordspace/wordspace/transformer"
)

// Role is a job an attention head can do.
type Role int

const (
	// Previous: attend to the token just before.
	Previous Role = iota
	// First: attend to the first token, <bos>. Heads with nothing useful
	// to read park their attention there (an "attention sink").
	First
	// Copy: attend to earlier occurrences of the current word.
	Copy
	// Induction: having seen "A B … A", attend from the second A to the B
	// that followed the first, so as to predict B again (Olsson et al.
	// 2022, "In-context Learning and Induction Heads"). Measured on a
	// random token sequence repeated once.
	Induction
)

// Roles lists the roles in order.
var Roles = []Role{Previous, First, Copy, Induction}

var roleNames = []string{"previous token", "first token (sink)", "earlier copy of the word", "induction"}

func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return fmt.Sprintf("Role(%d)", int(r))
	}
	return roleNames[r]
}

// Scores are one head's scores for the roles: each the mean share of a
// position's attention (0 to 1) that goes where the role says, over the
// positions where the role is defined. A head that does nothing but the
// role scores 1.
type Scores [4]float64

// ScorePattern scores one head's attention pattern for the roles that
// natural text shows: att[p][q] is how much position p attends to
// position q ≤ p, and tokens[p] is the token read at p, tokens[0] being
// <bos>. Previous and First are averaged over the positions p ≥ 2 (at
// p = 1 the previous token is the first); Copy over the positions whose
// word occurred earlier in the text (not <unk>, and not just before, where
// copying and looking back one token cannot be told apart). n counts the
// positions behind each score; a score with n = 0 is 0. Induction is left
// 0: see InductionScore.
func ScorePattern(att [][]float32, tokens []string) (s Scores, n [4]int) {
	var sum [4]float64
	scorePattern(&sum, &n, att, tokens)
	for r := range sum {
		if n[r] > 0 {
			s[r] = sum[r] / float64(n[r])
		}
	}
	return s, n
}

// scorePattern adds the role sums and counts of one pattern.
func scorePattern(sum *[4]float64, n *[4]int, att [][]float32, tokens []string) {
	for p := 2; p < len(att); p++ {
		sum[Previous] += float64(att[p][p-1])
		sum[First] += float64(att[p][0])
		n[Previous]++
		n[First]++
	}
	for p := 2; p < len(att); p++ {
		w := tokens[p]
		if w == transformer.Unk || tokens[p-1] == w {
			continue
		}
		var s float64
		seen := false
		for q := 1; q < p; q++ {
			if tokens[q] == w {
				s += float64(att[p][q])
				seen = true
			}
		}
		if seen {
			sum[Copy] += s
			n[Copy]++
		}
	}
}

// uniformPattern is the pattern of a head that spreads its attention
// evenly over the positions it can see.
func uniformPattern(T int) [][]float32 {
	att := make([][]float32, T)
	for p := range att {
		att[p] = make([]float32, T)
		for q := 0; q <= p; q++ {
			att[p][q] = 1 / float32(p+1)
		}
	}
	return att
}

// InductionScore scores one head's attention pattern on <bos> followed by
// a sequence of period tokens repeated once (positions 1..period, then
// period+1..2·period): the mean attention, over the positions p of the
// repeat whose token's first occurrence was followed by another token of
// the first copy, to that following token (position p − period + 1).
func InductionScore(att [][]float32, period int) float64 {
	var s float64
	n := 0
	for p := period + 1; p < 2*period && p < len(att); p++ {
		s += float64(att[p][p-period+1])
		n++
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}

// HeadOptions configures Heads. The zero value is usable.
type HeadOptions struct {
	// Sequences is the number of repeated random sequences of the
	// induction test (default 50).
	Sequences int
	// Period is the length of each random sequence (default: as long as
	// fits twice in the context after <bos>).
	Period int
	// Seed draws the random sequences.
	Seed uint64
	// Threads is the number of goroutines (0: GOMAXPROCS).
	Threads int
}

// HeadReport is the outcome of Heads.
type HeadReport struct {
	// Scores[l][h] are head h of block l's role scores.
	Scores [][]Scores
	// Uniform are the scores of a head attending evenly to every position
	// it can see, on the same positions: the level a role must clearly
	// beat to count as that head's job.
	Uniform Scores
	// Positions counts the positions behind each role's score (Induction:
	// repeat positions over all sequences).
	Positions [4]int
	// Texts is the number of texts read.
	Texts int
	// Period and Sequences describe the induction test; FirstLoss and
	// RepeatLoss are the model's mean next-token loss (nats) over the
	// same positions of the first copy and of the repeat. A model that
	// copies from context predicts the repeat much better.
	Period, Sequences     int
	FirstLoss, RepeatLoss float64
	// Example is one of the repeated sequences (without <bos>).
	Example []string
}

// Best returns the head that scores highest for role r.
func (hr *HeadReport) Best(r Role) (layer, head int, score float64) {
	score = -1
	for l, row := range hr.Scores {
		for h, s := range row {
			if s[r] > score {
				layer, head, score = l, h, s[r]
			}
		}
	}
	return layer, head, score
}

// Heads scores every attention head of m for every role: Previous, First
// and Copy on texts (typically held-out sentences), Induction on repeated
// random sequences of the model's words.
func Heads(ctx context.Context, m *transformer.Model, texts []Text, opt HeadOptions) (*HeadReport, error) {
	cfg := m.Config()
	L, H := cfg.Layers, cfg.Heads
	if opt.Sequences <= 0 {
		opt.Sequences = 50
	}
	if opt.Period <= 0 {
		opt.Period = (cfg.Context - 1) / 2
	}
	words := len(m.Tokens()) - 3
	if opt.Period < 2 || 2*opt.Period+1 > cfg.Context || words < opt.Period {
		return nil, fmt.Errorf("inspect: induction period %d does not fit twice in a context of %d or in %d words", opt.Period, cfg.Context, words)
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("inspect: heads: %w", ErrNoText)
	}
	hr := &HeadReport{Texts: len(texts), Period: opt.Period, Sequences: opt.Sequences}
	sums := make([][][4]float64, L)
	for l := range sums {
		sums[l] = make([][4]float64, H)
	}
	var uni [4]float64
	var counts [4]int
	type headSums struct {
		s      [][][4]float64
		uni    [4]float64
		counts [4]int
	}
	err := mapOrdered(ctx, len(texts), opt.Threads, func(i int) (headSums, error) {
		var hs headSums
		r, err := m.Contextualize(texts[i].Words, transformer.ContextOptions{Attention: true})
		if err != nil {
			return hs, err
		}
		hs.s = make([][][4]float64, L)
		for l := range L {
			hs.s[l] = make([][4]float64, H)
			for h := range H {
				var n [4]int
				scorePattern(&hs.s[l][h], &n, r.Attention[l][h], r.Tokens)
				if l == 0 && h == 0 {
					hs.counts = n
				}
			}
		}
		var n [4]int
		scorePattern(&hs.uni, &n, uniformPattern(len(r.Tokens)), r.Tokens)
		return hs, nil
	}, func(_ int, hs headSums) {
		for l := range L {
			for h := range H {
				for k := range 4 {
					sums[l][h][k] += hs.s[l][h][k]
				}
			}
		}
		for k := range 4 {
			uni[k] += hs.uni[k]
			counts[k] += hs.counts[k]
		}
	})
	if err != nil {
		return nil, err
	}

	// The induction test.
	rng := rand.New(rand.NewPCG(opt.Seed, 0x1d))
	seqs := make([][]string, opt.Sequences)
	tokens := m.Tokens()
	for i := range seqs {
		perm := rng.Perm(words)[:opt.Period]
		s := make([]string, 2*opt.Period)
		for j, k := range perm {
			s[j] = tokens[3+k]
			s[j+opt.Period] = tokens[3+k]
		}
		seqs[i] = s
	}
	hr.Example = seqs[0]
	type indResult struct {
		s           [][]float64
		first, rept float64
	}
	ind := make([][]float64, L)
	for l := range ind {
		ind[l] = make([]float64, H)
	}
	P := opt.Period
	var first, rept float64
	err = mapOrdered(ctx, len(seqs), opt.Threads, func(i int) (indResult, error) {
		var res indResult
		r, err := m.Contextualize(seqs[i], transformer.ContextOptions{Attention: true})
		if err != nil {
			return res, err
		}
		res.s = make([][]float64, L)
		for l := range L {
			res.s[l] = make([]float64, H)
			for h := range H {
				res.s[l][h] = InductionScore(r.Attention[l][h], P)
			}
		}
		// Position p predicts the token at p+1: the first copy's
		// predictions of its own tokens 2..P sit at 1..P−1, the repeat's
		// at P+1..2P−1.
		tgt := make([]int32, len(r.Tokens))
		for p := range len(r.Tokens) - 1 {
			tgt[p], _ = m.TokenID(seqs[i][p])
		}
		tgt[len(tgt)-1] = -1
		loss := positionLoss(m, r.Layers[L], tgt)
		for p := 1; p < P; p++ {
			res.first += loss[p]
			res.rept += loss[p+P]
		}
		return res, nil
	}, func(_ int, res indResult) {
		for l := range L {
			for h := range H {
				ind[l][h] += res.s[l][h]
			}
		}
		first += res.first
		rept += res.rept
	})
	if err != nil {
		return nil, err
	}
	n := float64(len(seqs))
	hr.FirstLoss = first / (n * float64(P-1))
	hr.RepeatLoss = rept / (n * float64(P-1))
	hr.Positions = counts
	hr.Positions[Induction] = len(seqs) * (P - 1)
	hr.Scores = make([][]Scores, L)
	for l := range L {
		hr.Scores[l] = make([]Scores, H)
		for h := range H {
			for k := range 3 {
				if counts[k] > 0 {
					hr.Scores[l][h][k] = sums[l][h][k] / float64(counts[k])
				}
			}
			hr.Scores[l][h][Induction] = ind[l][h] / n
		}
	}
	for k := range 3 {
		if counts[k] > 0 {
			hr.Uniform[k] = uni[k] / float64(counts[k])
		}
	}
	hr.Uniform[Induction] = InductionScore(uniformPattern(2*P+1), P)
	return hr, nil
}
