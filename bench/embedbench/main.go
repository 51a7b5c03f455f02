// Command embedbench times embed on a large word2vec binary file, for
// bench/load-vs-gensim.sh: loading, MostSimilar and batched Nearest.
// It prints one line "RESULT {json}".
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/wordspace/wordspace/embed"
)

func main() {
	file := flag.String("file", "", "word2vec binary `file`")
	loadOnly := flag.Bool("load-only", false, "only load the file (for peak memory of loading)")
	queries := flag.Int("queries", 1000, "number of query vectors for Nearest")
	k := flag.Int("k", 10, "neighbours per query")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to `file`")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(*file, *loadOnly, *queries, *k); err != nil {
		fmt.Fprintln(os.Stderr, "embedbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(file string, loadOnly bool, nq, k int) error {
	out := map[string]any{"file": file}
	t0 := time.Now()
	e, err := embed.Load(file, embed.LoadOptions{})
	if err != nil {
		return err
	}
	out["load_binary_s"] = time.Since(t0).Seconds()
	out["rows"], out["dim"] = e.Len(), e.Dim()
	out["maxrss_after_load_mb"] = peakRSSMB()
	out["matrix_mb"] = float64(len(e.Data())) * 4 / (1 << 20)
	if !loadOnly {
		t0 = time.Now()
		res, err := e.MostSimilar([]string{e.Vocab().Word(123)}, nil, k, embed.QueryOptions{})
		if err != nil {
			return err
		}
		out["first_most_similar_s"] = time.Since(t0).Seconds()
		out["example"] = res[:3]
		t0 = time.Now()
		if _, err := e.MostSimilar([]string{e.Vocab().Word(4567)}, nil, k, embed.QueryOptions{}); err != nil {
			return err
		}
		out["second_most_similar_s"] = time.Since(t0).Seconds()
		rng := rand.New(rand.NewPCG(1, 2))
		q := make([]float32, nq*e.Dim())
		for i := range q {
			q[i] = float32(rng.NormFloat64())
		}
		t0 = time.Now()
		if _, err := e.Nearest(q, k, embed.QueryOptions{}); err != nil {
			return err
		}
		out["nearest_queries"] = nq
		out["nearest_s"] = time.Since(t0).Seconds()
		out["maxrss_mb"] = peakRSSMB()
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Printf("RESULT %s\n", b)
	return nil
}

// peakRSSMB returns the process's peak resident set size in MiB, from
// /proc/self/status (Linux), or -1.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			kb, err := strconv.ParseFloat(string(bytes.Fields(rest)[0]), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return -1
}
