package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/kljensen/snowball"

	"github.com/wordspace/wordspace/embed"
)

// MaxSentenceTokens is the longest sentence a Corpus hands out. Longer
// lines are split into consecutive chunks of this many tokens; nothing is
// dropped.
const MaxSentenceTokens = 10000

// MaxTokenBytes is the longest token a Corpus hands out: a longer run of
// bytes without white space is cut to this length (a few bytes less if
// that would split a UTF-8 character) and counted (see TruncatedTokens).
// It is the longest word the vector readers accept (embed.MaxWordLen), so
// that every word a trainer learns from a Corpus can be saved and read
// back, while tokens that may be real words (long URLs, chemical names,
// compounds; the C tool cuts at 100 bytes) pass unchanged. It also bounds
// the reader's memory: a corpus that is one endless token (/dev/zero, a
// gzip bomb of zero bytes) is read with constant memory.
const MaxTokenBytes = embed.MaxWordLen

// Source is a re-readable stream of sentences: what trainers read. Every
// call to Sentences reads the whole text again from the start.
type Source interface {
	// Name describes where the text comes from, for messages.
	Name() string
	// Sentences calls fn for every non-empty sentence of one full pass, in
	// order, and stops at the first error from fn, from reading, or from
	// ctx, which it returns. The slice passed to fn may be reused after fn
	// returns; the strings in it may be kept.
	Sentences(ctx context.Context, fn func(tokens []string) error) error
}

// TokenOptions says how a line of text becomes tokens. Tokens are always
// separated by white space; the options are applied to each token in the
// order listed. The zero value uses tokens exactly as they appear.
type TokenOptions struct {
	Lower      bool   // lower-case every token
	StripPunct bool   // remove punctuation and symbols; a token left empty is dropped
	Stem       string // snowball stemmer language ("english", "french", ...); "" for none
}

// Validate reports whether the options can be used: the stemmer language
// must be one snowball knows.
func (o TokenOptions) Validate() error {
	if o.Stem == "" {
		return nil
	}
	if _, err := snowball.Stem("testing", o.Stem, false); err != nil {
		return fmt.Errorf("corpus: stemmer: %w", err)
	}
	return nil
}

// plain reports whether tokens are used exactly as they appear in the
// text, so that readers may look raw bytes up without building strings.
func (o TokenOptions) plain() bool { return !o.Lower && !o.StripPunct && o.Stem == "" }

// Corpus is the Source this package makes: text read again for every
// pass, or a derived stream made with FromFunc. It is safe for concurrent
// use.
type Corpus struct {
	name        string
	each        func(ctx context.Context, fn func(tokens []string) error) error
	text        *textReader // nil for a derived stream
	fingerprint func() (string, error)
}

// New returns a corpus that calls open for every pass and tokenises what
// it reads as opts says. The stream may be gzip-compressed; that is
// detected by its magic bytes.
func New(name string, open func() (io.ReadCloser, error), opts TokenOptions) (*Corpus, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	r := &textReader{open: open, name: name, opts: opts}
	return &Corpus{name: name, each: r.sentences, text: r}, nil
}

// Open returns a corpus reading the given files and directories (every
// regular file below a directory, in lexical order), each plain or
// gzip-compressed, one after the other. A sentence never spans two files.
// A file whose start holds binary data is refused with an error matching
// ErrNotText.
func Open(paths []string, opts TokenOptions) (*Corpus, error) {
	if len(paths) == 0 {
		return nil, errors.New("corpus: no files given")
	}
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		var sub []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				sub = append(sub, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		sort.Strings(sub)
		files = append(files, sub...)
	}
	for _, f := range files {
		if err := checkText(f); err != nil {
			return nil, err
		}
	}
	open := func() (io.ReadCloser, error) { return newMultiFile(files, len(paths) > 1 || len(files) > 1), nil }
	c, err := New(strings.Join(paths, ","), open, opts)
	if err != nil {
		return nil, err
	}
	c.fingerprint = func() (string, error) { return filesFingerprint(files, opts) }
	return c, nil
}

// FromString returns a corpus of text, one sentence a line, with tokens
// used as they appear. It is meant for tests and examples.
func FromString(text string) *Corpus {
	c, _ := New("text", func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(text)), nil
	}, TokenOptions{}) // the zero options are always valid
	c.fingerprint = dataFingerprint([]byte(text), TokenOptions{})
	return c
}

