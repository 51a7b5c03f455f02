package ppmi

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"sort"

	"github.com/james-bowman/sparse"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/internal/readfile"
)

// Cooccurrence is a word–context count matrix: row i and column i both
// stand for word i of the vocabulary, and entry (i, j) is how often word j
// occurred in the window of word i, weighted by distance.
type Cooccurrence struct {
	vocab  *embed.Vocab
	counts *sparse.CSR
	info   CountInfo
}

// CountInfo records how a matrix was counted.
type CountInfo struct {
	Corpus    string    `json:"corpus,omitempty"`
	Window    int       `json:"window,omitempty"`
	Weighting Weighting `json:"weighting"`
	Subsample float64   `json:"subsample,omitempty"`
	Seed      uint64    `json:"seed,omitempty"`
	// Tokens is the number of vocabulary tokens counted, after
	// subsampling.
	Tokens int64 `json:"tokens,omitempty"`
}

// MarshalText names the weighting, for CountInfo's JSON form.
func (w Weighting) MarshalText() ([]byte, error) {
	if w < Uniform || w > Harmonic {
		return nil, fmt.Errorf("ppmi: unknown weighting %d", int(w))
	}
	return []byte(w.String()), nil
}

// UnmarshalText parses a weighting name.
func (w *Weighting) UnmarshalText(b []byte) error {
	v, err := ParseWeighting(string(b))
	if err == nil {
		*w = v
	}
	return err
}

// NewCooccurrence wraps a count matrix built elsewhere. counts must be
// vocab.Len() × vocab.Len() with finite, non-negative values. The matrix
// is kept, not copied; the columns of each row are sorted in place if they
// are not in order already.
func NewCooccurrence(vocab *embed.Vocab, counts *sparse.CSR, info CountInfo) (*Cooccurrence, error) {
	if vocab == nil {
		return nil, errors.New("ppmi: nil vocabulary")
	}
	if counts == nil {
		return nil, errors.New("ppmi: nil count matrix")
	}
	r, c := counts.Dims()
	if r != vocab.Len() || c != vocab.Len() {
		return nil, fmt.Errorf("ppmi: %d×%d count matrix for a vocabulary of %d words", r, c, vocab.Len())
	}
	if err := checkCSR(counts, false); err != nil {
		return nil, err
	}
	if err := checkCounts(counts); err != nil {
		return nil, err
	}
	if err := sortRows(counts); err != nil {
		return nil, err
	}
	return &Cooccurrence{vocab: vocab, counts: counts, info: info}, nil
}

// checkCSR verifies the structure of m: row pointers, column ranges and,
// with sorted, strictly increasing columns within each row.
func checkCSR(m *sparse.CSR, sorted bool) error {
	raw := m.RawMatrix()
	if raw.I < 0 || raw.J < 0 || len(raw.Indptr) != raw.I+1 || raw.Indptr[0] != 0 || raw.Indptr[raw.I] != len(raw.Ind) || len(raw.Ind) != len(raw.Data) {
		return errors.New("ppmi: malformed CSR matrix")
	}
	for i := range raw.I {
		if raw.Indptr[i] > raw.Indptr[i+1] {
			return fmt.Errorf("ppmi: malformed CSR matrix: row %d ends before it starts", i)
		}
	}
	for i := range raw.I {
		prev := -1
		for _, j := range raw.Ind[raw.Indptr[i]:raw.Indptr[i+1]] {
			if j < 0 || j >= raw.J || (sorted && j <= prev) {
				return fmt.Errorf("ppmi: row %d: column %d out of order or range", i, j)
			}
			prev = j
		}
	}
	return nil
}

// checkCounts verifies that every stored value is a finite, non-negative
// count.
func checkCounts(m *sparse.CSR) error {
	raw := m.RawMatrix()
	for i := range raw.I {
		for k := raw.Indptr[i]; k < raw.Indptr[i+1]; k++ {
			if v := raw.Data[k]; !(v >= 0) || math.IsInf(v, 1) {
				return fmt.Errorf("ppmi: entry (%d, %d) = %v is not a finite non-negative count", i, raw.Ind[k], v)
			}
		}
	}
	return nil
}

// sortRows puts the columns of every row of m in increasing order, in
// place (sparse's DOK.ToCSR, for one, leaves them in map order), and
// reports a column stored twice.
func sortRows(m *sparse.CSR) error {
	raw := m.RawMatrix()
	for i := range raw.I {
		lo, hi := raw.Indptr[i], raw.Indptr[i+1]
		sort.Sort(rowSorter{raw.Ind[lo:hi], raw.Data[lo:hi]})
		for k := lo + 1; k < hi; k++ {
			if raw.Ind[k] == raw.Ind[k-1] {
				return fmt.Errorf("ppmi: row %d: column %d stored twice", i, raw.Ind[k])
			}
		}
	}
	return nil
}

