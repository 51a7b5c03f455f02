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
	text *textReader // nil for a derived stream
}

// NewCorpus returns a corpus that calls open for every pass. The reader
// may be gzip-compressed; it is detected by its magic bytes.
func NewCorpus(name string, open func() (io.ReadCloser, error), opts TokenOptions) (*Corpus, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	r := &textReader{open: open, name: name, opts: opts}
	return &Corpus{name: name, each: r.sentences, text: r}, nil
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
	open := func() (io.ReadCloser, error) { return newMultiFile(files, len(paths) > 1 || len(files) > 1), nil }
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
	sent := make([]string, 0, 256)
	flush := func() error {
		if len(sent) == 0 {
			return nil
		}
		err := fn(sent)
		sent = sent[:0]
		return err
	}
	return c.scan(ctx, func(tok []byte) error {
		sent = c.appendToken(sent, tok)
		if len(sent) == MaxSentenceTokens {
			return flush()
		}
		return nil
	}, flush)
}

// asciiSpace marks the bytes that separate tokens.
var asciiSpace = [256]bool{' ': true, '\t': true, '\r': true, '\v': true, '\f': true, '\n': true}

// scan reads one pass and calls tok for every whitespace-separated token
// (the slice is only valid during the call) and eol at every line end and
// at the end of the text. It reads large blocks and copies a token only
// when it straddles two blocks, so a pass allocates almost nothing.
func (c *textReader) scan(ctx context.Context, tok func([]byte) error, eol func() error) error {
	rc, err := c.open()
	if err != nil {
		return fmt.Errorf("word2vec: open %s: %w", c.name, err)
	}
	defer rc.Close()
	r, err := maybeGunzip(rc)
	if err != nil {
		return fmt.Errorf("word2vec: %s: %w", c.name, err)
	}
	buf := make([]byte, 1<<20)
	var carry []byte // the start of a token cut by the end of a block
	lines := 0
	for {
		n, rerr := readBlock(r, buf)
		if rerr == io.ErrUnexpectedEOF {
			return fmt.Errorf("word2vec: reading %s: the compressed data ends early (truncated file?): %w", c.name, rerr)
		}
		if rerr != nil && rerr != io.EOF {
			return fmt.Errorf("word2vec: reading %s: %w", c.name, rerr)
		}
		data := buf[:n]
		i := 0
		for i < len(data) {
			b := data[i]
			if asciiSpace[b] {
				if len(carry) > 0 {
					if err := tok(carry); err != nil {
						return err
					}
					carry = carry[:0]
				}
				i++
				if b == '\n' {
					if err := eol(); err != nil {
						return err
					}
					if lines++; lines&1023 == 0 {
						if err := ctx.Err(); err != nil {
							return err
						}
					}
				}
				continue
			}
			j := i + 1
			for j < len(data) && !asciiSpace[data[j]] {
				j++
			}
			if j == len(data) {
				carry = append(carry, data[i:j]...)
				break
			}
			t := data[i:j]
			if len(carry) > 0 {
				carry = append(carry, t...)
				t = carry
			}
			if err := tok(t); err != nil {
				return err
			}
			carry = carry[:0]
			i = j
		}
		if rerr != nil { // end of text
			if len(carry) > 0 {
				if err := tok(carry); err != nil {
					return err
				}
			}
			return eol()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// readBlock fills buf unless the reader ends or fails first. Unlike
// io.ReadFull it passes io.ErrUnexpectedEOF through, which is how gzip
// reports a file cut short.
func readBlock(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// plain reports whether tokens are used exactly as they appear in the
// text, so that readers may look raw bytes up without building strings.
func (o TokenOptions) plain() bool { return !o.Lower && !o.StripPunct && o.Stem == "" }

// sentenceIDs reads one pass and calls fn for every sentence (as
// Sentences cuts them) with the indices of its tokens in index, leaving
// out tokens not in it, and the number of tokens the sentence had. The
// slice is reused after fn returns. A sentence with no known token is
// still reported, with an empty slice, so that callers can count
// sentences the same way whatever the vocabulary.
func (c *Corpus) sentenceIDs(ctx context.Context, index map[string]int32, fn func(ids []int32, tokens int) error) error {
	ids := make([]int32, 0, 256)
	tokens := 0
	flush := func() error {
		if tokens == 0 {
			return nil
		}
		err := fn(ids, tokens)
		ids, tokens = ids[:0], 0
		return err
	}
	if c.text != nil && c.text.opts.plain() {
		return c.text.scan(ctx, func(t []byte) error {
			if id, ok := index[string(t)]; ok {
				ids = append(ids, id)
			}
			if tokens++; tokens == MaxSentenceTokens {
				return flush()
			}
			return nil
		}, flush)
	}
	return c.Sentences(ctx, func(s []string) error {
		for _, t := range s {
			if id, ok := index[t]; ok {
				ids = append(ids, id)
			}
		}
		tokens = len(s)
		return flush()
	})
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
	name  bool // name the file in errors (the corpus name does not)
	cur   io.Reader
	f     *os.File
	sep   bool
}

func newMultiFile(files []string, name bool) *multiFile { return &multiFile{files: files, name: name} }

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
				return 0, m.wrap(err)
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
			err = m.wrap(err)
		}
		return n, err
	}
}

func (m *multiFile) wrap(err error) error {
	if !m.name {
		return err
	}
	return fmt.Errorf("%s: %w", m.files[0], err)
}

func (m *multiFile) Close() error {
	if m.f != nil {
		return m.f.Close()
	}
	return nil
}
