// Command serveload is the load test of "wordspace serve": it starts the
// server as a separate process on loopback, runs 64 concurrent clients for
// 30 s of mixed neighbour, analogy and similarity requests, then 10 s in
// which half the clients send malformed and oversized requests, and
// reports throughput, latency percentiles, errors and the server's peak
// RSS against the size of its matrix. It does this on the demo vectors
// and on a 1,000,000 × 300 word2vec binary file that it writes (once, to
// /tmp/wordspace-bench/) when missing.
//
//	go run ./bench/serveload            # both sets, about three minutes (more the first time)
//	go run ./bench/serveload -sets demo -duration 5s -abuse 2s
//
// Every request loop is bounded by time and only ever talks to 127.0.0.1.
// The last line printed starts with SUMMARY.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/demo"
)

func main() {
	sets := flag.String("sets", "demo,big", "comma-separated vector sets: demo, big")
	clients := flag.Int("clients", 64, "concurrent clients")
	duration := flag.Duration("duration", 30*time.Second, "length of the well-formed load phase")
	abuse := flag.Duration("abuse", 10*time.Second, "length of the phase mixing malformed and oversized requests")
	big := flag.String("big", "/tmp/wordspace-bench/serve-1000000x300.bin", "the large vectors `file` (written when missing)")
	rows := flag.Int("rows", 1_000_000, "rows of the large file when it is written")
	dim := flag.Int("dim", 300, "dimension of the large file when it is written")
	flag.Parse()
	if err := run(strings.Split(*sets, ","), *clients, *duration, *abuse, *big, *rows, *dim); err != nil {
		fmt.Fprintln(os.Stderr, "serveload:", err)
		os.Exit(1)
	}
}

func run(sets []string, clients int, duration, abuse time.Duration, bigFile string, rows, dim int) error {
	work, err := os.MkdirTemp("", "serveload")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "wordspace")
	fmt.Println("== building wordspace")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/wordspace").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	var summary []string
	for _, set := range sets {
		var file string
		var words []string
		var n, d int
		switch set {
		case "demo":
			e, err := demo.Vectors(context.Background(), nil)
			if err != nil {
				return err
			}
			file = filepath.Join(work, "demo.bin")
			if err := e.Save(file, embed.Binary); err != nil {
				return err
			}
			// Query words from the 10,000 most frequent, as users would.
			words, n, d = e.Vocab().Words()[:min(10000, e.Len())], e.Len(), e.Dim()
		case "big":
			if n, d, err = ensureBig(bigFile, rows, dim); err != nil {
				return err
			}
			file = bigFile
			width := len(strconv.Itoa(n - 1))
			words = make([]string, n)
			for i := range words {
				words[i] = fmt.Sprintf("w%0*d", width, i)
			}
		default:
			return fmt.Errorf("unknown set %q (demo or big)", set)
		}
		r, err := measure(bin, file, set, words, n, d, clients, duration, abuse)
		if err != nil {
			return fmt.Errorf("%s: %w", set, err)
		}
		summary = append(summary, r)
	}
	fmt.Printf("SUMMARY serve load, %d clients, %v well-formed then %v mixed with malformed/oversized: %s\n",
		clients, duration, abuse, strings.Join(summary, "; "))
	return nil
}

// ensureBig writes a word2vec binary file of rows random Gaussian vectors
// (words w0000000 …) unless path already holds one, and returns its shape.
func ensureBig(path string, rows, dim int) (int, int, error) {
	if f, err := os.Open(path); err == nil {
		var n, d int
		_, err := fmt.Fscanf(bufio.NewReader(f), "%d %d\n", &n, &d)
		f.Close()
		if err == nil {
			return n, d, nil
		}
	}
	fmt.Printf("== writing %s (%d × %d)\n", path, rows, dim)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, 0, err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "%d %d\n", rows, dim)
	rng := rand.New(rand.NewPCG(1, 2))
	width := len(strconv.Itoa(rows - 1))
	buf := make([]byte, 4*dim)
	for i := range rows {
		fmt.Fprintf(w, "w%0*d ", width, i)
		for j := range dim {
			binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(float32(rng.NormFloat64())))
		}
		w.Write(buf)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, 0, err
	}
	if err := f.Close(); err != nil {
		return 0, 0, err
	}
	return rows, dim, os.Rename(tmp, path)
}

var urlLine = regexp.MustCompile(`on (http://[^ ]+/) `)

