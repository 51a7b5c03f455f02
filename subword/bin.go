package subword

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/internal/readfile"
)

// The file layout, as fastText 0.9.2 writes it (all numbers little-endian,
// as fastText writes them on the machines it runs on):
//
//	int32 magic 793712314, int32 version 12
//	args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model,
//	      bucket, minn, maxn, lrUpdateRate; float64 t
//	dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx_size;
//	      size entries of (bytes, 0, int64 count, int8 type: 0 word,
//	      1 label), words first; pruneidx_size pairs of int32
//	uint8 quantised input (1 in .ftz files)
//	input matrix: int64 rows (nwords+bucket), int64 cols (dim), float32s
//	uint8 quantised output
//	output matrix: int64 rows, int64 cols, float32s
const (
	magic   = 793712314
	version = 12
)

// maxEntryLen bounds a dictionary entry's length in bytes: fastText has no
// limit of its own, but a longer "word" means the file is not a model.
const maxEntryLen = 1 << 16

// entryMin is the fewest bytes a dictionary entry takes: a one-byte word,
// its terminating zero, the count and the type.
const entryMin = 1 + 1 + 8 + 1

// Load reads a fastText model from the file at path (the .bin that
// `fasttext skipgram`, `cbow` or `supervised` writes). Errors about the
// content are *FormatError, wrapped with the path.
func Load(path string) (*Model, error) {
	return readfile.Read("subword", path, Read)
}

// Read reads a fastText model from r. Every size the file states is
// checked against what r holds (when r can tell: a file, a bytes.Reader)
// before anything is allocated for it; from a stream of unknown size the
// matrices grow as their bytes arrive. Quantised models (.ftz) are
// refused with an error matching ErrQuantized.
func Read(r io.Reader) (*Model, error) {
	size := readfile.Remaining(r)
	bufSize := maxEntryLen + 16 // room for the longest word
	if size > 64<<20 {
		bufSize = 1 << 20 // fewer reads of a big file
	}
	br := &binReader{r: bufio.NewReaderSize(r, bufSize), size: size}
	m, err := br.model()
	if err != nil {
		var fe *FormatError
		if !errors.As(err, &fe) {
			err = br.fail("", err)
		}
		return nil, err
	}
	return m, nil
}

type binReader struct {
	r    *bufio.Reader
	off  int64
	size int64 // bytes r held at the start, -1 if unknown
	part string
	word string
	buf  [8]byte
}

// fail returns a *FormatError at the current offset.
func (b *binReader) fail(msg string, err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &FormatError{Offset: b.off, Part: b.part, Word: b.word, Msg: msg, Err: err}
}

// fits reports whether n more bytes can follow, as far as is known.
func (b *binReader) fits(n int64) bool { return n >= 0 && (b.size < 0 || n <= b.size-b.off) }

func (b *binReader) read(n int) ([]byte, error) {
	k, err := io.ReadFull(b.r, b.buf[:n])
	b.off += int64(k)
	if err != nil {
		return nil, b.fail("file cut short", err)
	}
	return b.buf[:n], nil
}

func (b *binReader) int32() (int32, error) {
	p, err := b.read(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.LittleEndian.Uint32(p)), nil
}

func (b *binReader) int64() (int64, error) {
	p, err := b.read(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(p)), nil
}

func (b *binReader) byte() (byte, error) {
	c, err := b.r.ReadByte()
	if err != nil {
		return 0, b.fail("file cut short", err)
	}
	b.off++
	return c, nil
}

func (b *binReader) model() (*Model, error) {
	b.part = "header"
	mg, err := b.int32()
	if err != nil {
		return nil, err
	}
	if mg != magic {
		b.off = 0
		return nil, b.fail(fmt.Sprintf("magic number %d, want %d: not a fastText model (a .vec file of vectors is text: read it with package embed)", mg, magic), nil)
	}
	v, err := b.int32()
	if err != nil {
		return nil, err
	}
	if v != 11 && v != version {
		b.off -= 4
		return nil, b.fail(fmt.Sprintf("version %d: only fastText's versions 11 and 12 are known", v), nil)
	}
	args, err := b.args()
	if err != nil {
		return nil, err
	}
	if v == 11 && args.Method == Supervised {
		args.MaxN = 0 // as fastText reads them: version 11's classifiers had no character n-grams
	}
	m := &Model{args: args}
	if err := b.dictionary(m); err != nil {
		return nil, err
	}
	b.part, b.word = "input matrix", ""
	if m.in, err = b.matrix(int64(m.vocab.Len())+int64(args.Bucket), args.Dim, 1+16); err != nil {
		return nil, err
	}
	b.part = "output matrix"
	if m.out, err = b.matrix(-1, args.Dim, 0); err != nil {
		return nil, err
	}
	b.part = ""
	if _, err := b.r.ReadByte(); err != io.EOF {
		return nil, b.fail("data after the output matrix", err)
	}
	return m, nil
}

