package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/wordspace/wordspace/embed"
)

// apiError is an answer other than 200: a status and a message for the
// client.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// unknownWord is the 404 for a word the vocabulary lacks, with a hint when
// another spelling is there.
func (s *Server) unknownWord(w string) error {
	msg := fmt.Sprintf("unknown word: %q is not in the vocabulary", w)
	if lw := strings.ToLower(w); lw != w && s.emb.Vocab().Contains(lw) {
		msg += fmt.Sprintf(" (%q is)", lw)
	}
	return &apiError{http.StatusNotFound, msg}
}

// classify turns a handler's error into the answer: its own status for an
// apiError, 404 for an unknown word, 503 for a missed deadline, 500 (and a
// log line) for anything else.
func (s *Server) classify(ctx context.Context, err error) *apiError {
	var ae *apiError
	var uw *embed.UnknownWordError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &uw):
		return s.unknownWord(uw.Word).(*apiError)
	case errors.Is(err, embed.ErrUnknownWord):
		return &apiError{http.StatusNotFound, err.Error()}
	case errors.As(err, &mb):
		return &apiError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", mb.Limit)}
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return &apiError{http.StatusServiceUnavailable, fmt.Sprintf("timed out after %v (server busy or request too large)", s.opts.Timeout)}
	case errors.Is(err, context.Canceled):
		return &apiError{http.StatusServiceUnavailable, "request cancelled"}
	}
	s.opts.ErrorLog.Printf("server: %v", err)
	return &apiError{http.StatusInternalServerError, err.Error()}
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, map[string]string{"error": e.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		fmt.Fprintf(&buf, "{\"error\":%q}\n", "cannot encode the answer: "+err.Error())
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ok writes a 200 answer.
func ok(w http.ResponseWriter, v any) error {
	writeJSON(w, http.StatusOK, v)
	return nil
}

// score is a float32 written with the fewest digits that read back to the
// same float32 (0.7312 rather than 0.7311999797821045).
type score float32

func (f score) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 32), nil
}

// query is a request's URL parameters, checked against the names an
// endpoint accepts.
type query struct{ v url.Values }

func params(r *http.Request, allowed ...string) (query, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return query{}, badRequest("malformed query string: %v", err)
	}
	for name := range v {
		known := false
		for _, a := range allowed {
			known = known || a == name
		}
		if !known {
			return query{}, badRequest("unknown parameter %q (accepted: %s)", name, strings.Join(allowed, ", "))
		}
	}
	return query{v}, nil
}

// str returns the single value of name, or "" when absent.
func (q query) str(name string) (string, error) {
	vs := q.v[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", badRequest("parameter %q given %d times", name, len(vs))
}

// word returns the required word parameter name.
func (q query) word(name string) (string, error) {
	w, err := q.str(name)
	if err != nil {
		return "", err
	}
	if w == "" {
		return "", badRequest("parameter %q (a word) is required", name)
	}
	return w, nil
}

// integer returns name as an integer in [lo, hi], or def when absent.
func (q query) integer(name string, def, lo, hi int) (int, error) {
	s, err := q.str(name)
	if err != nil || s == "" {
		return def, err
	}
	return checkInt(name, s, lo, hi)
}

func checkInt(name, s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badRequest("%s: %q is not an integer", name, s)
	}
	if n < lo || n > hi {
		return 0, badRequest("%s must be between %d and %d, not %d", name, lo, hi, n)
	}
	return n, nil
}

// number returns name as a finite float in [lo, hi], or def when absent.
func (q query) number(name string, def, lo, hi float64) (float64, error) {
	s, err := q.str(name)
	if err != nil || s == "" {
		return def, err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, badRequest("%s: %q is not a number", name, s)
	}
	if f < lo || f > hi {
		return 0, badRequest("%s must be between %g and %g, not %g", name, lo, hi, f)
	}
	return f, nil
}

// boolean returns name as true or false, or false when absent.
func (q query) boolean(name string) (bool, error) {
	s, err := q.str(name)
	if err != nil || s == "" {
		return false, err
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, badRequest("%s: %q is not true or false", name, s)
	}
	return b, nil
}

// list returns the words of name: the parameter may be repeated and each
// value may hold several words separated by commas or white space.
func (q query) list(name string) []string {
	var out []string
	for _, v := range q.v[name] {
		out = append(out, splitWords(v)...)
	}
	return out
}

func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// decode reads a JSON body into v: one object, no unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return badRequest("empty body: a JSON object is required")
		}
		return badRequest("malformed JSON body: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return badRequest("malformed JSON body: more than one JSON value")
	}
	return nil
}

// index returns the row of word, or the 404 naming it.
func (s *Server) index(word string) (int, error) {
	i, ok := s.emb.Vocab().Index(word)
	if !ok {
		return 0, s.unknownWord(word)
	}
	return i, nil
}

// known checks that every word is in the vocabulary and that there are
// at most MaxWords of them.
func (s *Server) known(what string, words []string) error {
	if len(words) > s.opts.MaxWords {
		return badRequest("%d %s: at most %d are allowed", len(words), what, s.opts.MaxWords)
	}
	for _, w := range words {
		if w == "" {
			return badRequest("empty word in %s", what)
		}
		if _, err := s.index(w); err != nil {
			return err
		}
	}
	return nil
}
