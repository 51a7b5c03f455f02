package ppmi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

func vocabOf(t testing.TB, c corpus.Source, minCount int) *embed.Vocab {
	t.Helper()
	v, err := corpus.BuildVocab(context.Background(), c, corpus.VocabOptions{MinCount: minCount})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCountByHand checks the counts of a corpus small enough to count on
// paper, window 2:
//
//	"a b c"  pairs (a,b) at distance 1, (a,c) at 2, (b,c) at 1
//	"b a b"  pairs (b,a) at 1, (b,b) at 2, (a,b) at 1
//	"c"      no pair; the empty line and the unknown word "zz" add nothing
//
// Uniform: ab = 1+1+1 = 3, ac = 1, bc = 1, bb = 2 (the pair b…b is seen
// from both of its ends, as word2vec's window would). Linear weights are
// (2−d+1)/2: 1 at distance 1 and 0.5 at distance 2, so ab = 3, ac = 0.5,
// bc = 1, bb = 2·0.5 = 1. Harmonic weights 1/d give the same numbers as
// linear for a window of 2.
func TestCountByHand(t *testing.T) {
	text := corpus.FromString("a b c\nb a b\n\nc\nzz\n")
	vocab, err := embed.NewVocab([]string{"b", "a", "c"}, []int64{3, 2, 2})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		w    Weighting
		want map[[2]string]float64
	}{
		{Uniform, map[[2]string]float64{{"a", "b"}: 3, {"a", "c"}: 1, {"b", "c"}: 1, {"b", "b"}: 2}},
		{Linear, map[[2]string]float64{{"a", "b"}: 3, {"a", "c"}: 0.5, {"b", "c"}: 1, {"b", "b"}: 1}},
		{Harmonic, map[[2]string]float64{{"a", "b"}: 3, {"a", "c"}: 0.5, {"b", "c"}: 1, {"b", "b"}: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.w.String(), func(t *testing.T) {
			c, err := Count(context.Background(), text, vocab, CountOptions{Window: 2, Weighting: tt.w})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Counts().NNZ(); got != 7 { // ab, ba, ac, ca, bc, cb, bb
				t.Errorf("%d stored entries, want 7", got)
			}
			words := []string{"a", "b", "c"}
			for _, x := range words {
				for _, y := range words {
					want := tt.want[[2]string{x, y}] + tt.want[[2]string{y, x}]
					if x == y {
						want /= 2
					}
					got, err := c.At(x, y)
					if err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("#(%s,%s) = %v, want %v", x, y, got, want)
					}
				}
			}
			if c.Info().Tokens != 7 { // a b c, b a b, c
				t.Errorf("counted %d tokens, want 7", c.Info().Tokens)
			}
		})
	}
}

