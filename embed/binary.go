package embed

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
)

// readBinary reads the word2vec binary format: a header line "N D", then
// per word the word's bytes up to a space and D little-endian float32
// values. Writers differ in where they put newlines (after each vector,
// before each word, or nowhere), so newlines before a word are skipped.
func (s *source) readBinary() (_ *Embeddings, err error) {
	n, dim, err := s.binaryHeader()
	if err != nil {
		return nil, err
	}
	want := n
	if s.cfg.Limit > 0 && s.cfg.Limit < n {
		want = s.cfg.Limit
	}
	c := s.rowCapacity(want, dim)
	b := &binaryRows{s: s, n: n, dim: dim, vb: newVocabBuilder(c), data: make([]float32, 0, c*dim)}
	if s.size >= 0 && want >= 1024 && 4*dim <= s.br.Size() && runtime.GOMAXPROCS(0) > 1 {
		b.data = b.data[:want*dim]
		b.dec = newDecoder(b.data, dim)
		defer func() {
			// On an early return, a bad value the decoder found comes
			// earlier in the file than the reader's error: report it.
			if b.dec != nil {
				if derr := b.dec.wait(); derr != nil {
					err = derr
				}
			}
		}()
	}
	for len(b.vb.words) < want {
		if err := b.row(); err != nil {
			return nil, err
		}
	}
	if b.dec != nil {
		err := b.dec.wait()
		b.dec = nil
		if err != nil {
			return nil, err
		}
	}
	if want == n {
		if err := s.binaryEnd(n); err != nil {
			return nil, err
		}
	}
	return build(b.vb, nil, dim, b.data), nil
}

// binaryHeader reads the header line "N D" and checks the sizes it claims
// against the bytes that follow, when their number is known.
func (s *source) binaryHeader() (n, dim int, err error) {
	s.at = 0
	head, err := s.br.ReadSlice('\n')
	if err != nil {
		if len(head) == 0 && errors.Is(err, io.EOF) {
			return 0, 0, s.errorf("", nil, "empty file")
		}
		return 0, 0, s.errorf("", nil, "no header line \"<words> <dimension>\" ending in a newline")
	}
	s.off += int64(len(head))
	n, dim, ok := parseHeader(head)
	if !ok {
		return 0, 0, s.errorf("", nil, "first line %q is not a header \"<words> <dimension>\"", clip(trimRight(head)))
	}
	if dim == 0 {
		return 0, 0, s.errorf("", nil, "header gives dimension 0")
	}
	if dim > math.MaxInt32 || n > math.MaxInt/4/dim {
		return 0, 0, s.errorf("", nil, "header claims %d words of dimension %d: too large", n, dim)
	}
	// A row is at least a one-byte word, a space and 4*dim bytes.
	rowBytes := 4*int64(dim) + 2
	if s.size >= 0 && int64(n) > (s.size-s.off+1)/rowBytes {
		return 0, 0, s.errorf("", nil, "header claims %d words of dimension %d (at least %d bytes) but only %d bytes follow it", n, dim, int64(n)*rowBytes-1, s.size-s.off)
	}
	return n, dim, nil
}

// binaryEnd checks that only line endings follow the last of the n rows.
func (s *source) binaryEnd(n int) error {
	for {
		b, err := s.br.ReadByte()
		if err != nil {
			return nil
		}
		if !isSpace(b) {
			s.at = s.off
			return s.errorf("", nil, "data after the %d words its header announces", n)
		}
		s.off++
	}
}

// binaryRows reads the rows of a binary file into a vocabulary and a
// matrix, decoding each vector in place, on the decoder's goroutine when
// there is one, or in bounded pieces when it is longer than the read
// buffer.
type binaryRows struct {
	s       *source
	n, dim  int // rows announced, values per row
	vb      vocabBuilder
	data    []float32
	scratch []byte   // for rows too long to decode from the read buffer
	dec     *decoder // nil: decode on this goroutine
}

// row reads one word and its vector.
func (b *binaryRows) row() error {
	if err := b.skipNewlines(); err != nil {
		return err
	}
	w, err := b.word()
	if err != nil {
		return err
	}
	if 4*b.dim <= b.s.br.Size() {
		return b.vector(w)
	}
	return b.longVector(w)
}

// skipNewlines skips the newline that ends the previous row or starts
// this one.
func (b *binaryRows) skipNewlines() error {
	s := b.s
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return s.readErr(err)
			}
			s.at = s.off
			return s.errorf("", io.ErrUnexpectedEOF, "file ends after %d of the %d words its header announces", len(b.vb.words), b.n)
		}
		if c != '\n' {
			s.br.UnreadByte()
			return nil
		}
		s.off++
	}
}

// word reads a word up to its space and adds it to the vocabulary.
func (b *binaryRows) word() (string, error) {
	s := b.s
	s.at = s.off
	word, err := s.br.ReadSlice(' ')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", s.errorf(string(word[:64]), nil, "no space ends the word within %d bytes", len(word))
		}
		if !errors.Is(err, io.EOF) {
			return "", s.readErr(err)
		}
		return "", s.errorf(string(word), io.ErrUnexpectedEOF, "file ends inside word %d of %d", len(b.vb.words)+1, b.n)
	}
	s.off += int64(len(word))
	return b.vb.add(s, word[:len(word)-1])
}

