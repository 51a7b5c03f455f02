package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wordspace/wordspace/embed"
)

// lockedBuffer is a strings.Builder safe to read while the command writes.
type lockedBuffer struct {
	mu sync.Mutex
	sb strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.String()
}

// TestServe runs "wordspace serve" on a free loopback port, asks it a
// question, then stops it: once by cancelling (as Ctrl-C does through
// main) and once with SIGTERM.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	words := []string{"alpha", "beta", "gamma", "delta"}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embed.New(v, 2, []float32{1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9})
	if err != nil {
		t.Fatal(err)
	}
	vec := filepath.Join(dir, "v.txt")
	if err := e.Save(vec, embed.Text); err != nil {
		t.Fatal(err)
	}
	idx := filepath.Join(dir, "v.hnsw")
	if code, _, errOut := runCmd(context.Background(), "index", "-model", vec, "-output", idx, "-quiet"); code != 0 {
		t.Fatal(errOut)
	}
	// The third run answers neighbour searches from the index.
	for _, stop := range []string{"cancel", "SIGTERM", "cancel -index"} {
		ctx, cancel := interruptContext()
		var out, errOut lockedBuffer
		done := make(chan int, 1)
		args := []string{"serve", "-model", vec, "-addr", "127.0.0.1:0"}
		if strings.HasSuffix(stop, "-index") {
			args = append(args, "-index", idx)
		}
		go func() { done <- run(ctx, args, &out, &errOut) }()
		url := waitForURL(t, &out, &errOut)
		resp, err := http.Get(url + "api/neighbors?word=alpha&k=1")
		if err != nil {
			t.Fatal(err)
		}
		var a struct {
			Word      string
			Neighbors []struct{ Word string }
		}
		err = json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if err != nil || a.Word != "alpha" || len(a.Neighbors) != 1 || a.Neighbors[0].Word != "beta" {
			t.Errorf("neighbors of alpha: %+v, %v", a, err)
		}
		resp, err = http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(page), "wordspace") {
			t.Errorf("the page is missing: %.200s", page)
		}
		if stop != "SIGTERM" {
			cancel()
		} else {
			syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
		}
		select {
		case code := <-done:
			if code != 0 || !strings.Contains(out.String(), "stopped") {
				t.Errorf("%s: exit %d, output %q %q", stop, code, out.String(), errOut.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: serve did not stop", stop)
		}
		cancel()
	}
}

var urlLine = regexp.MustCompile(`on (http://127\.0\.0\.1:\d+/) `)

func waitForURL(t *testing.T, out, errOut *lockedBuffer) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlLine.FindStringSubmatch(out.String()); m != nil {
			if !strings.Contains(out.String(), "serving v.txt (4 words × 2 dimensions)") {
				t.Errorf("start line %q", out.String())
			}
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("serve did not start: %q %q", out.String(), errOut.String())
	return ""
}

func TestServeUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve"}, 2, "-model is required"},
		{[]string{"serve", "-model", "x.txt", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"serve", "-model", "x.txt", "-max-k", "0"}, 2, "must be positive"},
		{[]string{"serve", "-model", filepath.Join(t.TempDir(), "missing.txt")}, 1, "missing.txt"},
		{[]string{"serve", "-model", "x.txt", "-ef", "-1"}, 2, "-ef not negative"},
		{[]string{"serve", "-model", vectorFile(t), "-index", filepath.Join(t.TempDir(), "missing.hnsw")}, 1, "missing.hnsw"},
	} {
		code, _, errOut := runCmd(context.Background(), c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}
