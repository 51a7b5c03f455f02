package embed

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"github.com/wordspace/wordspace/internal/readfile"
)

// ReadNPY reads an .npy matrix (float32 or float64, C or Fortran order)
// from matrix and its vocabulary from vocab, one word a line, optionally
// followed by a tab and the word's count. Gzip compression of the matrix is
// detected. Limit and StrictUTF8 apply as for Read; Format is ignored.
//
// A vocabulary written by WriteNPY or Save ends with a line giving the
// matrix's row count and checksum; when it is there and the whole matrix
// is read (no Limit below its rows), a matrix it was not written with is
// a *FormatError, so that a vocabulary left beside another matrix by an
// interrupted save cannot pass for its own.
func ReadNPY(matrix, vocab io.Reader, opts LoadOptions) (*Embeddings, error) {
	opts.Format = NPY
	return read(matrix, readfile.Remaining(matrix), opts, func() (io.ReadCloser, error) { return io.NopCloser(vocab), nil })
}

// maxNPYHeader bounds the .npy header dictionary (numpy's own reader
// refuses headers over 10,000 bytes by default).
const maxNPYHeader = 1 << 16

// npyHeader reads and checks the .npy preamble and header. The header is
// parsed by npyio once its length and framing are known to be sane, so a
// hostile length cannot make it allocate.
func (s *source) npyHeader() (npy.Header, []byte, error) {
	var h npy.Header
	pre, err := s.br.Peek(len(npyMagic) + 4)
	if err != nil || !bytes.HasPrefix(pre, []byte(npyMagic)) {
		return h, nil, s.errorf("", nil, "not an .npy file (no \\x93NUMPY magic)")
	}
	var hdrLen, lenBytes int
	switch major := pre[len(npyMagic)]; major {
	case 1:
		lenBytes, hdrLen = 2, int(binary.LittleEndian.Uint16(pre[8:]))
	case 2:
		if pre, err = s.br.Peek(len(npyMagic) + 6); err != nil {
			return h, nil, s.errorf("", io.ErrUnexpectedEOF, "file ends in the .npy preamble")
		}
		lenBytes, hdrLen = 4, int(binary.LittleEndian.Uint32(pre[8:]))
	default:
		return h, nil, s.errorf("", nil, ".npy version %d is not supported (want 1 or 2)", major)
	}
	if hdrLen > maxNPYHeader {
		return h, nil, s.errorf("", nil, ".npy header of %d bytes is longer than the limit of %d", hdrLen, maxNPYHeader)
	}
	total := len(npyMagic) + 2 + lenBytes + hdrLen
	raw := make([]byte, total)
	if got, err := io.ReadFull(s.br, raw); err != nil {
		s.at = int64(got)
		return h, nil, s.errorf("", io.ErrUnexpectedEOF, "file ends in the .npy header")
	}
	s.off = int64(total)
	if bytes.IndexByte(raw[total-hdrLen:], '\n') < 0 {
		return h, nil, s.errorf("", nil, ".npy header does not end in a newline")
	}
	r, err := parseNPYHeader(raw)
	if err != nil {
		return h, nil, s.errorf("", err, "bad .npy header")
	}
	return r.Header, raw, nil
}

// parseNPYHeader runs npyio's header parser, turning a panic on a malformed
// header into an error.
func parseNPYHeader(raw []byte) (r *npy.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("unparsable header %q", clip(raw[10:]))
		}
	}()
	return npy.NewReader(bytes.NewReader(raw))
}

