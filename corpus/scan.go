package corpus

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// asciiSpace marks the bytes that separate tokens.
var asciiSpace = [256]bool{' ': true, '\t': true, '\r': true, '\v': true, '\f': true, '\n': true}

// scan reads one pass and calls tok for every whitespace-separated token
// (the slice is only valid during the call; cut says it was cut to
// MaxTokenBytes) and eol at every line end and
// at the end of the text. It reads large blocks and copies a token only
// when it straddles two blocks, so a pass allocates almost nothing. A
// token longer than MaxTokenBytes is cut to that length (see cutToken) and
// counted; a pass that reads to the end stores the count for
// TruncatedTokens. Memory stays bounded whatever the input: no more than
// MaxTokenBytes of a token is ever held.
func (c *textReader) scan(ctx context.Context, tok func(t []byte, cut bool) error, eol func() error) error {
	rc, err := c.open()
	if err != nil {
		return fmt.Errorf("corpus: open %s: %w", c.name, err)
	}
	defer rc.Close()
	r, err := maybeGunzip(rc)
	if err != nil {
		return fmt.Errorf("corpus: %s: %w", c.name, err)
	}
	buf := make([]byte, 1<<20)
	// carry is the start of a token cut by the end of a block, at most
	// MaxTokenBytes+1 bytes: one more than a token may keep says it is
	// longer.
	carry := make([]byte, 0, MaxTokenBytes+1)
	var cut int64
	emit := func(t []byte) error {
		if len(t) <= MaxTokenBytes {
			return tok(t, false)
		}
		cut++
		return tok(cutToken(t), true)
	}
	lines := 0
	for {
		n, rerr := readBlock(r, buf)
		if rerr == io.ErrUnexpectedEOF {
			return fmt.Errorf("corpus: reading %s: the compressed data ends early (truncated file?): %w", c.name, rerr)
		}
		if rerr != nil && rerr != io.EOF {
			return fmt.Errorf("corpus: reading %s: %w", c.name, rerr)
		}
		data := buf[:n]
		i := 0
		for i < len(data) {
			b := data[i]
			if asciiSpace[b] {
				if len(carry) > 0 {
					if err := emit(carry); err != nil {
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
				carry = appendCapped(carry, data[i:j])
				break
			}
			t := data[i:j]
			if len(carry) > 0 {
				carry = appendCapped(carry, t)
				t = carry
			}
			if err := emit(t); err != nil {
				return err
			}
			carry = carry[:0]
			i = j
		}
		if rerr != nil { // end of text
			if len(carry) > 0 {
				if err := emit(carry); err != nil {
					return err
				}
			}
			if err := eol(); err != nil {
				return err
			}
			c.truncated.Store(cut)
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// appendCapped appends as much of b to carry as keeps it within
// MaxTokenBytes+1 bytes.
func appendCapped(carry, b []byte) []byte {
	room := MaxTokenBytes + 1 - len(carry)
	return append(carry, b[:min(len(b), max(room, 0))]...)
}

// cutToken cuts a token longer than MaxTokenBytes to that length, or a
// little shorter so as not to split a UTF-8 character.
func cutToken(t []byte) []byte {
	t = t[:MaxTokenBytes]
	for n := len(t); n > len(t)-utf8.UTFMax && n > 0; n-- {
		if utf8.RuneStart(t[n-1]) {
			if !utf8.FullRune(t[n-1:]) {
				return t[:n-1]
			}
			break
		}
	}
	return t
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