// vector decodes a vector that fits in the read buffer straight out of
// it.
func (b *binaryRows) vector(w string) error {
	s, vecBytes := b.s, 4*b.dim
	buf, err := s.br.Peek(vecBytes)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			return s.readErr(err)
		}
		return s.truncated(w, s.off+int64(len(buf)), len(buf), vecBytes)
	}
	if b.dec != nil {
		b.dec.put(len(b.vb.words)-1, w, buf, s.off)
	} else {
		start := len(b.data)
		b.data = grow(b.data, b.dim)
		if err := s.decode(w, b.data[start:], buf, s.off); err != nil {
			return err
		}
	}
	s.br.Discard(vecBytes)
	s.off += int64(vecBytes)
	return nil
}

// longVector reads a vector longer than the read buffer in bounded
// pieces, so that the matrix grows only as bytes actually arrive.
func (b *binaryRows) longVector(w string) error {
	s, vecBytes := b.s, 4*b.dim
	const piece = 1 << 16
	if b.scratch == nil {
		b.scratch = make([]byte, piece)
	}
	for j := 0; j < b.dim; {
		m := min(piece/4, b.dim-j)
		got, err := io.ReadFull(s.br, b.scratch[:4*m])
		if err != nil {
			return s.truncated(w, s.off+int64(got), 4*j+got, vecBytes)
		}
		start := len(b.data)
		b.data = grow(b.data, m)
		if err := s.decode(w, b.data[start:], b.scratch, s.off); err != nil {
			return err
		}
		s.off += int64(4 * m)
		j += m
	}
	return nil
}

// grow extends data by n values, growing its capacity as append does.
func grow(data []float32, n int) []float32 {
	if len(data)+n <= cap(data) {
		return data[:len(data)+n]
	}
	return append(data, make([]float32, n)...)
}

// truncated reports a vector cut short at offset at, got of its want
// bytes in.
func (s *source) truncated(word string, at int64, got, want int) error {
	s.at = at
	return s.errorf(word, io.ErrUnexpectedEOF, "file ends %d bytes into a %d-byte vector", got, want)
}

// decode converts little-endian float32 bytes into row, rejecting NaN and
// infinities; at is the offset of b in the stream.
func (s *source) decode(word string, row []float32, b []byte, at int64) error {
	if j := decodeFloats(row, b); j >= 0 {
		return nonFinite(word, row[j], j, at)
	}
	return nil
}

func nonFinite(word string, v float32, j int, at int64) error {
	return &FormatError{Format: Binary, Offset: at + int64(4*j), Word: word, Msg: fmt.Sprintf("value %d is %v", j+1, v), Err: ErrNotFinite}
}

// decodeFloats converts little-endian float32 bytes into row and returns
// the index of the first NaN or infinity, or -1.
func decodeFloats(row []float32, b []byte) int {
	b = b[:4*len(row)]
	var bad uint32
	for j := range row {
		u := binary.LittleEndian.Uint32(b[4*j : 4*j+4])
		// The addition carries into the sign bit exactly when all the
		// exponent bits are set (Inf or NaN): no branch in the hot loop.
		bad |= (u&0x7f800000 + 0x00800000) & 0x80000000
		row[j] = math.Float32frombits(u)
	}
	if bad == 0 {
		return -1
	}
	for j, v := range row {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return j
		}
	}
	return -1
}

// A decoder converts rows on a second goroutine while the reader parses
// the words and copies the raw vectors into blocks: on a big file this
// halves the load time. It needs the matrix allocated in full up front.
type decoder struct {
	dim        int
	data       []float32
	blk        *block
	free, full chan *block
	done       chan error
}

// block holds raw rows on their way to the decoder.
type block struct {
	raw   []byte
	words []string
	offs  []int64
	first int // row index of the first row
}

const decodeBlockBytes = 256 << 10

func newDecoder(data []float32, dim int) *decoder {
	d := &decoder{dim: dim, data: data, free: make(chan *block, 3), full: make(chan *block, 3), done: make(chan error, 1)}
	rows := max(1, decodeBlockBytes/(4*dim))
	for range 3 {
		d.free <- &block{raw: make([]byte, 0, rows*4*dim), words: make([]string, 0, rows), offs: make([]int64, 0, rows)}
	}
	d.blk = <-d.free
	go d.run()
	return d
}

func (d *decoder) run() {
	var err error
	vecBytes := 4 * d.dim
	for b := range d.full {
		for k := 0; k < len(b.words) && err == nil; k++ {
			row := d.data[(b.first+k)*d.dim : (b.first+k+1)*d.dim]
			if j := decodeFloats(row, b.raw[k*vecBytes:]); j >= 0 {
				err = nonFinite(b.words[k], row[j], j, b.offs[k])
			}
		}
		d.free <- b
	}
	d.done <- err
}

// put queues the raw vector of row i, at offset off in the stream.
func (d *decoder) put(i int, word string, raw []byte, off int64) {
	b := d.blk
	if len(b.words) == 0 {
		b.first = i
	}
	b.raw = append(b.raw, raw...)
	b.words = append(b.words, word)
	b.offs = append(b.offs, off)
	if len(b.raw)+len(raw) > cap(b.raw) {
		d.full <- b
		d.blk = <-d.free
		d.blk.raw, d.blk.words, d.blk.offs = d.blk.raw[:0], d.blk.words[:0], d.blk.offs[:0]
	}
}

// wait decodes the rows still queued and returns the first error found.
func (d *decoder) wait() error {
	if len(d.blk.words) > 0 {
		d.full <- d.blk
	}
	close(d.full)
	return <-d.done
}
