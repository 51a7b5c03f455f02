package inspect

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/wordspace/wordspace/internal/gemm"
	"github.com/wordspace/wordspace/transformer"
)

// Trigger is one context that makes a neuron fire: the word at position
// Pos (1-based: texts[Text].Words[Pos-1]) of text Text, with the neuron's
// activation there.
type Trigger struct {
	Text, Pos  int
	Activation float32
}

// PatternKind is a surface pattern the contexts of a neuron can share.
type PatternKind int

const (
	// SameWord: the contexts end in the same word.
	SameWord PatternKind = iota
	// SameSuffix: the words end in the same three letters (words of at
	// least five letters), such as -ing, -ion or -est.
	SameSuffix
	// SamePrevious: the word before is the same.
	SamePrevious
)

// PatternKinds lists the kinds in order.
var PatternKinds = []PatternKind{SameWord, SameSuffix, SamePrevious}

var kindNames = []string{"same word", "same suffix", "same preceding word"}

func (k PatternKind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("PatternKind(%d)", int(k))
	}
	return kindNames[k]
}

// Pattern is the most common value of one kind among a neuron's top
// contexts (a word or a suffix) and the share of the contexts that have it.
type Pattern struct {
	Kind  PatternKind
	Value string
	Share float64
}

// Promoted is a word a neuron's output vector pushes the prediction
// towards, with its score: the dot product of the vector with the word's
// output embedding.
type Promoted struct {
	Word  string
	Score float32
}

// Neuron is what Neurons found out about one feed-forward neuron.
type Neuron struct {
	Layer, Index int
	// Top are the contexts that made it fire most, highest first.
	Top []Trigger
	// Patterns are the most shared value of each kind among Top.
	Patterns [3]Pattern
	// Promotes are the words its output ("value") vector scores highest
	// through the output embedding.
	Promotes []Promoted
	// Agreement is the share of Top whose next token is among Promotes:
	// whether the neuron, when it fires, pushes towards what comes next.
	Agreement float64
}

// Pattern returns the most specific pattern that at least minShare of the
// neuron's top contexts share (the same word before the same suffix, then
// the same preceding word), and whether there is one.
func (n *Neuron) Pattern(minShare float64) (Pattern, bool) {
	for _, k := range PatternKinds {
		if p := n.Patterns[k]; p.Value != "" && p.Share >= minShare {
			return p, true
		}
	}
	return Pattern{}, false
}

// NeuronLayer sums up one block's neurons.
type NeuronLayer struct {
	Layer, Neurons int
	// WithPattern counts the neurons whose top contexts share a pattern
	// of each kind (at least MinShare of them); Any those with any kind.
	WithPattern [3]int
	Any         int
	// MeanShare is the mean, over the neurons, of the share of the most
	// common value of each kind among their top contexts.
	MeanShare [3]float64
	// Agreement is the neurons' mean Agreement; ShuffledAgreement the
	// same with each neuron's contexts paired with another neuron's
	// promoted words, the level reached by chance.
	Agreement, ShuffledAgreement float64
}

// NeuronReport is the outcome of Neurons.
type NeuronReport struct {
	// Neurons[l][i] is neuron i of block l.
	Neurons [][]Neuron
	Layers  []NeuronLayer
	// ChanceShare is the mean share of the most common value of each kind
	// among TopK contexts drawn at random from the same texts, and
	// ChanceWithPattern how often such a random draw reaches MinShare:
	// what a neuron with no preference would show.
	ChanceShare, ChanceWithPattern [3]float64
	// Positions counts the word positions read.
	Positions     int
	TopK, Promote int
	MinShare      float64
}

// NeuronOptions configures Neurons. The zero value is usable.
type NeuronOptions struct {
	// TopK is the number of contexts kept per neuron (default 20).
	TopK int
	// Promote is the number of promoted words listed per neuron
	// (default 10).
	Promote int
	// MinShare is the share of a neuron's top contexts that must have
	// the same value for it to count as a pattern (default 0.5).
	MinShare float64
	// Seed draws the random contexts of the chance level.
	Seed uint64
	// Threads is the number of goroutines (0: GOMAXPROCS).
	Threads int
}

