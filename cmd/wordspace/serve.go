package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/wordspace/wordspace/server"
	"github.com/wordspace/wordspace/transformer"
)

func serveCommand() command {
	return command{
		name:    "serve",
		summary: "explore vectors in the browser and serve them as a JSON API",
		run:     runServe,
	}
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", `-model FILE [-transformer T] [-addr 127.0.0.1:8080] [flags]

Loads the vectors once and serves the explorer page at / and the JSON API
under /api/ (described at /api/openapi.json) until interrupted (Ctrl-C,
SIGTERM or SIGHUP), then lets the requests in flight finish and exits with
status 0: a signal is how a server is meant to stop. Read-only: no request
can name a file. Binds to loopback unless -addr says otherwise.

Unless GOMEMLIMIT is set, the Go runtime's soft memory limit is set to the
memory in use after loading plus a tenth (at least 128 MiB), so that
garbage never grows in proportion to a large matrix.`, stderr)
	lf := addLoadFlags(fs, modelHelp)
	ctxModel := fs.String("transformer", "", "transformer `file` written by context train (or a .npz) for the attention view")
	fs.alias("transformer", "context")
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` (host:port; port 0 picks a free one)")
	name := fs.String("name", "", "model name shown on the page (default: the file's base name)")
	maxK := fs.Int("max-k", server.DefaultMaxK, "largest k a request may ask for")
	maxWords := fs.Int("max-words", server.DefaultMaxWords, "most words in one map, axis or similarity request")
	maxBody := fs.Int64("max-body", server.DefaultMaxBodyBytes, "largest request body in `bytes`")
	timeout := fs.Duration("timeout", server.DefaultTimeout, "deadline of each request")
	inFlight := fs.Int("max-in-flight", 0, "computations run at once (default: GOMAXPROCS)")
	index := fs.String("index", "", "answer neighbour searches from the approximate index in `file` (built by \"wordspace index\" from the same -model)")
	ef := fs.Int("ef", 0, "with -index: candidates a search keeps (0: the index's default); more is slower, nearer to exact")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := fs.noArgs(); err != nil {
		return err
	}
	if _, err := lf.check(); err != nil {
		return err
	}
	if *maxK <= 0 || *maxWords <= 0 || *maxBody <= 0 || *timeout <= 0 || *inFlight < 0 || *ef < 0 {
		return usagef(fs.cmd, "-max-k, -max-words, -max-body and -timeout must be positive, -max-in-flight and -ef not negative")
	}
	t0 := time.Now()
	e, err := lf.load()
	if err != nil {
		return err
	}
	opts := server.Options{Name: *name, MaxK: *maxK, MaxWords: *maxWords, MaxBodyBytes: *maxBody,
		Timeout: *timeout, MaxInFlight: *inFlight}
	if opts.Name == "" {
		opts.Name = filepath.Base(*lf.model)
	}
	if *ctxModel != "" {
		if opts.Context, err = loadTransformer(*ctxModel); err != nil {
			return err
		}
	}
	if *index != "" {
		if opts.Query.Index, err = loadIndex(*index, *ef, e); err != nil {
			return err
		}
	}
	s, err := server.New(e, opts)
	if err != nil {
		return err
	}
	defer setMemoryLimit()()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	host := ln.Addr().String()
	if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsUnspecified() {
		host = net.JoinHostPort("localhost", fmt.Sprint(a.Port))
	}
	extra := ""
	if opts.Context != nil {
		extra = fmt.Sprintf(" and a %d-layer transformer", opts.Context.Config().Layers)
	}
	fmt.Fprintf(stdout, "serving %s (%d words × %d dimensions)%s, loaded in %.1fs, on http://%s/ (Ctrl-C to stop)\n",
		opts.Name, e.Len(), e.Dim(), extra, time.Since(t0).Seconds(), host)
	if err := s.Serve(ctx, ln); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// loadTransformer reads a model saved by context train, or its .npz export.
func loadTransformer(path string) (*transformer.Model, error) {
	if strings.HasSuffix(path, ".npz") {
		return transformer.LoadNPZ(path)
	}
	return transformer.Load(path)
}

// setMemoryLimit caps the heap at what is in use now plus a tenth (at
// least 128 MiB) unless GOMEMLIMIT says otherwise, and returns a function
// that restores the previous limit. With the default GOGC alone, the
// collector would let garbage grow as large as the live heap, which for a
// 1.2 GB matrix doubles the process's memory.
func setMemoryLimit() (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	used := ms.Sys - ms.HeapReleased
	old := debug.SetMemoryLimit(int64(used + max(used/10, 128<<20)))
	return func() { debug.SetMemoryLimit(old) }
}