type rowSorter struct {
	ind  []int
	data []float64
}

func (r rowSorter) Len() int           { return len(r.ind) }
func (r rowSorter) Less(a, b int) bool { return r.ind[a] < r.ind[b] }
func (r rowSorter) Swap(a, b int) {
	r.ind[a], r.ind[b] = r.ind[b], r.ind[a]
	r.data[a], r.data[b] = r.data[b], r.data[a]
}

// Vocab returns the vocabulary of rows and columns.
func (c *Cooccurrence) Vocab() *embed.Vocab { return c.vocab }

// Counts returns the count matrix, shared, not copied.
func (c *Cooccurrence) Counts() *sparse.CSR { return c.counts }

// Info returns how the matrix was counted.
func (c *Cooccurrence) Info() CountInfo { return c.info }

// At returns the count of the pair (a, b), 0 if it never occurred.
func (c *Cooccurrence) At(a, b string) (float64, error) {
	i, ok := c.vocab.Index(a)
	if !ok {
		return 0, &embed.UnknownWordError{Word: a}
	}
	j, ok := c.vocab.Index(b)
	if !ok {
		return 0, &embed.UnknownWordError{Word: b}
	}
	return c.counts.At(i, j), nil
}

// The file format of Write, little-endian:
//
//	magic      8 bytes "WSCOOC\x00\x01" (the last byte is the version)
//	n          uint64   rows = columns = vocabulary size
//	nnz        uint64   stored entries
//	infoLen    uint32   then infoLen bytes of CountInfo as JSON
//	hasCounts  uint8    1 if every word carries a corpus count
//	vocabulary n × (uvarint length, word bytes[, uvarint count])
//	indptr     (n+1) × uint64, indptr[0] = 0, non-decreasing, indptr[n] = nnz
//	columns    nnz × uint32, strictly increasing within a row
//	values     nnz × float64
//	checksum   uint32, CRC-32C (Castagnoli) of every byte before it
const (
	fileMagic   = "WSCOOC\x00\x01"
	maxInfoLen  = 1 << 20
	maxWordLen  = 1 << 16
	maxVocabLen = math.MaxInt32
)

// ErrFormat is matched (with errors.Is) by every error about a file that
// is not a valid count matrix; a *FormatError says where the problem is.
var ErrFormat = errors.New("not a valid co-occurrence file")

// FormatError describes a malformed count matrix: the byte offset where
// the problem was found and what it is.
type FormatError struct {
	Offset int64
	Msg    string
	Err    error // underlying cause, such as io.ErrUnexpectedEOF; may be nil
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("ppmi: byte %d: %s", e.Offset, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s + ": " + ErrFormat.Error()
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

// Write writes the matrix to w in the format described above.
func (c *Cooccurrence) Write(w io.Writer) error {
	crc := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)
	info, err := json.Marshal(c.info)
	if err != nil {
		return fmt.Errorf("ppmi: %w", err)
	}
	raw := c.counts.RawMatrix()
	n := c.vocab.Len()
	var buf [binary.MaxVarintLen64]byte
	bw.WriteString(fileMagic)
	bw.Write(binary.LittleEndian.AppendUint64(buf[:0], uint64(n)))
	bw.Write(binary.LittleEndian.AppendUint64(buf[:0], uint64(len(raw.Data))))
	bw.Write(binary.LittleEndian.AppendUint32(buf[:0], uint32(len(info))))
	bw.Write(info)
	has := c.vocab.HasCounts()
	if has {
		bw.WriteByte(1)
	} else {
		bw.WriteByte(0)
	}
	for i, word := range c.vocab.Words() {
		bw.Write(binary.AppendUvarint(buf[:0], uint64(len(word))))
		bw.WriteString(word)
		if has {
			bw.Write(binary.AppendUvarint(buf[:0], uint64(c.vocab.Count(i))))
		}
	}
	for _, p := range raw.Indptr {
		bw.Write(binary.LittleEndian.AppendUint64(buf[:0], uint64(p)))
	}
	for _, j := range raw.Ind {
		bw.Write(binary.LittleEndian.AppendUint32(buf[:0], uint32(j)))
	}
	for _, v := range raw.Data {
		bw.Write(binary.LittleEndian.AppendUint64(buf[:0], math.Float64bits(v)))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ppmi: writing counts: %w", err)
	}
	_, err = w.Write(binary.LittleEndian.AppendUint32(buf[:0], crc.Sum32()))
	if err != nil {
		return fmt.Errorf("ppmi: writing counts: %w", err)
	}
	return nil
}

// Save writes the matrix to path atomically: on error the file is left as
// it was. An existing device or pipe (/dev/stdout, a FIFO) is written in
// place.
func (c *Cooccurrence) Save(path string) error {
	return atomicfile.Write(path, c.Write)
}

// Load reads a matrix written by Save.
func Load(path string) (*Cooccurrence, error) {
	return readfile.Read("ppmi", path, Read)
}

// Read reads a matrix in the format of Write. It checks every structural
// invariant and the checksum, and allocates memory only as the data
// actually arrives, so a corrupt or hostile header cannot make it allocate
// more than the input holds.
func Read(r io.Reader) (*Cooccurrence, error) {
	d := &decoder{r: bufio.NewReaderSize(r, 1<<16), crc: crc32.New(crc32.MakeTable(crc32.Castagnoli))}
	c, err := d.read()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, &FormatError{Offset: d.off, Msg: "truncated", Err: io.ErrUnexpectedEOF}
	}
	return c, err
}

