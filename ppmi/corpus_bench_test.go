package ppmi

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/james-bowman/sparse"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/testenv"
)

// The corpus benchmarks measure counting, PPMI and the SVD on the shared
// 15-million-token corpus; -cpu 1,2 runs each with GOMAXPROCS 1 and 2
// (every goroutine pool, the gemm kernel's included, follows GOMAXPROCS):
//
//	flock /work/.benchlock go test ./ppmi -run '^$' -bench Corpus -benchtime 2x -count 3 -cpu 1,2
//
// They are skipped when ../shared is not there.
const benchCorpus = "data/corpus-en.txt.gz"

var benchData struct {
	once   sync.Once
	corpus *corpus.Corpus
	vocab  *embed.Vocab
	ppmi   *sparse.CSR
	err    error
}

func loadBenchData(b *testing.B, withPPMI bool) {
	path := testenv.SharedFile(b, benchCorpus)
	d := &benchData
	d.once.Do(func() {
		ctx := context.Background()
		if d.corpus, d.err = corpus.Open([]string{path}, corpus.TokenOptions{}); d.err != nil {
			return
		}
		d.vocab, d.err = corpus.BuildVocab(ctx, d.corpus, corpus.VocabOptions{MinCount: 5})
	})
	if d.err != nil {
		b.Fatal(d.err)
	}
	if withPPMI && d.ppmi == nil {
		c, err := Count(context.Background(), d.corpus, d.vocab, CountOptions{Window: 5, Weighting: Linear})
		if err != nil {
			b.Fatal(err)
		}
		if d.ppmi, err = c.PPMI(PMIOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCorpusCount(b *testing.B) {
	loadBenchData(b, false)
	var tokens int64
	for range b.N {
		c, err := Count(context.Background(), benchData.corpus, benchData.vocab, CountOptions{Window: 5, Weighting: Linear})
		if err != nil {
			b.Fatal(err)
		}
		tokens += c.Info().Tokens
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds()/1e6, "Mtokens/s")
}

func BenchmarkCorpusPPMI(b *testing.B) {
	loadBenchData(b, false)
	c, err := Count(context.Background(), benchData.corpus, benchData.vocab, CountOptions{Window: 5, Weighting: Linear})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := c.PPMI(PMIOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCorpusSVD(b *testing.B) {
	loadBenchData(b, true)
	for _, dim := range []int{100, 300} {
		b.Run(fmt.Sprintf("dim=%d", dim), func(b *testing.B) {
			for range b.N {
				if _, err := TruncatedSVD(context.Background(), benchData.ppmi, SVDOptions{Dim: dim, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
