package word2vec

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

// spellingText is topicText whose groups are told apart by spelling too:
// group g's words share a stem ("apple3", "apple7"; "zebra1"), so
// subword vectors of unseen members ("apple42") should land near their
// group.
func spellingText(lines int, seed uint64) string {
	stems := []string{"apple", "zebra", "murky"}
	r := rand.New(rand.NewPCG(seed, 9))
	var sb strings.Builder
	for range lines {
		g := r.IntN(len(stems))
		for j := range 8 {
			if j > 0 {
				sb.WriteByte(' ')
			}
			fmt.Fprintf(&sb, "%s%d", stems[g], r.IntN(12))
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

func subwordConfig() Config {
	c := testConfig()
	c.MinN, c.MaxN, c.Bucket = 3, 5, 4096
	return c
}

func TestSubwordTraining(t *testing.T) {
	text := spellingText(3000, 1)
	for _, mode := range []struct {
		name              string
		cbow, hs, perPair bool
		negative          int
	}{
		{"skip-gram NS", false, false, false, 0},
		{"skip-gram NS PerPairNegatives", false, false, true, 0},
		{"skip-gram HS", false, true, false, -1},
		{"skip-gram HS+NS", false, true, false, 0},
		{"CBOW NS", true, false, false, 0},
		{"CBOW HS", true, true, false, -1},
	} {
		t.Run(mode.name, func(t *testing.T) {
			cfg := subwordConfig()
			cfg.CBOW, cfg.HS, cfg.Negative, cfg.PerPairNegatives = mode.cbow, mode.hs, mode.negative, mode.perPair
			m, err := Train(context.Background(), corpus.FromString(text), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(m.in), (m.vocab.Len()+4096)*16; got != want {
				t.Fatalf("input matrix of %d values, want %d", got, want)
			}
			sm, err := m.SubwordModel()
			if err != nil {
				t.Fatal(err)
			}
			e, err := m.Embeddings()
			if err != nil {
				t.Fatal(err)
			}
			smE, _ := sm.Embeddings()
			if !slices.Equal(e.Data(), smE.Data()) {
				t.Error("Embeddings differs from the subword model's")
			}
			// Unseen words of each group are nearest to their group.
			for _, q := range []string{"apple42", "zebra99", "murkyness"} {
				if sm.Known(q) {
					t.Fatalf("%q is in the vocabulary", q)
				}
				nn, err := sm.MostSimilar([]string{q}, nil, 5, embed.QueryOptions{})
				if err != nil {
					t.Fatal(err)
				}
				for _, n := range nn {
					if n.Word[:5] != q[:5] {
						t.Errorf("%s: neighbour %s %.3f is from another group (%v)", q, n.Word, n.Score, nn)
						break
					}
				}
			}
			// Words that share no n-gram ("a3", "a7": "<a3", "a3>",
			// "<a3>") are told apart by their contexts alone, which
			// needs the updates of every row.
			m2, err := Train(context.Background(), corpus.FromString(topicText(3000, 3, 12, 8, 4)), cfg)
			if err != nil {
				t.Fatal(err)
			}
			e2, err := m2.Embeddings()
			if err != nil {
				t.Fatal(err)
			}
			if s := groupSeparation(t, e2); s < 0.2 {
				t.Errorf("topic groups separated by %.3f only", s)
			}
		})
	}
}

func TestSubwordResume(t *testing.T) {
	text := spellingText(4000, 2)
	cfg := subwordConfig()
	full, err := Train(context.Background(), corpus.FromString(text), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := cfg
	c.Progress = func(p Progress) {
		if p.EpochDone && p.Epoch == 1 {
			cancel()
		}
	}
	m, err := Train(ctx, corpus.FromString(text), c)
	cancel()
	if err == nil {
		t.Skip("training ended before the cancellation reached it")
	}
	var buf bytes.Buffer
	if err := m.WriteCheckpoint(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := ReadCheckpoint(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := m2.Config(); got.MinN != 3 || got.MaxN != 5 || got.Bucket != 4096 {
		t.Fatalf("checkpoint settings %+v", got)
	}
	if err := m2.Resume(context.Background(), corpus.FromString(text), nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m2.in, full.in) {
		t.Error("resumed weights (n-gram rows included) differ from an uninterrupted run's")
	}
}

func TestSubwordConfig(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{MinN: 7, MaxN: 6}, "shortest is longer"},
		{Config{MaxN: -1}, "must not be negative"},
		{Config{Bucket: 10}, "without MaxN"},
		{Config{MaxN: 100}, "at most 64"},
	} {
		if err := c.cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error about %q", c.cfg, err, c.want)
		}
	}
	got, err := Config{MaxN: 6}.resolve()
	if err != nil || got.MinN != 3 || got.Bucket != 2000000 {
		t.Errorf("defaults with MaxN 6: MinN %d, Bucket %d, %v", got.MinN, got.Bucket, err)
	}
}

// TestSubwordNoiseSharing checks the noise words skip-gram with subwords
// draws for a window: a fresh set per context word (never the context
// word itself), whatever PerPairNegatives says, since sharing them across
// the centre word's window repeats the same pairs (see drawContexts).
func TestSubwordNoiseSharing(t *testing.T) {
	counts := make([]int64, 50)
	for i := range counts {
		counts[i] = 10
	}
	sen := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, perPair := range []bool{false, true} {
		cfg := Config{Window: 5, Negative: 5, PerPairNegatives: perPair}
		tr := &trainer{cfg: cfg, noise: newNoiseSampler(counts, 0.5)}
		w := newWorker(tr, 7)
		pw := &pairWindow{}
		w.drawContexts(pw, sen, 5, true)
		union := map[int32]bool{}
		var sets [][]int32
		start := int32(0)
		for k, c := 0, pw.lo; c <= pw.hi; c++ {
			if c == 5 {
				continue
			}
			tg := pw.tg[start:pw.ends[k]]
			if tg[0] != sen[c] {
				t.Fatalf("perPair %v: context %d's targets start with %d, want the context word %d", perPair, c, tg[0], sen[c])
			}
			for _, n := range tg[1:] {
				if n == sen[c] {
					t.Fatalf("perPair %v: context word %d is its own noise word", perPair, n)
				}
				union[n] = true
			}
			sets = append(sets, tg[1:])
			start = pw.ends[k]
			k++
		}
		if len(sets) < 2 {
			t.Fatalf("perPair %v: window of %d contexts; pick another seed", perPair, len(sets))
		}
		if len(union) <= cfg.Negative {
			t.Errorf("perPair %v: only %d distinct noise words across %d contexts (%v)", perPair, len(union), len(sets), sets)
		}
	}
}