func readNPY(s *source, vocab io.Reader) (*Embeddings, error) {
	cfg := s.cfg
	h, raw, err := s.npyHeader()
	if err != nil {
		return nil, err
	}
	crc := crc32.Update(0, castagnoli, raw) // of every byte of the matrix read
	var order binary.ByteOrder = binary.LittleEndian
	var elem int
	switch strings.Trim(h.Descr.Type, "'\"") {
	case "<f4", "|f4", "=f4":
		elem = 4
	case ">f4":
		elem, order = 4, binary.BigEndian
	case "<f8", "|f8", "=f8":
		elem = 8
	case ">f8":
		elem, order = 8, binary.BigEndian
	default:
		return nil, s.errorf("", nil, "element type %q is not a float32 or float64", h.Descr.Type)
	}
	if len(h.Descr.Shape) != 2 {
		return nil, s.errorf("", nil, "shape %v is not a matrix (words × dimension)", h.Descr.Shape)
	}
	n, dim := h.Descr.Shape[0], h.Descr.Shape[1]
	if n < 0 || dim <= 0 || dim > math.MaxInt32 || n > math.MaxInt/8/dim {
		return nil, s.errorf("", nil, "shape (%d, %d) is not a usable matrix", n, dim)
	}
	if s.size >= 0 && int64(n)*int64(dim)*int64(elem) > s.size-s.off {
		return nil, s.errorf("", io.ErrUnexpectedEOF, "shape (%d, %d) needs %d bytes of data but only %d follow the header", n, dim, int64(n)*int64(dim)*int64(elem), s.size-s.off)
	}
	want := n
	if cfg.Limit > 0 && cfg.Limit < n {
		want = cfg.Limit
	}
	vb, counts, sum, err := readVocab(vocab, want, n, cfg)
	if err != nil {
		return nil, fmt.Errorf("vocabulary file: %w", err)
	}
	c := s.rowCapacity(want, dim)
	data := make([]float32, 0, c*dim)
	buf := make([]byte, 1<<16)
	// Values arrive row by row (C order) or column by column (Fortran
	// order); the matrix is kept row-major.
	fortran := h.Descr.Fortran
	total := n * dim
	if !fortran {
		total = want * dim
	} else {
		data = make([]float32, want*dim) // want ≤ n, and n*dim*elem bytes are backed or streamed below
		if s.size < 0 {
			data = data[:0]
		}
	}
	var cols [][]float32 // Fortran order from a stream: columns gathered first
	for done := 0; done < total; {
		m := min(len(buf)/elem, total-done)
		got, err := io.ReadFull(s.br, buf[:m*elem])
		crc = crc32.Update(crc, castagnoli, buf[:got])
		if err != nil {
			s.at = s.off + int64(got)
			return nil, s.errorf("", io.ErrUnexpectedEOF, "file ends after %d of %d values", done+got/elem, n*dim)
		}
		for j := 0; j < m; j++ {
			var v float64
			if elem == 4 {
				v = float64(math.Float32frombits(order.Uint32(buf[4*j:])))
			} else {
				v = math.Float64frombits(order.Uint64(buf[8*j:]))
			}
			i := done + j
			row, col := i/dim, i%dim
			if fortran {
				row, col = i%n, i/n
			}
			if row >= want {
				continue
			}
			f := float32(v)
			if math.IsNaN(v) || math.IsInf(float64(f), 0) {
				s.at = s.off + int64(j*elem)
				return nil, s.errorf(vb.words[row], ErrNotFinite, "value %d (row %d, column %d) is %v", i+1, row+1, col+1, v)
			}
			switch {
			case !fortran:
				data = append(data, f)
			case s.size >= 0:
				data[row*dim+col] = f
			default:
				if col == len(cols) {
					cols = append(cols, make([]float32, 0, want))
				}
				cols[col] = append(cols[col], f)
			}
		}
		s.off += int64(m * elem)
		done += m
	}
	if cols != nil {
		data = make([]float32, want*dim)
		for col, c := range cols {
			for row, v := range c {
				data[row*dim+col] = v
			}
		}
	}
	if want == n {
		if _, err := s.br.ReadByte(); err == nil {
			s.at = s.off
			return nil, s.errorf("", nil, "data after the (%d, %d) matrix", n, dim)
		}
		if sum != nil && sum.crc != crc {
			s.at = 0
			return nil, s.errorf("", nil, "the vocabulary file was written with another matrix (checksum %08x, this matrix %08x): an interrupted save, or files from two saves", sum.crc, crc)
		}
	}
	return build(vb, counts, dim, data), nil
}

// readVocab reads the first want words of an .npy vocabulary file, which
// must hold n words. When want is n it also reads the last line WriteNPY
// writes, if the file has it, checks its row count and returns it.
func readVocab(r io.Reader, want, n int, cfg LoadOptions) (vocabBuilder, []int64, *npyChecksum, error) {
	s := &source{br: bufio.NewReaderSize(r, smallBuf), size: -1, format: NPY, cfg: cfg}
	vb := newVocabBuilder(min(want, 1<<12)) // grows as words arrive: the header's count is not trusted
	var counts []int64
	var total int64 // of the counts, which must fit in an int64 (see NewVocab)
	for len(vb.words) < want {
		line, err := s.nextLine()
		if errors.Is(err, io.EOF) {
			return vb, nil, nil, s.errorf("", io.ErrUnexpectedEOF, "vocabulary has %d words, the matrix %d rows", len(vb.words), n)
		}
		if err != nil {
			return vb, nil, nil, err
		}
		if _, ok, _ := parseNPYTrailer(line); ok {
			return vb, nil, nil, s.errorf("", io.ErrUnexpectedEOF, "vocabulary has %d words, the matrix %d rows", len(vb.words), n)
		}
		word := line
		if tab := bytes.IndexByte(line, '\t'); tab >= 0 {
			word = line[:tab]
			cnt, err := strconv.ParseInt(string(line[tab+1:]), 10, 64)
			if err != nil || cnt < 0 {
				return vb, nil, nil, s.errorf(string(word), nil, "vocabulary count %q is not a non-negative integer", clip(line[tab+1:]))
			}
			if counts == nil && len(vb.words) > 0 {
				return vb, nil, nil, s.errorf(string(word), nil, "vocabulary gives counts for some words only")
			}
			if total += cnt; total < 0 {
				return vb, nil, nil, s.errorf(string(word), nil, "vocabulary counts add up to more than %d", int64(math.MaxInt64))
			}
			counts = append(counts, cnt)
		} else if counts != nil {
			return vb, nil, nil, s.errorf(string(word), nil, "vocabulary gives counts for some words only")
		}
		if _, err := vb.add(s, word); err != nil {
			return vb, nil, nil, err
		}
	}
	var sum *npyChecksum
	if want == n {
		line, err := s.nextLine()
		if err == nil {
			c, ok, perr := parseNPYTrailer(line)
			switch {
			case !ok:
				return vb, nil, nil, s.errorf("", nil, "vocabulary has more words than the matrix's %d rows", n)
			case perr != nil:
				return vb, nil, nil, s.errorf("", perr, "bad last line")
			case c.rows != n:
				return vb, nil, nil, s.errorf("", nil, "vocabulary was written with a matrix of %d rows, this one has %d", c.rows, n)
			}
			sum = &c
			if _, err := s.nextLine(); err == nil {
				return vb, nil, nil, s.errorf("", nil, "lines after the last line")
			}
		}
	}
	return vb, counts, sum, nil
}
