// Command annbench measures package ann for bench/ann-vs-hnswlib.sh:
//
//	annbench gen -kind mixture|uniform -n N -dim D -out X.npy
//	    writes N seeded random vectors (X.npy and X.vocab) and held-out
//	    queries from the same distribution (X.queries.npy)
//	annbench words -model M -out X.npy
//	    writes M's vectors as X.npy and X.vocab and, as queries, the
//	    vectors of random words of M (X.queries.npy)
//	annbench truth -data X.npy
//	    writes the exact 10 nearest rows of every query (X.truth.npy),
//	    by cosine similarity
//	annbench run -data X.npy -m M -efc EFC -threads T -efs 10,20,...
//	    builds an index and searches every query at each ef; prints one
//	    line "RESULT {json}"
//
// bench/ann_hnswlib.py reads the same files and prints the same fields.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wordspace/wordspace/ann"
	"github.com/wordspace/wordspace/embed"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: annbench gen|words|truth|run [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "words":
		err = words(os.Args[2:])
	case "truth":
		err = truth(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "annbench:", err)
		os.Exit(1)
	}
}

func base(npy string) string { return strings.TrimSuffix(npy, ".npy") }

// gen writes a seeded Gaussian mixture (or uniform vectors) and queries
// drawn from the same distribution.
func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	kind := fs.String("kind", "mixture", "mixture: Gaussian clusters; uniform: uniform in [-1, 1]^dim")
	n := fs.Int("n", 1000000, "vectors")
	dim := fs.Int("dim", 300, "dimension")
	clusters := fs.Int("clusters", 1000, "mixture components")
	spread := fs.Float64("spread", 0.5, "standard deviation around a centre (centres are standard normal)")
	nq := fs.Int("queries", 1000, "held-out query vectors")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "output .npy")
	fs.Parse(args)
	rng := rand.New(rand.NewPCG(*seed, 0x6d6978))
	centres := make([]float64, *clusters**dim)
	for i := range centres {
		centres[i] = rng.NormFloat64()
	}
	draw := func(dst []float32) {
		if *kind == "uniform" {
			for j := range dst {
				dst[j] = float32(2*rng.Float64() - 1)
			}
			return
		}
		c := centres[rng.IntN(*clusters)**dim:]
		for j := range dst {
			dst[j] = float32(c[j] + *spread*rng.NormFloat64())
		}
	}
	data := make([]float32, *n**dim)
	for i := range *n {
		draw(data[i**dim : (i+1)**dim])
	}
	q := make([]float32, *nq**dim)
	for i := range *nq {
		draw(q[i**dim : (i+1)**dim])
	}
	names := make([]string, *n)
	for i := range names {
		names[i] = "v" + strconv.Itoa(i)
	}
	v, err := embed.NewVocab(names, nil)
	if err != nil {
		return err
	}
	e, err := embed.New(v, *dim, data)
	if err != nil {
		return err
	}
	if err := e.Save(*out, embed.NPY); err != nil {
		return err
	}
	return writeNPY(base(*out)+".queries.npy", "<f4", *nq, *dim, func(w io.Writer) error { return binary.Write(w, binary.LittleEndian, q) })
}

// words writes a model's vectors as .npy and the vectors of random words
// as queries.
func words(args []string) error {
	fs := flag.NewFlagSet("words", flag.ExitOnError)
	model := fs.String("model", "", "vector file")
	nq := fs.Int("queries", 1000, "query words")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "output .npy")
	fs.Parse(args)
	e, err := embed.Load(*model, embed.LoadOptions{})
	if err != nil {
		return err
	}
	if err := e.Save(*out, embed.NPY); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, 0x776f7264))
	q := make([]float32, 0, *nq*e.Dim())
	for range *nq {
		q = append(q, e.Row(rng.IntN(e.Len()))...)
	}
	return writeNPY(base(*out)+".queries.npy", "<f4", *nq, e.Dim(), func(w io.Writer) error { return binary.Write(w, binary.LittleEndian, q) })
}