func (b *binReader) args() (Args, error) {
	b.part = "arguments"
	var v [12]int32
	for i := range v {
		x, err := b.int32()
		if err != nil {
			return Args{}, err
		}
		v[i] = x
	}
	t, err := b.int64()
	if err != nil {
		return Args{}, err
	}
	a := Args{
		Dim: int(v[0]), Window: int(v[1]), Epochs: int(v[2]), MinCount: int(v[3]), Negative: int(v[4]),
		WordNgrams: int(v[5]), Loss: Loss(v[6]), Method: Method(v[7]), Bucket: int(v[8]),
		MinN: int(v[9]), MaxN: int(v[10]), LRUpdateRate: int(v[11]),
		Sample: math.Float64frombits(uint64(t)),
	}
	if err := a.check(); err != nil {
		return Args{}, b.fail(err.Error(), nil)
	}
	return a, nil
}

func (b *binReader) dictionary(m *Model) error {
	b.part = "dictionary"
	var counts [3]int32
	for i := range counts {
		x, err := b.int32()
		if err != nil {
			return err
		}
		counts[i] = x
	}
	size, nwords, nlabels := int(counts[0]), int(counts[1]), int(counts[2])
	if size < 0 || nwords < 0 || nlabels < 0 || nwords+nlabels != size {
		return b.fail(fmt.Sprintf("%d entries are not %d words and %d labels", size, nwords, nlabels), nil)
	}
	ntokens, err := b.int64()
	if err != nil {
		return err
	}
	if ntokens < 0 {
		return b.fail(fmt.Sprintf("negative token count %d", ntokens), nil)
	}
	m.ntokens = ntokens
	prune, err := b.int64()
	if err != nil {
		return err
	}
	if !b.fits(int64(size) * entryMin) {
		return b.fail(fmt.Sprintf("%d entries do not fit in the %d bytes left", size, b.size-b.off), io.ErrUnexpectedEOF)
	}
	capacity := nwords
	if b.size < 0 {
		capacity = min(nwords, 1<<16) // grow as entries arrive
	}
	words := make([]string, 0, capacity)
	wcounts := make([]int64, 0, capacity)
	var line []byte
	for i := range size {
		b.word = ""
		line, err = b.r.ReadSlice(0)
		b.off += int64(len(line))
		if errors.Is(err, bufio.ErrBufferFull) || len(line) > maxEntryLen {
			return b.fail(fmt.Sprintf("entry %d is longer than %d bytes", i, maxEntryLen), nil)
		}
		if err != nil {
			return b.fail(fmt.Sprintf("entry %d", i), err)
		}
		w := string(line[:len(line)-1])
		b.word = w
		if w == "" {
			return b.fail(fmt.Sprintf("entry %d is empty", i), nil)
		}
		c, err := b.int64()
		if err != nil {
			return err
		}
		if c < 0 {
			return b.fail(fmt.Sprintf("negative count %d", c), nil)
		}
		typ, err := b.byte()
		if err != nil {
			return err
		}
		if want := byte(0); i >= nwords {
			if want = 1; typ != want {
				return b.fail(fmt.Sprintf("entry %d has type %d where a label (1) should be", i, typ), nil)
			}
			m.labels = append(m.labels, w)
			m.labelCounts = append(m.labelCounts, c)
			continue
		} else if typ != want {
			return b.fail(fmt.Sprintf("entry %d has type %d where a word (0) should be", i, typ), nil)
		}
		words = append(words, w)
		wcounts = append(wcounts, c)
	}
	b.word = ""
	if m.vocab, err = embed.NewVocab(words, wcounts); err != nil {
		return b.fail("", err)
	}
	if prune >= 0 {
		// Only quantisation prunes a dictionary: say so rather than
		// read on to the quantised matrix.
		return b.fail("pruned dictionary", ErrQuantized)
	}
	if prune != -1 {
		return b.fail(fmt.Sprintf("prune index size %d", prune), nil)
	}
	return nil
}