// decoder reads the sections of a count file in order, checksumming every
// byte and counting the offset for error messages.
type decoder struct {
	r   *bufio.Reader
	crc hash.Hash32
	off int64
	buf [8]byte
	at  int64 // where the item being checked starts
}

func (d *decoder) errorf(format string, args ...any) error {
	return &FormatError{Offset: d.at, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) full(b []byte) error {
	n, err := io.ReadFull(d.r, b)
	d.off += int64(n)
	d.crc.Write(b[:n])
	return err
}

func (d *decoder) u64() (uint64, error) {
	d.at = d.off
	err := d.full(d.buf[:8])
	return binary.LittleEndian.Uint64(d.buf[:8]), err
}

func (d *decoder) u32() (uint32, error) {
	d.at = d.off
	err := d.full(d.buf[:4])
	return binary.LittleEndian.Uint32(d.buf[:4]), err
}

func (d *decoder) ReadByte() (byte, error) {
	b, err := d.r.ReadByte()
	if err == nil {
		d.off++
		d.crc.Write([]byte{b})
	}
	return b, err
}

func (d *decoder) uvarint() (uint64, error) {
	d.at = d.off
	v, err := binary.ReadUvarint(d)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		err = d.errorf("bad varint")
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return v, err
}

// chunk is how many elements are allocated at a time while reading arrays
// whose length comes from the header.
const chunk = 1 << 16

// header is what a count file says before its data.
type header struct {
	n, nnz    int
	info      CountInfo
	hasCounts bool
}

func (d *decoder) read() (*Cooccurrence, error) {
	h, err := d.header()
	if err != nil {
		return nil, err
	}
	vocab, err := d.vocab(h.n, h.hasCounts)
	if err != nil {
		return nil, err
	}
	indptr, err := d.indptr(h.n, h.nnz)
	if err != nil {
		return nil, err
	}
	ind, err := d.columns(indptr, h.n, h.nnz)
	if err != nil {
		return nil, err
	}
	data, err := d.values(h.nnz)
	if err != nil {
		return nil, err
	}
	if err := d.checksum(); err != nil {
		return nil, err
	}
	return &Cooccurrence{vocab: vocab, counts: sparse.NewCSR(h.n, h.n, indptr, ind, data), info: h.info}, nil
}

// header reads the magic, the sizes, the info block and the counts flag.
func (d *decoder) header() (header, error) {
	var h header
	magic := make([]byte, len(fileMagic))
	if err := d.full(magic); err != nil {
		return h, err
	}
	if string(magic[:6]) != fileMagic[:6] {
		return h, d.errorf("bad magic %q", magic)
	}
	if magic[7] != fileMagic[7] || magic[6] != 0 {
		return h, d.errorf("unsupported version %d", magic[7])
	}
	n64, err := d.u64()
	if err != nil {
		return h, err
	}
	if n64 == 0 || n64 > maxVocabLen {
		return h, d.errorf("vocabulary size %d out of range", n64)
	}
	nnz64, err := d.u64()
	if err != nil {
		return h, err
	}
	if nnz64 > n64*n64 || nnz64 > math.MaxInt64/16 {
		return h, d.errorf("%d entries in a %d×%d matrix", nnz64, n64, n64)
	}
	h.n, h.nnz = int(n64), int(nnz64)
	infoLen, err := d.u32()
	if err != nil {
		return h, err
	}
	if infoLen > maxInfoLen {
		return h, d.errorf("info block of %d bytes", infoLen)
	}
	d.at = d.off
	infoBytes, err := d.bytes(int(infoLen))
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(infoBytes, &h.info); err != nil {
		return h, d.errorf("info block: %v", err)
	}
	d.at = d.off
	has, err := d.ReadByte()
	if err != nil {
		return h, err
	}
	if has > 1 {
		return h, d.errorf("bad counts flag %d", has)
	}
	h.hasCounts = has == 1
	return h, nil
}

// vocab reads the n words, with their counts when the file has them.
func (d *decoder) vocab(n int, hasCounts bool) (*embed.Vocab, error) {
	words := make([]string, 0, min(n, chunk))
	var counts []int64
	if hasCounts {
		counts = make([]int64, 0, min(n, chunk))
	}
	for i := range n {
		l, err := d.uvarint()
		if err != nil {
			return nil, err
		}
		if l == 0 || l > maxWordLen {
			return nil, d.errorf("word %d has length %d", i, l)
		}
		w, err := d.bytes(int(l))
		if err != nil {
			return nil, err
		}
		words = append(words, string(w))
		if hasCounts {
			c, err := d.uvarint()
			if err != nil {
				return nil, err
			}
			if c > math.MaxInt64 {
				return nil, d.errorf("word %q has count %d", w, c)
			}
			counts = append(counts, int64(c))
		}
	}
	vocab, err := embed.NewVocab(words, counts)
	if err != nil {
		return nil, &FormatError{Offset: d.off, Msg: "vocabulary", Err: err}
	}
	return vocab, nil
}

// indptr reads the n+1 row pointers: from 0, non-decreasing, to nnz.
func (d *decoder) indptr(n, nnz int) ([]int, error) {
	indptr := make([]int, 0, min(n+1, chunk))
	for i := 0; i <= n; i++ {
		p, err := d.u64()
		if err != nil {
			return nil, err
		}
		if p > uint64(nnz) || (i == 0 && p != 0) || (i > 0 && int(p) < indptr[i-1]) || (i == n && p != uint64(nnz)) {
			return nil, d.errorf("row pointer %d = %d is inconsistent", i, p)
		}
		indptr = append(indptr, int(p))
	}
	return indptr, nil
}

// columns reads the nnz column indices, strictly increasing in each row.
func (d *decoder) columns(indptr []int, n, nnz int) ([]int, error) {
	ind := make([]int, 0, min(nnz, chunk))
	row := 0
	for k := range nnz {
		for indptr[row+1] == k {
			row++
		}
		j, err := d.u32()
		if err != nil {
			return nil, err
		}
		if int(j) >= n || (k > indptr[row] && int(j) <= ind[k-1]) {
			return nil, d.errorf("row %d: column %d out of order or range", row, j)
		}
		ind = append(ind, int(j))
	}
	return ind, nil
}

// values reads the nnz counts, finite and not negative.
func (d *decoder) values(nnz int) ([]float64, error) {
	data := make([]float64, 0, min(nnz, chunk))
	for k := range nnz {
		b, err := d.u64()
		if err != nil {
			return nil, err
		}
		v := math.Float64frombits(b)
		if !(v >= 0) || math.IsInf(v, 1) {
			return nil, d.errorf("entry %d = %v is not a finite non-negative count", k, v)
		}
		data = append(data, v)
	}
	return data, nil
}

// checksum compares the CRC of everything read with the file's, which
// must end the input.
func (d *decoder) checksum() error {
	sum := d.crc.Sum32()
	d.at = d.off
	var tail [4]byte
	if _, err := io.ReadFull(d.r, tail[:]); err != nil {
		return err
	}
	if got := binary.LittleEndian.Uint32(tail[:]); got != sum {
		return d.errorf("checksum mismatch (file says %08x, data gives %08x)", got, sum)
	}
	d.at += 4
	switch _, err := d.r.ReadByte(); {
	case err == nil:
		return d.errorf("data after the checksum")
	case !errors.Is(err, io.EOF):
		return fmt.Errorf("ppmi: reading counts: %w", err)
	}
	return nil
}

// bytes reads n bytes, allocating as they arrive.
func (d *decoder) bytes(n int) ([]byte, error) {
	b := make([]byte, 0, min(n, chunk))
	for len(b) < n {
		k := min(n-len(b), chunk)
		b = append(b, make([]byte, k)...)
		if err := d.full(b[len(b)-k:]); err != nil {
			return nil, err
		}
	}
	return b, nil
}