// truth writes the exact 10 nearest rows of every query.
func truth(args []string) error {
	fs := flag.NewFlagSet("truth", flag.ExitOnError)
	data := fs.String("data", "", "the .npy written by gen or words")
	k := fs.Int("k", 10, "neighbours")
	fs.Parse(args)
	e, err := embed.Load(*data, embed.LoadOptions{})
	if err != nil {
		return err
	}
	q, nq, err := readQueries(base(*data)+".queries.npy", e.Dim())
	if err != nil {
		return err
	}
	res, err := e.Nearest(q, *k, embed.QueryOptions{})
	if err != nil {
		return err
	}
	ids := make([]int32, 0, nq**k)
	for _, r := range res {
		for _, n := range r {
			ids = append(ids, int32(n.Index))
		}
	}
	return writeNPY(base(*data)+".truth.npy", "<i4", nq, *k, func(w io.Writer) error { return binary.Write(w, binary.LittleEndian, ids) })
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	data := fs.String("data", "", "the .npy written by gen or words")
	m := fs.Int("m", 16, "M")
	efc := fs.Int("efc", 200, "efConstruction")
	threads := fs.Int("threads", 1, "threads for building and searching")
	efList := fs.String("efs", "10,20,40,80,160", "comma-separated ef values to search with")
	k := fs.Int("k", 10, "neighbours")
	repeat := fs.Int("repeat", 3, "searches of all queries at each ef (the speed reported is the mean, with the spread)")
	save := fs.String("save", "", "also save the index to `file` and report its size")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the searches to `file`")
	fs.Parse(args)
	out := map[string]any{"tool": "wordspace", "data": *data, "m": *m, "efc": *efc, "threads": *threads}
	e, err := embed.Load(*data, embed.LoadOptions{})
	if err != nil {
		return err
	}
	q, nq, err := readQueries(base(*data)+".queries.npy", e.Dim())
	if err != nil {
		return err
	}
	want, err := readTruth(base(*data)+".truth.npy", nq, *k)
	if err != nil {
		return err
	}
	e.Norms() // computed with the vectors, not charged to the index
	runtime.GC()
	debug.FreeOSMemory()
	rssData := rssMB()
	out["n"], out["dim"], out["rss_data_mb"] = e.Len(), e.Dim(), rssData

	t0 := time.Now()
	cpu0 := cpuSeconds()
	idx, err := ann.Build(context.Background(), e, ann.BuildOptions{M: *m, EfConstruction: *efc, Threads: *threads, Seed: 1})
	if err != nil {
		return err
	}
	out["build_s"] = time.Since(t0).Seconds()
	out["build_cpu_s"] = cpuSeconds() - cpu0
	runtime.GC()
	debug.FreeOSMemory()
	out["rss_index_mb"] = rssMB() - rssData
	out["peak_rss_mb"] = peakRSSMB()
	if *save != "" {
		if err := idx.Save(*save); err != nil {
			return err
		}
		if st, err := os.Stat(*save); err == nil {
			out["file_mb"] = float64(st.Size()) / (1 << 20)
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var curve []map[string]any
	for _, s := range strings.Split(*efList, ",") {
		ef, err := strconv.Atoi(s)
		if err != nil {
			return err
		}
		x := idx.WithEf(ef)
		var rec float64
		var qps, cpuQPS []float64
		for range *repeat {
			got := make([][]embed.Neighbor, nq)
			t0, c0 := time.Now(), cpuSeconds()
			err := parallel(nq, *threads, func(i int) error {
				var err error
				got[i], err = x.Search(q[i*e.Dim():(i+1)*e.Dim()], *k, nil)
				return err
			})
			if err != nil {
				return err
			}
			qps = append(qps, float64(nq)/time.Since(t0).Seconds())
			cpuQPS = append(cpuQPS, float64(nq)/(cpuSeconds()-c0))
			rec = recall(got, want, *k)
		}
		mean, sd := meanSD(qps)
		cpuMean, _ := meanSD(cpuQPS)
		curve = append(curve, map[string]any{"ef": ef, "recall": rec, "qps": mean, "qps_sd": sd, "cpu_qps": cpuMean})
	}
	out["curve"] = curve
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Printf("RESULT %s\n", b)
	return nil
}

func parallel(n, threads int, fn func(i int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, threads)
	for t := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := t; i < n; i += threads {
				if err := fn(i); err != nil {
					errs[t] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func recall(got [][]embed.Neighbor, want [][]int32, k int) float64 {
	hit := 0
	for i, g := range got {
		set := map[int32]bool{}
		for _, w := range want[i][:k] {
			set[w] = true
		}
		for _, n := range g {
			if set[int32(n.Index)] {
				hit++
			}
		}
	}
	return float64(hit) / float64(len(got)*k)
}

func meanSD(x []float64) (float64, float64) {
	var s, ss float64
	for _, v := range x {
		s += v
	}
	mean := s / float64(len(x))
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	if len(x) < 2 {
		return mean, 0
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}

// writeNPY writes a 2-D C-order array of type descr (<f4 or <i4).
func writeNPY(path, descr string, rows, cols int, body func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, rows, cols)
	pad := 64 - (10+len(h)+1)%64
	h += strings.Repeat(" ", pad) + "\n"
	w.WriteString("\x93NUMPY\x01\x00")
	binary.Write(w, binary.LittleEndian, uint16(len(h)))
	w.WriteString(h)
	if err := body(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readNPY reads a 2-D array written by writeNPY: its shape and body.
func readNPY(path, descr string) (rows, cols int, body []byte, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, nil, err
	}
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return 0, 0, nil, fmt.Errorf("%s: not an npy file", path)
	}
	hl := int(binary.LittleEndian.Uint16(b[8:]))
	h := string(b[10 : 10+hl])
	if !strings.Contains(h, "'"+descr+"'") || strings.Contains(h, "True") {
		return 0, 0, nil, fmt.Errorf("%s: want a C-order %s array, header %s", path, descr, h)
	}
	shape := h[strings.Index(h, "(")+1 : strings.Index(h, ")")]
	if _, err := fmt.Sscanf(strings.ReplaceAll(shape, ",", " "), "%d %d", &rows, &cols); err != nil {
		return 0, 0, nil, fmt.Errorf("%s: shape %q: %v", path, shape, err)
	}
	body = b[10+hl:]
	if len(body) != 4*rows*cols {
		return 0, 0, nil, fmt.Errorf("%s: %d bytes for %d × %d", path, len(body), rows, cols)
	}
	return rows, cols, body, nil
}

func readQueries(path string, dim int) ([]float32, int, error) {
	rows, cols, body, err := readNPY(path, "<f4")
	if err != nil {
		return nil, 0, err
	}
	if cols != dim {
		return nil, 0, fmt.Errorf("%s: dimension %d, want %d", path, cols, dim)
	}
	q := make([]float32, rows*cols)
	binary.Read(bytes.NewReader(body), binary.LittleEndian, q)
	return q, rows, nil
}

func readTruth(path string, nq, k int) ([][]int32, error) {
	rows, cols, body, err := readNPY(path, "<i4")
	if err != nil {
		return nil, err
	}
	if rows != nq || cols < k {
		return nil, fmt.Errorf("%s: %d × %d, want %d × %d", path, rows, cols, nq, k)
	}
	ids := make([]int32, rows*cols)
	binary.Read(bytes.NewReader(body), binary.LittleEndian, ids)
	out := make([][]int32, rows)
	for i := range out {
		out[i] = ids[i*cols : (i+1)*cols]
	}
	return out, nil
}

// rssMB and peakRSSMB read the current and peak resident set sizes in
// MiB from /proc/self/status (Linux), or -1.
func rssMB() float64     { return procStatus("VmRSS:") }
func peakRSSMB() float64 { return procStatus("VmHWM:") }

func procStatus(key string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			kb, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return -1
}

// cpuSeconds returns the processor time the process has used, user and
// system: on a busy machine, a fairer measure of work than the wall clock.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
