package word2vec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/kljensen/snowball"
)

// MaxSentenceTokens is the longest sentence the corpus reader hands out.
// Longer lines (text8 is one line of 17 million words) are split into
// consecutive chunks of this many tokens; nothing is dropped.
const MaxSentenceTokens = 10000

// TokenOptions says how a line of text becomes tokens. Tokens are always
// separated by whitespace; the options are applied to each token in the
// order listed.
type TokenOptions struct {
	Lower      bool   // lower-case every token
	StripPunct bool   // remove punctuation and symbols; a token left empty is dropped
	Stem       string // snowball stemmer language ("english", "french", ...); "" for none
}

// Corpus is a re-readable source of sentences: every call to Sentences
// reads it again from the start, so training can make several passes
// without holding the text in memory.
type Corpus struct {
	name string
	each func(ctx context.Context, fn func(tokens []string) error) error
}

// NewCorpus returns a corpus that calls open for every pass. The reader
// may be gzip-compressed; it is detected by its magic bytes.
func NewCorpus(name string, open func() (io.ReadCloser, error), opts TokenOptions) (*Corpus, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	r := &textReader{open: open, name: name, opts: opts}
	return &Corpus{name: name, each: r.sentences}, nil
}

// FromSentences returns a corpus whose passes are produced by each, which
// must call fn for every sentence of one full pass, in order, and stop with
// fn's error if it returns one. It turns a derived stream (phrases joined,
// words filtered) into a corpus that trainers can read.
func FromSentences(name string, each func(ctx context.Context, fn func(tokens []string) error) error) *Corpus {
	return &Corpus{name: name, each: each}
}

// textReader tokenises whitespace-separated text.
type textReader struct {
	open func() (io.ReadCloser, error)
	name string
	opts TokenOptions
}

// OpenCorpus returns a corpus reading the given files and directories (all
// regular files below a directory, in lexical order), each plain or
// gzip-compressed, one after the other.
func OpenCorpus(opts TokenOptions, paths ...string) (*Corpus, error) {
	if len(paths) == 0 {
		return nil, errors.New("word2vec: no corpus files given")
	}
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("word2vec: corpus: %w", err)
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
			return nil, fmt.Errorf("word2vec: corpus: %w", err)
		}
		sort.Strings(sub)
		files = append(files, sub...)
	}
	open := func() (io.ReadCloser, error) { return newMultiFile(files), nil }
	return NewCorpus(strings.Join(paths, ","), open, opts)
}

func (o TokenOptions) validate() error {
	if o.Stem == "" {
		return nil
	}
	if _, err := snowball.Stem("testing", o.Stem, false); err != nil {
		return fmt.Errorf("word2vec: stemmer: %w", err)
	}
	return nil
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

func (c *textReader) sentences(ctx context.Context, fn func(tokens []string) error) error {
	rc, err := c.open()
	if err != nil {
		return fmt.Errorf("word2vec: open %s: %w", c.name, err)
	}
	defer rc.Close()
	r, err := maybeGunzip(rc)
	if err != nil {
		return fmt.Errorf("word2vec: %s: %w", c.name, err)
	}
	br := bufio.NewReaderSize(r, 1<<20)
	sent := make([]string, 0, 256)
	var word []byte
	lines := 0
	flush := func() error {
		if len(sent) == 0 {
			return nil
		}
		err := fn(sent)
		sent = sent[:0]
		return err
	}
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			if len(word) > 0 {
				sent = c.appendToken(sent, word)
			}
			return flush()
		}
		if err != nil {
			return fmt.Errorf("word2vec: reading %s: %w", c.name, err)
		}
		switch b {
		case ' ', '\t', '\r', '\v', '\f', '\n':
			if len(word) > 0 {
				sent = c.appendToken(sent, word)
				word = word[:0]
			}
			if len(sent) == MaxSentenceTokens || (b == '\n' && len(sent) > 0) {
				if err := flush(); err != nil {
					return err
				}
			}
			if b == '\n' {
				lines++
				if lines&1023 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
			}
		default:
			word = append(word, b)
		}
	}
}

func (c *textReader) appendToken(sent []string, b []byte) []string {
	o := c.opts
	if o.StripPunct {
		b = bytes.Map(func(r rune) rune {
			if unicode.IsPunct(r) || unicode.IsSymbol(r) {
				return -1
			}
			return r
		}, b)
		if len(b) == 0 {
			return sent
		}
	}
	w := string(b)
	if o.Lower {
		w = strings.ToLower(w)
	}
	if o.Stem != "" {
		// The language was checked in validate; Stem cannot fail now.
		w, _ = snowball.Stem(w, o.Stem, false)
		if w == "" {
			return sent
		}
	}
	return append(sent, w)
}

// maybeGunzip returns a reader that decompresses r if it starts with the
// gzip magic bytes.
func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

// multiFile reads files one after another, each decompressed if needed,
// inserting a line break between files so sentences never span two files.
type multiFile struct {
	files []string
	cur   io.Reader
	f     *os.File
	sep   bool
}

func newMultiFile(files []string) *multiFile { return &multiFile{files: files} }

func (m *multiFile) Read(p []byte) (int, error) {
	for {
		if m.sep {
			m.sep = false
			p[0] = '\n'
			return 1, nil
		}
		if m.cur == nil {
			if len(m.files) == 0 {
				return 0, io.EOF
			}
			f, err := os.Open(m.files[0])
			if err != nil {
				return 0, err
			}
			r, err := maybeGunzip(f)
			if err != nil {
				f.Close()
				return 0, fmt.Errorf("%s: %w", m.files[0], err)
			}
			m.f, m.cur = f, r
		}
		n, err := m.cur.Read(p)
		if err == io.EOF {
			m.f.Close()
			m.f, m.cur = nil, nil
			m.files = m.files[1:]
			m.sep = true
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err != nil {
			err = fmt.Errorf("%s: %w", m.files[0], err)
		}
		return n, err
	}
}

func (m *multiFile) Close() error {
	if m.f != nil {
		return m.f.Close()
	}
	return nil
}