// measure starts the server on file and runs both phases against it.
func measure(bin, file, set string, words []string, n, d, clients int, duration, abuse time.Duration) (string, error) {
	fmt.Printf("== %s: %d × %d, starting the server\n", set, n, d)
	cmd := exec.Command(bin, "serve", "-model", file, "-addr", "127.0.0.1:0", "-name", set)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	var base string
	for lines.Scan() {
		fmt.Println("   server:", lines.Text())
		if m := urlLine.FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		return "", fmt.Errorf("the server did not start")
	}
	go io.Copy(io.Discard, stdout)
	startup := time.Since(t0)
	rssStart := peakRSS(cmd.Process.Pid)

	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: 0}
	hc := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	fmt.Printf("   phase 1: %d clients, %v of neighbour/analogy/similarity requests\n", clients, duration)
	good := runPhase(hc, base, words, clients, duration, false)
	fmt.Println("  ", good.report())
	fmt.Printf("   phase 2: %d clients, %v, half of them sending malformed and oversized requests\n", clients, abuse)
	mixed := runPhase(hc, base, words, clients, abuse, true)
	fmt.Println("  ", mixed.report())
	fmt.Printf("   malformed: %d sent, statuses %v, %d refused at the connection (oversized bodies)\n",
		mixed.bad.sent, mixed.bad.statusList(), mixed.bad.transport)

	alive := true
	if resp, err := hc.Get(base + "api/info"); err != nil || resp.StatusCode != 200 {
		alive = false
	} else {
		resp.Body.Close()
	}
	rss := peakRSS(cmd.Process.Pid)
	// Graceful stop: SIGTERM, then the process must exit 0.
	cmd.Process.Signal(os.Interrupt)
	exitErr := cmd.Wait()
	matrix := float64(n) * float64(d) * 4
	fmt.Printf("   startup %.1fs (RSS %.0f MB), peak RSS %.0f MB = %.2f× the %.0f MB matrix; alive after abuse: %v; exit: %v\n",
		startup.Seconds(), rssStart/1e6, rss/1e6, rss/matrix, matrix/1e6, alive, exitErr)
	problems := good.errors + mixed.good.errors + mixed.bad.serverErrors()
	verdict := "ok"
	if problems > 0 || !alive || exitErr != nil {
		verdict = "FAILED"
	}
	return fmt.Sprintf("%s %d×%d: %.0f req/s, p50 %s, p99 %s, %d errors; under abuse %d/%d well-formed answered (p99 %s), %d malformed got 4xx, %d 5xx; peak RSS %.2f× matrix (%.0f MB); %s",
		set, n, d, good.good.rate(good.dur), ms(good.good.pct(50)), ms(good.good.pct(99)), good.good.errors,
		mixed.good.ok, mixed.good.sent, ms(mixed.good.pct(99)), mixed.bad.count4xx(), mixed.bad.serverErrors(),
		rss/matrix, rss/1e6, verdict), nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// peakRSS reads the process's peak resident set size (VmHWM) in bytes.
func peakRSS(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return math.NaN()
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb * 1024
		}
	}
	return math.NaN()
}

// stats counts one kind of request.
type stats struct {
	sent, ok, errors, transport int
	status                      map[int]int
	lat                         []time.Duration
}

func (s *stats) add(o *stats) {
	s.sent += o.sent
	s.ok += o.ok
	s.errors += o.errors
	s.transport += o.transport
	if s.status == nil {
		s.status = map[int]int{}
	}
	for k, v := range o.status {
		s.status[k] += v
	}
	s.lat = append(s.lat, o.lat...)
}

func (s *stats) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	slices.Sort(s.lat)
	return s.lat[min(len(s.lat)-1, int(math.Ceil(p/100*float64(len(s.lat))))-1)]
}

func (s *stats) rate(d time.Duration) float64 { return float64(s.ok) / d.Seconds() }

func (s *stats) count4xx() int {
	n := 0
	for k, v := range s.status {
		if k >= 400 && k < 500 {
			n += v
		}
	}
	return n
}

func (s *stats) serverErrors() int {
	n := 0
	for k, v := range s.status {
		if k >= 500 {
			n += v
		}
	}
	return n
}

func (s *stats) statusList() string {
	var keys []int
	for k := range s.status {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", k, s.status[k]))
	}
	return strings.Join(parts, " ")
}

type phase struct {
	good, bad stats
	byKind    map[string]*stats
	errors    int // well-formed requests that failed
	dur       time.Duration
}

func (p *phase) report() string {
	var kinds []string
	for k, s := range p.byKind {
		kinds = append(kinds, fmt.Sprintf("%s %d (p50 %s, p99 %s)", k, s.ok, ms(s.pct(50)), ms(s.pct(99))))
	}
	slices.Sort(kinds)
	return fmt.Sprintf("well-formed: %d answered in %v = %.0f req/s, p50 %s, p99 %s, %d errors; %s",
		p.good.ok, p.dur.Round(time.Millisecond), p.good.rate(p.dur), ms(p.good.pct(50)), ms(p.good.pct(99)), p.good.errors, strings.Join(kinds, ", "))
}

