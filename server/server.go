package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/transformer"
)

// Options configures a Server. The zero value serves the vectors alone
// with the default limits.
type Options struct {
	// Name labels the model on the page and in /api/info, such as the
	// vectors file's base name. It is shown, never opened.
	Name string
	// Context is a transformer whose hidden states and attention
	// /api/context shows for a sentence; nil leaves that endpoint out.
	Context *transformer.Model
	// Query holds options applied to every nearest-neighbour search of
	// /api/neighbors and of the default word set of /api/map: the place to
	// plug in an approximate index. Analogies and similarities stay exact.
	Query embed.QueryOptions
	// MaxK caps k, the number of neighbours or answers asked for; 0 means
	// 100.
	MaxK int
	// MaxWords caps the words of one request: a map's word set, the words
	// projected on an axis, the pairs of a similarity request, the
	// direction's pairs; 0 means 500.
	MaxWords int
	// MaxBodyBytes caps a request body; 0 means 64 KiB.
	MaxBodyBytes int64
	// Timeout is each request's deadline, waiting for a free slot
	// included; 0 means 30 seconds.
	Timeout time.Duration
	// MaxInFlight is the number of computations run at once (the others
	// wait); 0 means GOMAXPROCS. Each computation may itself use several
	// goroutines.
	MaxInFlight int
	// ErrorLog receives panics and internal errors; nil means the log
	// package's standard logger.
	ErrorLog *log.Logger
}

// Default limits.
const (
	DefaultMaxK         = 100
	DefaultMaxWords     = 500
	DefaultMaxBodyBytes = 64 << 10
	DefaultTimeout      = 30 * time.Second
	// maxComplete caps the suggestions of one completion request.
	maxComplete = 50
)

// Server answers the API and serves the page. Create it with New; it is
// safe for concurrent use.
type Server struct {
	emb    *embed.Embeddings
	opts   Options
	slots  chan struct{}
	batch  batcher
	routes map[string]route
	comp   *completer
	// professions maps each of Bolukbasi et al.'s professions found in
	// the vocabulary to its entry.
	professions     map[string]bias.Profession
	professionWords []string // in vocabulary order, most frequent first

	// table is the transformer's token embedding, the vocabulary its
	// hidden states are compared with.
	table *embed.Embeddings

	weatOnce sync.Once
	weat     []weatFigure
}

// A route is one path's handlers by method.
type route map[string]func(w http.ResponseWriter, r *http.Request) error

// New returns a server for e. It prepares what every request shares (the
// completion index, the transformer's vocabulary table) once, here.
func New(e *embed.Embeddings, opts Options) (*Server, error) {
	if e == nil || e.Len() == 0 {
		return nil, errors.New("server: no vectors")
	}
	if opts.MaxK == 0 {
		opts.MaxK = DefaultMaxK
	}
	if opts.MaxWords == 0 {
		opts.MaxWords = DefaultMaxWords
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxInFlight == 0 {
		opts.MaxInFlight = runtime.GOMAXPROCS(0)
	}
	if opts.MaxK < 0 || opts.MaxWords < 0 || opts.MaxBodyBytes < 0 || opts.Timeout < 0 || opts.MaxInFlight < 0 {
		return nil, fmt.Errorf("server: negative limit in %+v", opts)
	}
	if opts.ErrorLog == nil {
		opts.ErrorLog = log.Default()
	}
	s := &Server{emb: e, opts: opts, slots: make(chan struct{}, opts.MaxInFlight), comp: newCompleter(e.Vocab())}
	s.professions = map[string]bias.Profession{}
	for _, p := range bias.Professions() {
		if e.Vocab().Contains(p.Word) {
			s.professions[p.Word] = p
		}
	}
	for _, w := range e.Vocab().Words() {
		if _, ok := s.professions[w]; ok {
			s.professionWords = append(s.professionWords, w)
		}
	}
	e.Norms() // computed once here rather than by the first request
	if opts.Context != nil {
		t, err := opts.Context.Embedding()
		if err != nil {
			return nil, fmt.Errorf("server: transformer vocabulary: %w", err)
		}
		s.table = t
	}
	s.routes = map[string]route{
		"/api/info":         {"GET": s.info},
		"/api/complete":     {"GET": s.complete},
		"/api/neighbors":    {"GET": s.neighbors},
		"/api/similarity":   {"GET": s.similarityGet, "POST": s.similarityPost},
		"/api/analogy":      {"GET": s.analogy},
		"/api/map":          {"GET": s.mapGet, "POST": s.mapPost},
		"/api/axis":         {"GET": s.axisGet, "POST": s.axisPost},
		"/api/context":      {"GET": s.context},
		"/api/openapi.json": {"GET": s.openapi},
	}
	return s, nil
}

// ServeHTTP answers one request: an API call under /api/, the page
// otherwise.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.opts.ErrorLog.Printf("server: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			writeError(w, &apiError{http.StatusInternalServerError, "internal error (logged on the server)"})
		}
	}()
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	// Everything the page needs comes from this server: no CDN, no inline
	// script, nothing that could phone elsewhere.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	}
	if !isAPI(r.URL.Path) {
		s.page(w, r)
		return
	}
	rt, ok := s.routes[r.URL.Path]
	if !ok {
		writeError(w, &apiError{http.StatusNotFound, fmt.Sprintf("no such endpoint: %s (see /api/openapi.json)", r.URL.Path)})
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	f, ok := rt[method]
	if !ok {
		allow := ""
		for _, m := range []string{"GET", "POST"} {
			if rt[m] != nil {
				if allow != "" {
					allow += ", "
				}
				allow += m
			}
		}
		h.Set("Allow", allow)
		writeError(w, &apiError{http.StatusMethodNotAllowed, fmt.Sprintf("%s does not accept %s (allowed: %s)", r.URL.Path, r.Method, allow)})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
	defer cancel()
	if err := f(w, r.WithContext(ctx)); err != nil {
		writeError(w, s.classify(ctx, err))
	}
}

func isAPI(path string) bool { return path == "/api" || len(path) >= 5 && path[:5] == "/api/" }

// compute runs f in one of the MaxInFlight slots, waiting for a free one
// until ctx is done.
func (s *Server) compute(ctx context.Context, f func() error) error {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.slots }()
	return f()
}

// Serve accepts connections on ln and serves s until ctx is done, then
// stops accepting, lets the requests in flight finish (for at most the
// request timeout plus a few seconds) and returns nil. Connections get
// read, write and idle timeouts derived from Options.Timeout and request
// headers are capped at 64 KiB.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.opts.Timeout,
		WriteTimeout:      s.opts.Timeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.opts.ErrorLog,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	drain, cancel := context.WithTimeout(context.Background(), s.opts.Timeout+5*time.Second)
	defer cancel()
	if err := hs.Shutdown(drain); err != nil {
		hs.Close()
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