// matrix reads a quantisation flag and a dense matrix of rows × cols
// float32s (rows -1: any number), with at least after bytes left behind
// it.
func (b *binReader) matrix(rows int64, cols int, after int64) ([]float32, error) {
	q, err := b.byte()
	if err != nil {
		return nil, err
	}
	switch q {
	case 0:
	case 1:
		return nil, b.fail("", ErrQuantized)
	default:
		return nil, b.fail(fmt.Sprintf("quantisation flag %d is neither 0 nor 1", q), nil)
	}
	m, err := b.int64()
	if err != nil {
		return nil, err
	}
	n, err := b.int64()
	if err != nil {
		return nil, err
	}
	switch {
	case n != int64(cols):
		return nil, b.fail(fmt.Sprintf("%d columns, want the dimension %d", n, cols), nil)
	case rows >= 0 && m != rows:
		return nil, b.fail(fmt.Sprintf("%d rows, want %d (words + buckets)", m, rows), nil)
	case m < 0 || m > math.MaxInt64/4/max(n, 1) || !b.fits(m*n*4+after):
		return nil, b.fail(fmt.Sprintf("%d×%d matrix does not fit in the %d bytes left", m, n, b.size-b.off), io.ErrUnexpectedEOF)
	}
	total := m * n
	if int64(int(total)) != total {
		return nil, b.fail(fmt.Sprintf("%d×%d matrix is too large for this machine", m, n), nil)
	}
	data := make([]float32, 0, min(total, 1<<14))
	if b.size >= 0 {
		data = make([]float32, 0, total) // checked against the file size above
	}
	var chunk [4096]byte
	for int64(len(data)) < total {
		k := int(min(int64(len(chunk)), (total-int64(len(data)))*4))
		got, err := io.ReadFull(b.r, chunk[:k])
		b.off += int64(got)
		if err != nil {
			return nil, b.fail("file cut short", err)
		}
		for i := 0; i < k; i += 4 {
			v := math.Float32frombits(binary.LittleEndian.Uint32(chunk[i:]))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				b.off -= int64(k - i)
				return nil, b.fail(fmt.Sprintf("row %d", int64(len(data))/n), embed.ErrNotFinite)
			}
			data = append(data, v)
		}
	}
	return data, nil
}

// Save writes m to the file at path in fastText's .bin format, atomically:
// the file appears complete or not at all.
func (m *Model) Save(path string) error {
	if err := atomicfile.Write(path, m.Write); err != nil {
		return fmt.Errorf("subword: %w", err)
	}
	return nil
}

// Write writes m to w in fastText's .bin format, which `fasttext
// print-word-vectors`, `nn` and gensim's load_facebook_model read.
func (m *Model) Write(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf bytes.Buffer
	le := binary.LittleEndian
	put32 := func(v int32) { buf.Write(le.AppendUint32(nil, uint32(v))) }
	put64 := func(v int64) { buf.Write(le.AppendUint64(nil, uint64(v))) }
	a := m.args
	put32(magic)
	put32(version)
	for _, v := range []int{a.Dim, a.Window, a.Epochs, a.MinCount, a.Negative, a.WordNgrams, int(a.Loss), int(a.Method), a.Bucket, a.MinN, a.MaxN, a.LRUpdateRate} {
		put32(int32(v))
	}
	put64(int64(math.Float64bits(a.Sample)))
	nw := m.vocab.Len()
	put32(int32(nw + len(m.labels)))
	put32(int32(nw))
	put32(int32(len(m.labels)))
	put64(m.ntokens)
	put64(-1) // not pruned
	if _, err := bw.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("subword: write: %w", err)
	}
	counts := m.vocab.Counts()
	entry := func(word string, count int64, typ byte) error {
		buf.Reset()
		buf.WriteString(word)
		buf.WriteByte(0)
		put64(count)
		buf.WriteByte(typ)
		_, err := bw.Write(buf.Bytes())
		return err
	}
	for i, word := range m.vocab.Words() {
		var c int64
		if counts != nil {
			c = counts[i]
		}
		if err := entry(word, c, 0); err != nil {
			return fmt.Errorf("subword: write: %w", err)
		}
	}
	for i, l := range m.labels {
		if err := entry(l, m.labelCounts[i], 1); err != nil {
			return fmt.Errorf("subword: write: %w", err)
		}
	}
	for _, data := range [][]float32{m.in, m.out} {
		buf.Reset()
		buf.WriteByte(0) // not quantised
		put64(int64(len(data) / a.Dim))
		put64(int64(a.Dim))
		if _, err := bw.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("subword: write: %w", err)
		}
		if err := writeFloats(bw, data); err != nil {
			return fmt.Errorf("subword: write: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("subword: write: %w", err)
	}
	return nil
}

func writeFloats(w io.Writer, data []float32) error {
	var chunk [1 << 14]byte
	for len(data) > 0 {
		n := min(len(data), len(chunk)/4)
		for i, v := range data[:n] {
			binary.LittleEndian.PutUint32(chunk[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(chunk[:4*n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}
