package embed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"

	"github.com/wordspace/wordspace/internal/atomicfile"
)

// Save writes e to the file at path in format f, atomically: the file
// appears complete or not at all. With f == Auto the format is taken from
// the extension (see FormatFromPath). A path ending in ".gz" is
// compressed.
//
// The NPY format writes the matrix to path and the vocabulary to
// VocabPath(path), as a pair: both are written in full to temporary files
// before either replaces its destination (the matrix last), and the
// vocabulary ends with a line naming the matrix's row count and checksum
// (see WriteNPY), so that a reader can tell a vocabulary from a matrix it
// was not written with. An existing file at VocabPath(path) that holds
// word counts ("word count" lines, as corpus.SaveVocab and the C tool's
// -save-vocab write) is not replaced: Save returns an error before
// writing anything.
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
		return saveError(path, err)
	}
	if f == NPY {
		return e.saveNPY(path, gz)
	}
	return write(path, func(w io.Writer) error { return e.Write(w, f) })
}

// saveError prefixes err with the package name, and with path unless err
// names it already (atomicfile's errors do).
func saveError(path string, err error) error {
	var pe *fs.PathError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe) && pe.Path == path:
		return fmt.Errorf("embed: %w", err)
	}
	return fmt.Errorf("embed: save %s: %w", path, err)
}

// saveNPY writes the matrix and the vocabulary to temporary files, then
// renames the vocabulary and the matrix into place.
func (e *Embeddings) saveNPY(path string, gz bool) error {
	vpath := VocabPath(path)
	if err := checkNPYWords(e.vocab); err != nil {
		return err
	}
	if err := checkNotCounts(vpath); err != nil {
		return saveError(path, err)
	}
	var sum npyChecksum
	matrix, err := atomicfile.Prepare(path, func(w io.Writer) error {
		if !gz {
			return writeNPYMatrix(w, e, &sum)
		}
		zw := gzip.NewWriter(w)
		if err := writeNPYMatrix(zw, e, &sum); err != nil {
			return err
		}
		return zw.Close()
	})
	if err != nil {
		return saveError(path, err)
	}
	defer matrix.Discard()
	// The vocabulary is never compressed: it is small, and tools read it as text.
	vocab, err := atomicfile.Prepare(vpath, func(w io.Writer) error { return writeVocab(w, e.vocab, &sum) })
	if err != nil {
		return saveError(vpath, err)
	}
	defer vocab.Discard()
	if err := vocab.Commit(); err != nil {
		return saveError(vpath, err)
	}
	if err := matrix.Commit(); err != nil {
		return saveError(path, err)
	}
	return nil
}

// checkNotCounts returns an error if the file at path exists and holds a
// vocabulary with counts in the C tool's "word count" format, which an
// .npy vocabulary must not replace.
func checkNotCounts(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // absent (or unreadable: the save will say)
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if n == len(head) { // judge whole lines only
		if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
			head = head[:i+1]
		}
	}
	lines := 0
	for _, line := range bytes.Split(head, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			continue
		}
		word, count, ok := bytes.Cut(line, []byte(" "))
		if !ok || len(word) == 0 || bytes.IndexByte(line, '\t') >= 0 {
			return nil
		}
		if _, err := strconv.ParseUint(string(count), 10, 63); err != nil {
			return nil
		}
		lines++
	}
	if lines == 0 {
		return nil
	}
	return fmt.Errorf("%s holds word counts (\"word count\" lines, as -save-vocab writes), not an .npy vocabulary: not replacing it; remove it or save elsewhere", path)
}

// Write writes e to w in format f (Text, Binary or GloVe; the NPY format
// needs two files, see WriteNPY). Words containing white space cannot be
// represented in these formats and are refused. Text values are written
// in the fewest digits that read back as the same float32; WriteWith can
// round them instead.
func (e *Embeddings) Write(w io.Writer, f Format) error {
	return e.WriteWith(w, f, WriteOptions{})
}

