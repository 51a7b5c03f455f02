package word2vec

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/internal/cputime"
)

// zipfText makes a corpus of n tokens over a vocabulary of v words with
// Zipf-distributed frequencies, in lines of 20 words: the shape of natural
// text that matters to the trainer's speed (which rows are hot in cache).
func zipfText(n, v int) string {
	r := rand.New(rand.NewPCG(1, 1))
	z := rand.NewZipf(r, 1.07, 2, uint64(v-1))
	var sb strings.Builder
	for i := range n {
		sb.WriteString("w")
		sb.WriteString(strconv.FormatUint(z.Uint64(), 10))
		if i%20 == 19 {
			sb.WriteByte('\n')
		} else {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// BenchmarkTrain reports training speed in words per second of wall time
// and per second of CPU time; on a shared machine the second is the
// steadier figure.
func BenchmarkTrain(b *testing.B) {
	text := zipfText(1_000_000, 50_000)
	c := corpus.FromString(text)
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"sg-classic", func(c *Config) { c.PerPairNegatives = true }},
		{"sg-shared", func(c *Config) { c.PerPairNegatives = false }},
		{"cbow", func(c *Config) { c.CBOW = true }},
		{"sg-hs", func(c *Config) { c.HS, c.Negative = true, -1 }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Sample, cfg.Epochs, cfg.Threads = 1e-4, 1, 1
			tc.edit(&cfg)
			vocab, err := corpus.BuildVocab(context.Background(), c, corpus.VocabOptions{MinCount: 5})
			if err != nil {
				b.Fatal(err)
			}
			cfg.Vocab = vocab
			var words int64
			cpu0 := cputime.Process()
			b.ResetTimer()
			for b.Loop() {
				m, err := Train(context.Background(), c, cfg)
				if err != nil {
					b.Fatal(err)
				}
				words += m.Progress().Done
			}
			cpu := cputime.Process() - cpu0
			b.ReportMetric(float64(words)/b.Elapsed().Seconds(), "words/s")
			b.ReportMetric(float64(words)/cpu.Seconds(), "words/cpu-s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
