package embed

import (
	"bufio"
	"errors"
	"io"
	"math"
	"strconv"
)

// maxLineLen bounds a text line. A row of 100,000 values fits easily; a
// longer line means the file is not text.
const maxLineLen = 64 << 20

// nextLine returns the next non-blank line without its line ending, or
// io.EOF. The line is valid until the next call.
func (s *source) nextLine() ([]byte, error) {
	for {
		s.at = s.off
		line, err := s.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			s.long = append(s.long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				if len(s.long) > maxLineLen {
					s.line++
					return nil, s.errorf("", nil, "line longer than %d bytes", maxLineLen)
				}
				line, err = s.br.ReadSlice('\n')
				s.long = append(s.long, line...)
				if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
					return nil, s.readErr(err)
				}
			}
			line = s.long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, s.readErr(err)
		}
		if len(line) == 0 {
			return nil, io.EOF
		}
		s.off += int64(len(line))
		s.line++
		if t := trimSpace(line); len(t) > 0 {
			return trimRight(line), nil
		}
	}
}

// trimRight removes the line ending and trailing blanks.
func trimRight(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// readText reads word2vec text (s.format == Text) or headerless text
// (GloVe).
func (s *source) readText() (*Embeddings, error) {
	line, err := s.nextLine()
	if errors.Is(err, io.EOF) {
		return nil, s.errorf("", nil, "empty file")
	}
	if err != nil {
		return nil, err
	}
	n, dim := -1, 0 // n < 0: no header, read to the end
	if s.format == Text {
		var ok bool
		if n, dim, ok = parseHeader(line); !ok {
			return nil, s.errorf("", nil, "first line %q is not a header \"<words> <dimension>\"", clip(line))
		}
		if dim == 0 {
			return nil, s.errorf("", nil, "header gives dimension 0")
		}
		// Each row needs at least a one-byte word and a space and a digit
		// per value, and all but the last a newline.
		if int64(dim) > math.MaxInt32 {
			return nil, s.errorf("", nil, "header gives dimension %d, more than %d", dim, math.MaxInt32)
		}
		if n > 0 {
			minRow := 2*int64(dim) + 2
			if s.size >= 0 && int64(n) > (s.size-s.off+1)/minRow {
				return nil, s.errorf("", nil, "header claims %d words of dimension %d, more than the %d remaining bytes can hold", n, dim, s.size-s.off)
			}
		}
		if line, err = s.nextLine(); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
	} else {
		dim = len(fieldSpans(line, nil)) - 1
		if dim < 1 {
			return nil, s.errorf("", nil, "first line has no values")
		}
	}
	want := n
	if s.cfg.Limit > 0 && (want < 0 || s.cfg.Limit < want) {
		want = s.cfg.Limit
	}
	var (
		vb    vocabBuilder
		data  []float32
		spans []span
	)
	if want >= 0 {
		c := s.rowCapacity(want, dim)
		vb = newVocabBuilder(c)
		data = make([]float32, 0, c*dim)
	} else {
		vb = newVocabBuilder(0)
	}
	for want < 0 || len(vb.words) < want {
		if line == nil {
			if line, err = s.nextLine(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, err
			}
		}
		spans = fieldSpans(line, spans[:0])
		word, vals, err := s.splitRow(line, spans, dim)
		if err != nil {
			return nil, err
		}
		w, err := vb.add(s, word)
		if err != nil {
			return nil, err
		}
		for i, sp := range vals {
			v, err := strconv.ParseFloat(string(line[sp.start:sp.end]), 32)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				var cause error
				if err == nil || errors.Is(err, strconv.ErrRange) {
					cause = ErrNotFinite
				}
				return nil, s.errorf(w, cause, "value %d %q is not a finite float32", i+1, clip(line[sp.start:sp.end]))
			}
			data = append(data, float32(v))
		}
		line = nil
	}
	if n >= 0 && len(vb.words) < want {
		s.at = s.off
		return nil, s.errorf("", io.ErrUnexpectedEOF, "file ends after %d of the %d words its header announces", len(vb.words), n)
	}
	if n >= 0 && want == n {
		if _, err := s.nextLine(); err == nil {
			return nil, s.errorf("", nil, "more rows than the %d its header announces", n)
		} else if !errors.Is(err, io.EOF) {
			return nil, err
		}
	}
	return build(vb, nil, dim, data), nil
}

// splitRow finds the word and the dim value fields of a text row. A word
// may contain spaces (as a few in the 840B GloVe vectors do) as long as
// none of its parts reads as a number; otherwise a row with extra fields
// is a dimension mismatch.
func (s *source) splitRow(line []byte, spans []span, dim int) (word []byte, vals []span, err error) {
	if len(spans) < dim+1 {
		return nil, nil, s.errorf(string(line[spans[0].start:spans[0].end]), nil, "%d values, want %d", len(spans)-1, dim)
	}
	extra := spans[1 : len(spans)-dim]
	for _, sp := range extra {
		if _, err := strconv.ParseFloat(string(line[sp.start:sp.end]), 64); err == nil {
			return nil, nil, s.errorf(string(line[spans[0].start:spans[0].end]), nil, "%d values, want %d", len(spans)-1, dim)
		}
	}
	end := spans[0].end
	if len(extra) > 0 {
		end = extra[len(extra)-1].end
	}
	return line[spans[0].start:end], spans[len(spans)-dim:], nil
}

// clip shortens b for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}
