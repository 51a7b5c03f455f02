package ann

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/cputime"
)

// The benchmarks report recall@10 beside the time, so that speed is never
// quoted without the quality it buys.

var small struct {
	once sync.Once
	e    *embed.Embeddings
	x    *Index
	qs   [][]float32
}

// smallSet is a 50,000 × 100 mixture and its index, built once.
func smallSet(b *testing.B) (*embed.Embeddings, *Index, [][]float32) {
	small.once.Do(func() {
		small.e = mixture(b, 50000, 100, 200, 1)
		small.x = build(b, small.e, BuildOptions{Seed: 1})
		small.qs = queries(small.e, 200, 2)
	})
	return small.e, small.x, small.qs
}

func BenchmarkSearch(b *testing.B) {
	_, x, qs := smallSet(b)
	for _, ef := range []int{16, 64} {
		b.Run(fmt.Sprintf("ef=%d", ef), func(b *testing.B) {
			y := x.WithEf(ef)
			stop := cputime.Clock(b)
			for i := 0; b.Loop(); i++ {
				if _, err := y.Search(qs[i%len(qs)], 10, nil); err != nil {
					b.Fatal(err)
				}
			}
			stop()
			b.ReportMetric(recall(b, y, qs, 10), "recall@10")
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	e := mixture(b, 10000, 100, 50, 1)
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(context.Background(), e, BuildOptions{Threads: threads}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(e.Len()*b.N)/b.Elapsed().Seconds(), "vectors/s")
		})
	}
}

// BenchmarkSearch1M measures one query against a million vectors: the
// files of bench/ann-vs-hnswlib.sh, named by WORDSPACE_ANN_DATA (the
// .npy written by "annbench gen"; its index, saved by "annbench run
// -save", beside it with the extension .hnsw, and the queries and exact
// answers written by annbench). It compares with the exact scan.
//
//	WORDSPACE_ANN_DATA=$HOME/.cache/wordspace/ann/mix.npy go test ./ann -run X -bench 1M -benchtime 2000x
//
// (with -benchtime 2000x the exact scan takes about two minutes a count).
func BenchmarkSearch1M(b *testing.B) {
	path := os.Getenv("WORDSPACE_ANN_DATA")
	if path == "" {
		b.Skip("WORDSPACE_ANN_DATA is not set: see the comment of BenchmarkSearch1M")
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		b.Skipf("%s does not exist: bench/ann-vs-hnswlib.sh makes it (DATASETS=mix)", path)
	}
	e, err := embed.Load(path, embed.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	base := strings.TrimSuffix(path, ".npy")
	x, err := Load(base+".hnsw", e)
	if err != nil {
		b.Fatal(err)
	}
	var qs [][]float32
	for _, row := range readRows(b, base+".queries.npy", e.Dim()) {
		q := make([]float32, len(row))
		for j, v := range row {
			q[j] = math.Float32frombits(v)
		}
		qs = append(qs, q)
	}
	truth := readRows(b, base+".truth.npy", 10) // int32 row numbers
	for _, ef := range []int{40, 60, 80, 160} {
		b.Run(fmt.Sprintf("ef=%d", ef), func(b *testing.B) {
			y := x.WithEf(ef)
			stop := cputime.Clock(b)
			for i := 0; b.Loop(); i++ {
				if _, err := y.Search(qs[i%len(qs)], 10, nil); err != nil {
					b.Fatal(err)
				}
			}
			stop()
			hit := 0
			for i, q := range qs {
				got, _ := y.Search(q, 10, nil)
				for _, n := range got {
					for _, t := range truth[i] {
						if int(int32(t)) == n.Index {
							hit++
						}
					}
				}
			}
			b.ReportMetric(float64(hit)/float64(10*len(qs)), "recall@10")
		})
	}
	b.Run("exact", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := e.MostSimilarToVector(qs[i%len(qs)], 10, embed.QueryOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// readRows reads the raw 4-byte values of a 2-D .npy array written by
// annbench (float32 queries or int32 row numbers).
func readRows(b *testing.B, path string, cols int) [][]uint32 {
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	hl := int(binary.LittleEndian.Uint16(raw[8:]))
	h := string(raw[10 : 10+hl])
	shape := strings.Fields(strings.NewReplacer("(", " ", ")", " ", ",", " ").Replace(h[strings.Index(h, "("):]))
	rows, _ := strconv.Atoi(shape[0])
	if c, _ := strconv.Atoi(shape[1]); c != cols {
		b.Fatalf("%s: %d columns, want %d", path, c, cols)
	}
	body := raw[10+hl:]
	out := make([][]uint32, rows)
	for i := range out {
		out[i] = make([]uint32, cols)
		for j := range cols {
			out[i][j] = binary.LittleEndian.Uint32(body[4*(i*cols+j):])
		}
	}
	return out
}
