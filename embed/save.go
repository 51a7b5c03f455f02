package embed

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"

	"github.com/wordspace/wordspace/internal/atomicfile"
)

// Save writes e to the file at path in format f, atomically: the file
// appears complete or not at all. With f == Auto the format is taken from
// the extension (see FormatFromPath). A path ending in ".gz" is
// compressed. The NPY format writes the matrix to path and the vocabulary
// to VocabPath(path).
func (e *Embeddings) Save(path string, f Format) error {
	if f == Auto {
		if f = FormatFromPath(path); f == Auto {
			return fmt.Errorf("embed: save %s: cannot tell the format from the name; give one", path)
		}
	}
	gz := strings.HasSuffix(path, ".gz")
	write := func(path string, fn func(io.Writer) error) error {
		err := atomicfile.Write(path, func(w io.Writer) error {
			if !gz {
				return fn(w)
			}
			zw := gzip.NewWriter(w)
			if err := fn(zw); err != nil {
				return err
			}
			return zw.Close()
		})
		if err != nil {
			return fmt.Errorf("embed: save %s: %w", path, err)
		}
		return nil
	}
	if f == NPY {
		// The vocabulary is never compressed: it is small, and tools read it as text.
		if err := atomicfile.Write(VocabPath(path), func(w io.Writer) error { return writeVocab(w, e.vocab) }); err != nil {
			return fmt.Errorf("embed: save %s: %w", VocabPath(path), err)
		}
		return write(path, func(w io.Writer) error { return writeNPYMatrix(w, e) })
	}
	return write(path, func(w io.Writer) error { return e.Write(w, f) })
}

// Write writes e to w in format f (Text, Binary or GloVe; the NPY format
// needs two files, see WriteNPY). Words containing white space cannot be
// represented in these formats and are refused.
func (e *Embeddings) Write(w io.Writer, f Format) error {
	switch f {
	case Text, Binary, GloVe:
	case NPY:
		return fmt.Errorf("embed: write: the npy format needs a matrix and a vocabulary file: use WriteNPY or Save")
	default:
		return fmt.Errorf("embed: write: cannot write format %v", f)
	}
	for i, word := range e.vocab.words {
		if word == "" || strings.ContainsAny(word, " \t\n\r\v\f") {
			return fmt.Errorf("embed: write %s: word %d %q is empty or contains white space", f.describe(), i, word)
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if f != GloVe {
		fmt.Fprintf(bw, "%d %d\n", e.Len(), e.dim)
	}
	buf := make([]byte, 0, min(16*e.dim+MaxWordLen, 1<<20)) // grows for longer rows
	for i, word := range e.vocab.words {
		buf = append(buf[:0], word...)
		row := e.Row(i)
		if f == Binary {
			buf = append(buf, ' ')
			for _, v := range row {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
		} else {
			for _, v := range row {
				buf = append(buf, ' ')
				buf = strconv.AppendFloat(buf, float64(v), 'g', -1, 32)
			}
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteNPY writes e's matrix to matrix as a float32 .npy array of shape
// (Len, Dim) and its vocabulary to vocab, one word a line (followed by a
// tab and the count when the vocabulary has counts).
func (e *Embeddings) WriteNPY(matrix, vocab io.Writer) error {
	if err := writeVocab(vocab, e.vocab); err != nil {
		return err
	}
	return writeNPYMatrix(matrix, e)
}

func writeNPYMatrix(w io.Writer, e *Embeddings) error {
	rows := make([][]float32, e.Len())
	for i := range rows {
		rows[i] = e.Row(i)
	}
	if len(rows) == 0 {
		return fmt.Errorf("embed: write npy: no words")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := npy.Write(bw, rows); err != nil {
		return fmt.Errorf("embed: write npy: %w", err)
	}
	return bw.Flush()
}

func writeVocab(w io.Writer, v *Vocab) error {
	bw := bufio.NewWriter(w)
	for i, word := range v.words {
		if strings.ContainsAny(word, "\t\n\r") {
			return fmt.Errorf("embed: write vocabulary: word %d %q contains a tab or line break", i, word)
		}
		bw.WriteString(word)
		if v.counts != nil {
			bw.WriteByte('\t')
			bw.WriteString(strconv.FormatInt(v.counts[i], 10))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
