package embed

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"math"
)

// readBinary reads the word2vec binary format: a header line "N D", then
// per word the word's bytes up to a space and D little-endian float32
// values. Writers differ in where they put newlines (after each vector,
// before each word, or nowhere), so newlines before a word are skipped.
func (s *source) readBinary() (*Embeddings, error) {
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
	if s.cfg.limit > 0 && s.cfg.limit < n {
		want = s.cfg.limit
	}
	c := s.rowCapacity(want, dim, rowBytes)
	words := make([]string, 0, c)
	index := make(map[string]int, c)
	data := make([]float32, 0, c*dim)
	vecBytes := 4 * dim
	var scratch []byte // for rows too long to decode from the read buffer
	for len(words) < want {
		// Skip the newline that ends the previous row or starts this one.
		for {
			b, err := s.br.ReadByte()
			if err != nil {
				s.at = s.off
				return nil, s.errorf("", io.ErrUnexpectedEOF, "file ends after %d of the %d words its header announces", len(words), n)
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
			return nil, s.errorf(string(word), io.ErrUnexpectedEOF, "file ends inside word %d of %d", len(words)+1, n)
		}
		s.off += int64(len(word))
		word = word[:len(word)-1]
		if err := s.checkWord(word, index); err != nil {
			return nil, err
		}
		w := string(word)
		if vecBytes <= bufSize {
			buf, err := s.br.Peek(vecBytes)
			if err != nil {
				return nil, s.truncated(w, s.off+int64(len(buf)), len(buf), vecBytes)
			}
			start := len(data)
			data = grow(data, dim)
			if err := s.decode(w, data[start:], buf, s.off); err != nil {
				return nil, err
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
		index[w] = len(words)
		words = append(words, w)
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
	return build(words, index, nil, dim, data), nil
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
	b = b[:4*len(row)]
	for j := range row {
		u := binary.LittleEndian.Uint32(b[4*j:])
		if u&0x7f800000 == 0x7f800000 { // all exponent bits set: Inf or NaN
			s.at = at + int64(4*j)
			return s.errorf(word, ErrNotFinite, "value %d is %v", j+1, math.Float32frombits(u))
		}
		row[j] = math.Float32frombits(u)
	}
	return nil
}