// Neurons runs m over texts, keeps for every feed-forward neuron the
// TopK positions where it fires most (the words read there and before
// them are its "trigger" contexts; position 0, <bos>, is left out), and
// describes each neuron by the patterns its contexts share and the words
// its output vector promotes.
func Neurons(ctx context.Context, m *transformer.Model, texts []Text, opt NeuronOptions) (*NeuronReport, error) {
	if opt.TopK <= 0 {
		opt.TopK = 20
	}
	if opt.Promote <= 0 {
		opt.Promote = 10
	}
	if opt.MinShare <= 0 {
		opt.MinShare = 0.5
	}
	cfg := m.Config()
	L, F := cfg.Layers, cfg.DFF
	tops := make([][]topList, L)
	for l := range tops {
		tops[l] = make([]topList, F)
	}
	var positions [][2]int
	err := mapOrdered(ctx, len(texts), opt.Threads, func(i int) ([][][]float32, error) {
		r, err := m.Contextualize(texts[i].Words, transformer.ContextOptions{Neurons: true})
		if err != nil {
			return nil, err
		}
		return r.Neurons, nil
	}, func(i int, act [][][]float32) {
		for p := 1; p < len(act[0]); p++ {
			positions = append(positions, [2]int{i, p})
			for l := range L {
				for j, a := range act[l][p] {
					tops[l][j].add(Trigger{Text: i, Pos: p, Activation: a}, opt.TopK)
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if len(positions) < opt.TopK {
		return nil, fmt.Errorf("inspect: %d positions read, fewer than the %d contexts kept per neuron: %w", len(positions), opt.TopK, ErrNoText)
	}
	rep := &NeuronReport{Positions: len(positions), TopK: opt.TopK, Promote: opt.Promote, MinShare: opt.MinShare}
	words := func(t Trigger) (word, prev, next string) {
		w := texts[t.Text].Words
		word = w[t.Pos-1]
		prev = transformer.Bos
		if t.Pos >= 2 {
			prev = w[t.Pos-2]
		}
		if t.Pos < len(w) {
			next = w[t.Pos]
		} else {
			next = texts[t.Text].Next
		}
		return word, prev, next
	}
	promotes := promotedWords(m, opt.Promote)
	for l := range L {
		nl := NeuronLayer{Layer: l + 1, Neurons: F}
		row := make([]Neuron, F)
		for j := range F {
			n := Neuron{Layer: l + 1, Index: j, Top: tops[l][j].sorted(), Promotes: promotes[l][j]}
			n.Patterns = patterns(n.Top, words)
			n.Agreement = agreement(n.Top, n.Promotes, words)
			row[j] = n
			for k := range 3 {
				nl.MeanShare[k] += n.Patterns[k].Share / float64(F)
				if n.Patterns[k].Value != "" && n.Patterns[k].Share >= opt.MinShare {
					nl.WithPattern[k]++
				}
			}
			if _, ok := n.Pattern(opt.MinShare); ok {
				nl.Any++
			}
			nl.Agreement += n.Agreement / float64(F)
		}
		for j := range F {
			nl.ShuffledAgreement += agreement(row[j].Top, row[(j+1)%F].Promotes, words) / float64(F)
		}
		rep.Neurons = append(rep.Neurons, row)
		rep.Layers = append(rep.Layers, nl)
	}
	// The chance level: TopK positions drawn at random, many times.
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e))
	const draws = 500
	sample := make([]Trigger, opt.TopK)
	for range draws {
		for i := range sample {
			p := positions[rng.IntN(len(positions))]
			sample[i] = Trigger{Text: p[0], Pos: p[1]}
		}
		ps := patterns(sample, words)
		for k := range 3 {
			rep.ChanceShare[k] += ps[k].Share / draws
			if ps[k].Value != "" && ps[k].Share >= opt.MinShare {
				rep.ChanceWithPattern[k] += 1.0 / draws
			}
		}
	}
	return rep, nil
}

// Suffix returns the ending the SameSuffix pattern compares: the last
// three letters of a word of at least five, or "".
func Suffix(w string) string {
	r := []rune(w)
	if len(r) < 5 || w == transformer.Unk || w == transformer.Eos || w == transformer.Bos {
		return ""
	}
	return string(r[len(r)-3:])
}

// patterns finds the most common value of each kind among the contexts.
// Ties go to the value that occurs first. <unk> never counts as a shared
// word (it stands for many).
func patterns(top []Trigger, words func(Trigger) (string, string, string)) [3]Pattern {
	var out [3]Pattern
	for _, k := range PatternKinds {
		count := map[string]int{}
		best, bestN := "", 0
		for _, t := range top {
			w, prev, _ := words(t)
			v := w
			switch k {
			case SameSuffix:
				v = Suffix(w)
			case SamePrevious:
				v = prev
			}
			if v == "" || v == transformer.Unk {
				continue
			}
			count[v]++
			if count[v] > bestN {
				best, bestN = v, count[v]
			}
		}
		out[k] = Pattern{Kind: k, Value: best}
		if len(top) > 0 {
			out[k].Share = float64(bestN) / float64(len(top))
		}
	}
	return out
}

// agreement is the share of the contexts whose next token is promoted.
func agreement(top []Trigger, promoted []Promoted, words func(Trigger) (string, string, string)) float64 {
	if len(top) == 0 {
		return 0
	}
	set := make(map[string]bool, len(promoted))
	for _, p := range promoted {
		set[p.Word] = true
	}
	n := 0
	for _, t := range top {
		if _, _, next := words(t); set[next] {
			n++
		}
	}
	return float64(n) / float64(len(top))
}

// OutputEmbedding returns the model's output embedding as a
// len(Tokens()) × DModel row-major matrix: row v is the vector whose dot
// product with the final hidden state is token v's logit (the token
// embedding of a tied model, the transposed head of an untied one).
func OutputEmbedding(m *transformer.Model) []float32 {
	V, d := len(m.Tokens()), m.Config().DModel
	if head := m.Param("head.w"); head != nil {
		out := make([]float32, V*d)
		for i := range d {
			for v := range V {
				out[v*d+i] = head.Data[i*V+v]
			}
		}
		return out
	}
	e, err := m.Embedding()
	if err != nil {
		// A model's own vocabulary is always valid.
		panic(err)
	}
	return e.Data()
}

// promotedWords returns, for every neuron of every block, the k tokens
// (never <bos>) whose output embedding has the largest dot product with
// the neuron's output vector (its row of the block's ffn.w2).
func promotedWords(m *transformer.Model, k int) [][][]Promoted {
	cfg := m.Config()
	V, d, F := len(m.Tokens()), cfg.DModel, cfg.DFF
	E := OutputEmbedding(m)
	tokens := m.Tokens()
	scores := make([]float32, F*V)
	out := make([][][]Promoted, cfg.Layers)
	for l := range cfg.Layers {
		w2 := m.Param(fmt.Sprintf("blocks.%d.ffn.w2", l)).Data // F × d
		gemm.Sgemm(false, true, F, V, d, 1, w2, d, E, d, 0, scores, V)
		out[l] = make([][]Promoted, F)
		for j := range F {
			row := scores[j*V : (j+1)*V]
			var best []Promoted
			for v, s := range row {
				if v == transformer.BosID {
					continue
				}
				if len(best) < k || s > best[len(best)-1].Score {
					best = insertPromoted(best, Promoted{tokens[v], s}, k)
				}
			}
			out[l][j] = best
		}
	}
	return out
}

// insertPromoted inserts p into best (sorted by decreasing score, at most
// k long).
func insertPromoted(best []Promoted, p Promoted, k int) []Promoted {
	i := sort.Search(len(best), func(i int) bool { return best[i].Score < p.Score })
	if len(best) < k {
		best = append(best, Promoted{})
	} else if i >= k {
		return best
	}
	copy(best[i+1:], best[i:])
	best[i] = p
	return best
}

// topList keeps the k highest-activation triggers seen so far.
type topList struct {
	items []Trigger
	min   int // index of the lowest item once full
}

func (t *topList) add(tr Trigger, k int) {
	if len(t.items) < k {
		t.items = append(t.items, tr)
		if len(t.items) == k {
			t.findMin()
		}
		return
	}
	if tr.Activation <= t.items[t.min].Activation {
		return
	}
	t.items[t.min] = tr
	t.findMin()
}

func (t *topList) findMin() {
	t.min = 0
	for i, it := range t.items {
		if it.Activation < t.items[t.min].Activation {
			t.min = i
		}
	}
}

// sorted returns the items, highest activation first (earlier texts first
// among equals).
func (t *topList) sorted() []Trigger {
	out := append([]Trigger(nil), t.items...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Activation != out[j].Activation {
			return out[i].Activation > out[j].Activation
		}
		if out[i].Text != out[j].Text {
			return out[i].Text < out[j].Text
		}
		return out[i].Pos < out[j].Pos
	})
	return out
}