// randomText returns a corpus of Zipf-distributed words in lines of
// varying length, including empty and one-word lines.
func randomText(seed uint64, lines, vocab int) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(vocab-1))
	var sb strings.Builder
	for range lines {
		n := rng.IntN(30)
		for k := range n {
			if k > 0 {
				sb.WriteByte(' ')
			}
			fmt.Fprintf(&sb, "w%d", zipf.Uint64())
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// naiveCount counts pairs the obvious way, for comparison.
func naiveCount(t *testing.T, c corpus.Source, vocab *embed.Vocab, window int, units []float64, unit float64) map[[2]int]float64 {
	t.Helper()
	got := map[[2]int]float64{}
	err := c.Sentences(context.Background(), func(tokens []string) error {
		var ids []int
		for _, w := range tokens {
			if i, ok := vocab.Index(w); ok {
				ids = append(ids, i)
			}
		}
		for i := range ids {
			for j := max(0, i-window); j <= min(len(ids)-1, i+window); j++ {
				if j != i {
					d := max(i-j, j-i)
					got[[2]int{ids[i], ids[j]}] += units[d] / unit
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestCountMatchesNaive compares sharded counting, forced to merge many
// times by a tiny shard, with a plain map, for several thread counts.
func TestCountMatchesNaive(t *testing.T) {
	text := corpus.FromString(randomText(7, 3000, 400))
	vocab := vocabOf(t, text, 3)
	for _, w := range []Weighting{Uniform, Linear, Harmonic} {
		units, unit := distanceWeights(4, w)
		want := naiveCount(t, text, vocab, 4, units, unit)
		var first *Cooccurrence
		for _, threads := range []int{1, 2, 5} {
			c, err := Count(context.Background(), text, vocab, CountOptions{Window: 4, Weighting: w, Threads: threads, ShardPairs: 1024})
			if err != nil {
				t.Fatal(err)
			}
			if err := checkCSR(c.Counts(), true); err != nil {
				t.Fatal(err)
			}
			if c.Counts().NNZ() != len(want) {
				t.Fatalf("%v, %d threads: %d entries, want %d", w, threads, c.Counts().NNZ(), len(want))
			}
			c.Counts().DoNonZero(func(i, j int, v float64) {
				if math.Abs(v-want[[2]int{i, j}]) > 1e-9*v {
					t.Errorf("%v, %d threads: (%d,%d) = %v, want %v", w, threads, i, j, v, want[[2]int{i, j}])
				}
			})
			if first == nil {
				first = c
				continue
			}
			// Whole-number weights make the sums exact: identical bits
			// whatever the thread count.
			a, b := first.Counts().RawMatrix(), c.Counts().RawMatrix()
			for k := range a.Data {
				if a.Data[k] != b.Data[k] || a.Ind[k] != b.Ind[k] {
					t.Fatalf("%v: %d threads differ from 1 thread at entry %d", w, threads, k)
				}
			}
		}
	}
}

func TestCountSubsample(t *testing.T) {
	text := corpus.FromString(randomText(3, 2000, 300))
	vocab := vocabOf(t, text, 1)
	full, err := Count(context.Background(), text, vocab, CountOptions{Window: 3})
	if err != nil {
		t.Fatal(err)
	}
	var runs []*Cooccurrence
	for _, threads := range []int{1, 3} {
		c, err := Count(context.Background(), text, vocab, CountOptions{Window: 3, Subsample: 1e-3, Seed: 42, Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, c)
	}
	// The most frequent word is dropped most often: its share of the
	// tokens must fall.
	top := vocab.Count(0)
	var total int64
	for _, n := range vocab.Counts() {
		total += n
	}
	if runs[0].Info().Tokens >= full.Info().Tokens {
		t.Fatalf("subsampling kept %d of %d tokens", runs[0].Info().Tokens, full.Info().Tokens)
	}
	keep, _ := keepThresholds(vocab, 1e-3)
	pTop := float64(keep[0]) / math.Pow(2, 64)
	if pTop >= 0.5 {
		t.Fatalf("keep probability of the top word (%d of %d) is %v; the test needs a frequent word", top, total, pTop)
	}
	a, b := runs[0].Counts().RawMatrix(), runs[1].Counts().RawMatrix()
	if len(a.Data) != len(b.Data) {
		t.Fatal("subsampled counts depend on the number of threads")
	}
	for k := range a.Data {
		if a.Data[k] != b.Data[k] {
			t.Fatal("subsampled counts depend on the number of threads")
		}
	}
	other, err := Count(context.Background(), text, vocab, CountOptions{Window: 3, Subsample: 1e-3, Seed: 43})
	if err != nil {
		t.Fatal(err)
	}
	if other.Info().Tokens == runs[0].Info().Tokens && other.Counts().NNZ() == runs[0].Counts().NNZ() {
		t.Error("a different seed gave the same sample")
	}
}

func TestCountErrors(t *testing.T) {
	vocab, _ := embed.NewVocab([]string{"a", "b"}, nil)
	ctx := context.Background()
	if _, err := Count(ctx, corpus.FromString("a b\n"), vocab, CountOptions{Subsample: 1e-3}); err == nil {
		t.Error("subsampling without counts: no error")
	}
	if _, err := Count(ctx, corpus.FromString("a b\n"), vocab, CountOptions{Window: -1}); err == nil {
		t.Error("negative window: no error")
	}
	if _, err := Count(ctx, corpus.FromString("a\nb\n\n"), vocab, CountOptions{}); !errors.Is(err, ErrEmptyCounts) {
		t.Errorf("one-word lines: got %v, want ErrEmptyCounts", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	big := corpus.FromString(randomText(1, 5000, 100))
	if _, err := Count(cancelled, big, vocabOf(t, big, 1), CountOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

func TestCountProgress(t *testing.T) {
	text := corpus.FromString(randomText(5, 20000, 500))
	vocab := vocabOf(t, text, 1)
	var last, total int64
	calls := 0
	_, err := Count(context.Background(), text, vocab, CountOptions{Progress: func(p Progress) {
		d, tot := p.Done, p.Total
		if d < last {
			t.Errorf("progress went back from %d to %d", last, d)
		}
		last, total = d, tot
		calls++
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != total || total == 0 {
		t.Errorf("%d calls, last %d of %d", calls, last, total)
	}
}

func TestParseWeighting(t *testing.T) {
	for _, w := range []Weighting{Uniform, Linear, Harmonic} {
		got, err := ParseWeighting(strings.ToUpper(w.String()))
		if err != nil || got != w {
			t.Errorf("ParseWeighting(%q) = %v, %v", w.String(), got, err)
		}
	}
	if _, err := ParseWeighting("dyn"); err == nil {
		t.Error("no error for an unknown name")
	}
}