// FromReader reads r to the end and returns a corpus of what it held
// (gzip-compressed or not), tokenised as opts says. The text is kept in
// memory: for large corpora use Open or New, which read a file again for
// every pass.
func FromReader(name string, r io.Reader, opts TokenOptions) (*Corpus, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("corpus: reading %s: %w", name, err)
	}
	c, err := New(name, func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, opts)
	if err != nil {
		return nil, err
	}
	c.fingerprint = dataFingerprint(data, opts)
	return c, nil
}

// FromFunc returns a corpus whose passes are produced by each, which must
// call fn for every sentence of one full pass, in order, and stop with
// fn's error if it returns one. It turns a derived stream (phrases
// joined, words filtered) into a corpus that trainers can read.
func FromFunc(name string, each func(ctx context.Context, fn func(tokens []string) error) error) *Corpus {
	return &Corpus{name: name, each: each}
}

// Name describes where the corpus comes from, for messages.
func (c *Corpus) Name() string { return c.name }

// Sentences reads the corpus once from the start and calls fn for each
// non-empty sentence of at most MaxSentenceTokens tokens. The slice passed
// to fn is reused after fn returns. It stops at the first error from fn,
// from reading, or when ctx is cancelled.
func (c *Corpus) Sentences(ctx context.Context, fn func(tokens []string) error) error {
	return c.each(ctx, fn)
}

// raw returns the reader of a corpus whose tokens are the text's bytes as
// they stand, or nil.
func raw(src Source) *textReader {
	if c, ok := src.(*Corpus); ok && c.text != nil && c.text.opts.plain() {
		return c.text
	}
	return nil
}

// textReader tokenises whitespace-separated text.
type textReader struct {
	open      func() (io.ReadCloser, error)
	name      string
	opts      TokenOptions
	truncated atomic.Int64 // tokens cut to MaxTokenBytes by the last full pass
}

// TruncatedTokens returns the number of tokens longer than MaxTokenBytes
// that the most recent pass to read the whole text cut to that length (0
// before any pass, and for a corpus made with FromFunc, whose tokens are
// not read here). Every pass over the same text cuts the same tokens.
func (c *Corpus) TruncatedTokens() int64 {
	if c.text == nil {
		return 0
	}
	return c.text.truncated.Load()
}

func (c *textReader) sentences(ctx context.Context, fn func(tokens []string) error) error {
	sent := make([]string, 0, 256)
	flush := func() error {
		if len(sent) == 0 {
			return nil
		}
		err := fn(sent)
		sent = sent[:0]
		return err
	}
	var grown int64 // tokens the options lengthened past MaxTokenBytes
	err := c.scan(ctx, func(tok []byte, cut bool) error {
		var long bool
		sent, long = c.appendToken(sent, tok)
		if long && !cut {
			grown++
		}
		if len(sent) == MaxSentenceTokens {
			return flush()
		}
		return nil
	}, flush)
	if err == nil {
		c.truncated.Add(grown)
	}
	return err
}

// appendToken applies the options to token b and appends the result to
// sent, unless it is left empty; long says it had to be cut to
// MaxTokenBytes.
func (c *textReader) appendToken(sent []string, b []byte) (_ []string, long bool) {
	o := c.opts
	if o.StripPunct {
		b = bytes.Map(func(r rune) rune {
			if unicode.IsPunct(r) || unicode.IsSymbol(r) {
				return -1
			}
			return r
		}, b)
		if len(b) == 0 {
			return sent, false
		}
	}
	w := string(b)
	if o.Lower {
		w = strings.ToLower(w)
	}
	if o.Stem != "" {
		// The language was checked in New; Stem cannot fail now.
		w, _ = snowball.Stem(w, o.Stem, false)
		if w == "" {
			return sent, false
		}
	}
	if len(w) > MaxTokenBytes {
		// Lower-casing lengthens a few characters (Ⱥ to ⱥ, two bytes to
		// three): cut again, as the scan cuts raw tokens.
		w, long = string(cutToken([]byte(w))), true
	}
	return append(sent, w), long
}
