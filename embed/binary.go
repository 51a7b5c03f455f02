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
	s.at = 0
	head, err := s.br.ReadSlice('\n')
	if err != nil {
		if len(head) == 0 && errors.Is(err, io.EOF) {
			return nil, s.errorf("", nil, "empty file")
		}
		return nil, s.errorf("", nil, "no header line \"<words> <dimension>\" ending in a newline")
	}
	s.off += int64(len(head))
	n, dim, ok := parseHeader(head)
	if !ok {
		return nil, s.errorf("", nil, "first line %q is not a header \"<words> <dimension>\"", clip(trimRight(head)))
	}
	if dim == 0 {
		return nil, s.errorf("", nil, "header gives dimension 0")
	}
	if dim > math.MaxInt32 || n > math.MaxInt/4/dim {
		return nil, s.errorf("", nil, "header claims %d words of dimension %d: too large", n, dim)
	}
	// A row is at least a one-byte word, a space and 4*dim bytes.
	rowBytes := 4*int64(dim) + 2
	if s.size >= 0 && int64(n) > (s.size-s.off+1)/rowBytes {
		return nil, s.errorf("", nil, "header claims %d words of dimension %d (at least %d bytes) but only %d bytes follow it", n, dim, int64(n)*rowBytes-1, s.size-s.off)
	}
	want := n
	if s.cfg.Limit > 0 && s.cfg.Limit < n {
		want = s.cfg.Limit
	}
	c := s.rowCapacity(want, dim)
	vb := newVocabBuilder(c)
	data := make([]float32, 0, c*dim)
	vecBytes := 4 * dim
	var scratch []byte // for rows too long to decode from the read buffer
	var dec *decoder
	if s.size >= 0 && want >= 1024 && vecBytes <= s.br.Size() && runtime.GOMAXPROCS(0) > 1 {
		data = data[:want*dim]
		dec = newDecoder(data, dim)
		defer func() {
			// On an early return, a bad value the decoder found comes
			// earlier in the file than the reader's error: report it.
			if dec != nil {
				if derr := dec.wait(); derr != nil {
					err = derr
				}
			}
		}()
	}
	for len(vb.words) < want {
		// Skip the newline that ends the previous row or starts this one.
		for {
			b, err := s.br.ReadByte()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					return nil, s.readErr(err)
				}
				s.at = s.off
				return nil, s.errorf("", io.ErrUnexpectedEOF, "file ends after %d of the %d words its header announces", len(vb.words), n)
			}
			if b != '\n' {
				s.br.UnreadByte()
				break
			}
			s.off++
		}
		s.at = s.off
		word, err := s.br.ReadSlice(' ')
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				return nil, s.errorf(string(word[:64]), nil, "no space ends the word within %d bytes", len(word))
			}
			if !errors.Is(err, io.EOF) {
				return nil, s.readErr(err)
			}
			return nil, s.errorf(string(word), io.ErrUnexpectedEOF, "file ends inside word %d of %d", len(vb.words)+1, n)
		}
		s.off += int64(len(word))
		word = word[:len(word)-1]
		w, err := vb.add(s, word)
		if err != nil {
			return nil, err
		}
		if vecBytes <= s.br.Size() {
			buf, err := s.br.Peek(vecBytes)
			if err != nil {
				if !errors.Is(err, io.EOF) {
					return nil, s.readErr(err)
				}
				return nil, s.truncated(w, s.off+int64(len(buf)), len(buf), vecBytes)
			}
			if dec != nil {
				dec.put(len(vb.words)-1, w, buf, s.off)
			} else {
				start := len(data)
				data = grow(data, dim)
				if err := s.decode(w, data[start:], buf, s.off); err != nil {
					return nil, err
				}
			}
			s.br.Discard(vecBytes)
			s.off += int64(vecBytes)
		} else {
			// Huge rows are read in bounded pieces, so that the matrix
			// grows only as bytes actually arrive.
			const piece = 1 << 16
			if scratch == nil {
				scratch = make([]byte, piece)
			}
			for j := 0; j < dim; {
				m := min(piece/4, dim-j)
				got, err := io.ReadFull(s.br, scratch[:4*m])
				if err != nil {
					return nil, s.truncated(w, s.off+int64(got), 4*j+got, vecBytes)
				}
				start := len(data)
				data = grow(data, m)
				if err := s.decode(w, data[start:], scratch, s.off); err != nil {
					return nil, err
				}
				s.off += int64(4 * m)
				j += m
			}
		}
	}
	if dec != nil {
		err := dec.wait()
		dec = nil
		if err != nil {
			return nil, err
		}
	}
	if want == n {
		// Only line endings may follow the last row.
		for {
			b, err := s.br.ReadByte()
			if err != nil {
				break
			}
			if !isSpace(b) {
				s.at = s.off
				return nil, s.errorf("", nil, "data after the %d words its header announces", n)
			}
			s.off++
		}
	}
	return build(vb, nil, dim, data), nil
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