// runPhase runs clients goroutines for d. With abuse, odd-numbered clients
// send only malformed or oversized requests.
func runPhase(hc *http.Client, base string, words []string, clients int, d time.Duration, abuse bool) *phase {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	p := &phase{byKind: map[string]*stats{}}
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 99))
			local := map[string]*stats{}
			var bad stats
			bad.status = map[int]int{}
			for ctx.Err() == nil {
				if abuse && c%2 == 1 {
					badRequest(hc, base, rng, &bad)
					continue
				}
				kind, req := wellFormed(base, words, rng)
				st := local[kind]
				if st == nil {
					st = &stats{status: map[int]int{}}
					local[kind] = st
				}
				t := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					if ctx.Err() != nil {
						break // the phase ended while waiting: not counted
					}
					st.sent++
					st.errors++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				st.sent++
				st.status[resp.StatusCode]++
				if resp.StatusCode == 200 {
					st.ok++
					st.lat = append(st.lat, time.Since(t))
				} else {
					st.errors++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for k, s := range local {
				if p.byKind[k] == nil {
					p.byKind[k] = &stats{status: map[int]int{}}
				}
				p.byKind[k].add(s)
				p.good.add(s)
			}
			p.bad.add(&bad)
		}()
	}
	wg.Wait()
	p.dur = time.Since(start)
	p.errors = p.good.errors
	return p
}

// wellFormed returns a random valid request: half neighbour queries, a
// quarter analogies, a quarter similarities.
func wellFormed(base string, words []string, rng *rand.Rand) (string, *http.Request) {
	w := func() string { return words[rng.IntN(len(words))] }
	var kind, target string
	switch x := rng.IntN(4); {
	case x < 2:
		kind, target = "neighbors", "api/neighbors?"+url.Values{"word": {w()}, "k": {"10"}}.Encode()
	case x == 2:
		a, b, c := w(), w(), w()
		for b == a {
			b = w()
		}
		for c == a || c == b {
			c = w()
		}
		kind, target = "analogy", "api/analogy?"+url.Values{"a": {a}, "b": {b}, "c": {c}, "k": {"5"}}.Encode()
	default:
		kind, target = "similarity", "api/similarity?"+url.Values{"a": {w()}, "b": {w()}}.Encode()
	}
	req, _ := http.NewRequest("GET", base+target, nil)
	return kind, req
}

// badRequest sends one malformed or oversized request and records what
// came back; a refused connection (the server closing on an oversized
// body) is counted as such, not as an error.
func badRequest(hc *http.Client, base string, rng *rand.Rand, st *stats) {
	var req *http.Request
	switch rng.IntN(8) {
	case 0: // k out of range
		req, _ = http.NewRequest("GET", base+"api/neighbors?word=w1&k=100000", nil)
	case 1: // unknown parameter
		req, _ = http.NewRequest("GET", base+"api/analogy?a=x&b=y&c=z&frobnicate=1", nil)
	case 2: // malformed JSON
		req, _ = http.NewRequest("POST", base+"api/similarity", strings.NewReader(`{"pairs": [["a", "b"`))
	case 3: // an oversized body: valid JSON so far, 1 MiB against a 64 KiB limit
		body := append([]byte(`{"words": ["`), bytes.Repeat([]byte("a"), 1<<20)...)
		req, _ = http.NewRequest("POST", base+"api/map", bytes.NewReader(append(body, `"]}`...)))
	case 4: // an oversized query string (100 KB of words)
		req, _ = http.NewRequest("GET", base+"api/map?words="+strings.Repeat("aaaa,", 20000), nil)
	case 5: // a word set over the cap (2,000 distinct words)
		var b strings.Builder
		b.WriteString(`{"words": [`)
		for i := range 2000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"w%d"`, i)
		}
		b.WriteString(`]}`)
		req, _ = http.NewRequest("POST", base+"api/map", strings.NewReader(b.String()))
	case 6: // wrong method and unknown path
		req, _ = http.NewRequest("DELETE", base+"api/nothing", nil)
	case 7: // binary garbage as JSON
		garbage := make([]byte, 4096)
		for i := range garbage {
			garbage[i] = byte(rng.IntN(256))
		}
		req, _ = http.NewRequest("POST", base+"api/axis", bytes.NewReader(garbage))
	}
	st.sent++
	resp, err := hc.Do(req)
	if err != nil {
		st.transport++
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	st.status[resp.StatusCode]++
}