// WriteOptions say how WriteWith writes vectors.
type WriteOptions struct {
	// Digits is the number of significant digits of each value in the
	// text formats (Text and GloVe), rounded; 0 means the fewest digits
	// that read back as the same float32, which loses nothing. fastText
	// writes its .vec files and print-word-vectors' output with 5, so
	// that files compared with fastText's are rounded alike. Binary
	// ignores it.
	Digits int
}

// WriteWith is Write with options.
func (e *Embeddings) WriteWith(w io.Writer, f Format, opts WriteOptions) error {
	if opts.Digits < 0 || opts.Digits > 17 {
		return fmt.Errorf("embed: write: %d significant digits: must be 0 (exact) to 17", opts.Digits)
	}
	prec := -1
	if opts.Digits > 0 {
		prec = opts.Digits
	}
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
				buf = strconv.AppendFloat(buf, float64(v), 'g', prec, 32)
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
// tab and the count when the vocabulary has counts), then a last line
// that ties the vocabulary to the matrix:
//
//	<TAB>#wordspace-npy rows=<Len> crc32c=<8 hex digits>
//
// The checksum is CRC-32C (Castagnoli) of the .npy stream as written
// (before any compression). The line starts with a tab, which no word line
// can (words are not empty), so readers that take the first Len lines as
// the words are not misled; ReadNPY checks it when it is there.
func (e *Embeddings) WriteNPY(matrix, vocab io.Writer) error {
	if err := checkNPYWords(e.vocab); err != nil {
		return err
	}
	var sum npyChecksum
	if err := writeNPYMatrix(matrix, e, &sum); err != nil {
		return err
	}
	return writeVocab(vocab, e.vocab, &sum)
}

// npyChecksum is what the last line of an .npy vocabulary records about
// its matrix.
type npyChecksum struct {
	rows int
	crc  uint32
}

// npyTrailer starts the last line of an .npy vocabulary written by WriteNPY.
const npyTrailer = "\t#wordspace-npy "

func (c npyChecksum) line() string {
	return fmt.Sprintf("%srows=%d crc32c=%08x\n", npyTrailer, c.rows, c.crc)
}

// parseNPYTrailer parses the last line of an .npy vocabulary (without its
// line break); ok is false when line is not one.
func parseNPYTrailer(line []byte) (c npyChecksum, ok bool, err error) {
	rest, found := bytes.CutPrefix(line, []byte(npyTrailer))
	if !found {
		return c, false, nil
	}
	if _, err := fmt.Sscanf(string(rest), "rows=%d crc32c=%08x", &c.rows, &c.crc); err != nil || c.line() != string(line)+"\n" {
		return c, true, fmt.Errorf("malformed last line %q", clip(line))
	}
	return c, true, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func writeNPYMatrix(w io.Writer, e *Embeddings, sum *npyChecksum) error {
	rows := make([][]float32, e.Len())
	for i := range rows {
		rows[i] = e.Row(i)
	}
	if len(rows) == 0 {
		return fmt.Errorf("embed: write npy: no words")
	}
	crc := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 64<<10)
	if err := npy.Write(bw, rows); err != nil {
		return fmt.Errorf("embed: write npy: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	*sum = npyChecksum{rows: len(rows), crc: crc.Sum32()}
	return nil
}

// checkNPYWords refuses words an .npy vocabulary file cannot hold.
func checkNPYWords(v *Vocab) error {
	for i, word := range v.words {
		if strings.ContainsAny(word, "\t\n\r") {
			return fmt.Errorf("embed: write vocabulary: word %d %q contains a tab or line break", i, word)
		}
	}
	return nil
}

func writeVocab(w io.Writer, v *Vocab, sum *npyChecksum) error {
	if err := checkNPYWords(v); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for i, word := range v.words {
		bw.WriteString(word)
		if v.counts != nil {
			bw.WriteByte('\t')
			bw.WriteString(strconv.FormatInt(v.counts[i], 10))
		}
		bw.WriteByte('\n')
	}
	bw.WriteString(sum.line())
	return bw.Flush()
}
