package ann

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"strings"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/internal/readfile"
)

// The file format, all integers little-endian:
//
//	header, 128 bytes:
//	  0  magic "WSHNSW\r\n"
//	  8  version (uint32, 1)
//	 12  header size (uint32, 128)
//	 16  vectors n (uint64)
//	 24  dimension (uint32)
//	 28  M (uint32)
//	 32  links per vector on layer 0, M0 (uint32)
//	 36  efConstruction (uint32)
//	 40  default ef (uint32)
//	 44  top layer (uint32)
//	 48  entry point (uint32)
//	 52  zero (uint32)
//	 56  upper-layer values, U (uint64)
//	 64  seed (uint64)
//	 72  fingerprint of the vectors (uint64)
//	 80  zeros up to 124
//	124  CRC-32C of bytes 0 to 123 (uint32)
//	layer 0: n·(M0+1) uint32, padded with zeros to a multiple of 64 bytes
//	upper-layer starts: n+1 uint32, padded likewise
//	upper layers: U uint32, padded likewise
//	CRC-32C of everything between the header and here (uint32)
//
// Each section starts at a multiple of 64 bytes, so a memory-mapped file
// can be used in place as []uint32 on little-endian machines.
const (
	magic      = "WSHNSW\r\n"
	version    = 1
	headerSize = 128
	align      = 64
)

// ErrFormat is matched (with errors.Is) by every error about a malformed
// index file: a *FormatError says where the problem is.
var ErrFormat = errors.New("malformed index file")

// FormatError describes a malformed index file.
type FormatError struct {
	Offset int64 // byte offset from the start of the index
	Msg    string
	Err    error // underlying cause, such as io.ErrUnexpectedEOF; may be nil
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("ann: index file: byte %d: %s", e.Offset, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

// Write writes the index to w: the graph, not the vectors (which stay in
// their own file) nor their codes (which Read computes again).
func (x *Index) Write(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.Write(x.header()); err != nil {
		return err
	}
	sum := crc32.New(castagnoli)
	out := io.MultiWriter(bw, sum)
	for _, sec := range [][]uint32{x.links0, x.upperStart, x.upper} {
		if err := writeUint32s(out, sec); err != nil {
			return err
		}
	}
	if _, err := bw.Write(binary.LittleEndian.AppendUint32(nil, sum.Sum32())); err != nil {
		return err
	}
	return bw.Flush()
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (x *Index) header() []byte {
	h := make([]byte, headerSize)
	le := binary.LittleEndian
	copy(h, magic)
	le.PutUint32(h[8:], version)
	le.PutUint32(h[12:], headerSize)
	le.PutUint64(h[16:], uint64(x.n))
	le.PutUint32(h[24:], uint32(x.dim))
	le.PutUint32(h[28:], uint32(x.m))
	le.PutUint32(h[32:], uint32(x.m0))
	le.PutUint32(h[36:], uint32(x.efConstruction))
	le.PutUint32(h[40:], uint32(x.ef))
	le.PutUint32(h[44:], uint32(x.maxLevel))
	le.PutUint32(h[48:], x.entry)
	le.PutUint64(h[56:], uint64(len(x.upper)))
	le.PutUint64(h[64:], x.seed)
	le.PutUint64(h[72:], x.fingerprint)
	le.PutUint32(h[124:], crc32.Checksum(h[:124], castagnoli))
	return h
}

// writeUint32s writes s and pads it with zeros to a multiple of align bytes.
func writeUint32s(w io.Writer, s []uint32) error {
	buf := make([]byte, 0, 64<<10)
	pad := padded(uint64(len(s))) - 4*uint64(len(s))
	for len(s) > 0 {
		chunk := s[:min(len(s), cap(buf)/4)]
		s = s[len(chunk):]
		buf = buf[:0]
		for _, v := range chunk {
			buf = binary.LittleEndian.AppendUint32(buf, v)
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	_, err := w.Write(make([]byte, pad))
	return err
}

func padded(values uint64) uint64 { return (values*4 + align - 1) / align * align }

// Save writes the index to the file at path, atomically: the file is
// replaced only once it has been written completely.
func (x *Index) Save(path string) error {
	return atomicfile.Write(path, x.Write)
}

// Load reads the index at path for e, the vectors it was built from.
func Load(path string, e *embed.Embeddings) (*Index, error) {
	return readfile.Read("ann", path, func(r io.Reader) (*Index, error) { return Read(r, e) })
}

// Read reads an index that Write wrote for e, the vectors it was built
// from. An index built from other vectors (other words, another
// dimension, or the same words with other values) is refused with an
// error matching ErrMismatch; a malformed or corrupted file with a
// *FormatError. Read checks the sizes in the header against e and, when
// r's length is known, against it, before allocating anything.
func Read(r io.Reader, e *embed.Embeddings) (*Index, error) {
	return read(r, readfile.Remaining(r), e)
}

// reader reads an index file and remembers where it is.
type reader struct {
	r   io.Reader
	off int64
	sum hash.Hash32
	buf []byte
}

func (rd *reader) errorf(cause error, format string, args ...any) error {
	return &FormatError{Offset: rd.off, Msg: fmt.Sprintf(format, args...), Err: cause}
}

func (rd *reader) full(p []byte) error {
	n, err := io.ReadFull(rd.r, p)
	rd.off += int64(n)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err == io.ErrUnexpectedEOF {
			return rd.errorf(err, "truncated")
		}
		return err
	}
	return nil
}

// uint32s reads a section of n values and its padding. When the size of
// the input was not checked against the header (sized is false), it
// allocates as the data arrives, so that a header that lies about sizes
// costs nothing when the stream is short.
func (rd *reader) uint32s(n uint64, sized bool) ([]uint32, error) {
	const chunk = 1 << 16
	var out []uint32
	if sized {
		out = make([]uint32, 0, n)
		hugePages(out[:n])
	} else {
		out = make([]uint32, 0, min(n, chunk))
	}
	if cap(rd.buf) < 4*chunk {
		rd.buf = make([]byte, 4*chunk)
	}
	for left := n; left > 0; {
		c := min(left, chunk)
		b := rd.buf[:4*c]
		if err := rd.full(b); err != nil {
			return nil, err
		}
		rd.sum.Write(b)
		for i := 0; i < len(b); i += 4 {
			out = append(out, binary.LittleEndian.Uint32(b[i:]))
		}
		left -= c
	}
	pad := rd.buf[:padded(n)-4*n]
	if err := rd.full(pad); err != nil {
		return nil, err
	}
	rd.sum.Write(pad)
	for _, c := range pad {
		if c != 0 {
			return nil, rd.errorf(nil, "non-zero padding")
		}
	}
	return out, nil
}

func read(r io.Reader, size int64, e *embed.Embeddings) (*Index, error) {
	if e == nil {
		return nil, fmt.Errorf("ann: read: nil embeddings")
	}
	rd := &reader{r: r, sum: crc32.New(castagnoli)}
	h := make([]byte, headerSize)
	if err := rd.full(h); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) && rd.off < int64(len(magic)) && !strings.HasPrefix(magic, string(h[:rd.off])) {
			return nil, &FormatError{Msg: "not a wordspace index (bad magic)"}
		}
		return nil, err
	}
	le := binary.LittleEndian
	if string(h[:8]) != magic {
		return nil, &FormatError{Msg: "not a wordspace index (bad magic)"}
	}
	if v := le.Uint32(h[8:]); v != version {
		return nil, &FormatError{Offset: 8, Msg: fmt.Sprintf("version %d: this reader knows version %d", v, version)}
	}
	if crc32.Checksum(h[:124], castagnoli) != le.Uint32(h[124:]) {
		return nil, &FormatError{Offset: 124, Msg: "header checksum mismatch (the file is corrupted)"}
	}
	if hs := le.Uint32(h[12:]); hs != headerSize {
		return nil, &FormatError{Offset: 12, Msg: fmt.Sprintf("header size %d, want %d", hs, headerSize)}
	}
	if le.Uint32(h[52:]) != 0 || strings.Trim(string(h[80:124]), "\x00") != "" {
		return nil, &FormatError{Offset: 52, Msg: "reserved header bytes are not zero"}
	}
	n, dim := le.Uint64(h[16:]), le.Uint32(h[24:])
	if n != uint64(e.Len()) || dim != uint32(e.Dim()) {
		return nil, fmt.Errorf("ann: the index is for %d vectors of dimension %d, the embeddings have %d of dimension %d: %w", n, dim, e.Len(), e.Dim(), ErrMismatch)
	}
	m, m0 := le.Uint32(h[28:]), le.Uint32(h[32:])
	efc, ef := le.Uint32(h[36:]), le.Uint32(h[40:])
	top, entry := le.Uint32(h[44:]), le.Uint32(h[48:])
	upperLen := le.Uint64(h[56:])
	switch {
	case m < 2 || m > maxM:
		return nil, &FormatError{Offset: 28, Msg: fmt.Sprintf("M %d: want 2 to %d", m, maxM)}
	case m0 < m || m0 > 2*maxM:
		return nil, &FormatError{Offset: 32, Msg: fmt.Sprintf("layer-0 links %d: want %d to %d", m0, m, 2*maxM)}
	case efc < 1 || ef < 1 || efc > 1<<24 || ef > 1<<24:
		return nil, &FormatError{Offset: 36, Msg: fmt.Sprintf("efConstruction %d, ef %d: want 1 to %d", efc, ef, 1<<24)}
	case top > maxLevel:
		return nil, &FormatError{Offset: 44, Msg: fmt.Sprintf("top layer %d: want at most %d", top, maxLevel)}
	case n == 0 || uint64(entry) >= n:
		return nil, &FormatError{Offset: 48, Msg: fmt.Sprintf("entry point %d of %d vectors", entry, n)}
	case upperLen > n*uint64(top)*uint64(m+1):
		return nil, &FormatError{Offset: 56, Msg: fmt.Sprintf("%d upper-layer values: more than %d vectors on %d layers can hold", upperLen, n, top)}
	}
	want := headerSize + padded(n*uint64(m0+1)) + padded(n+1) + padded(upperLen) + 4
	if size >= 0 && uint64(size) != want {
		return nil, &FormatError{Offset: 56, Msg: fmt.Sprintf("the header describes %d bytes, the file has %d", want, size)}
	}
	g := &graph{
		e: e, data: e.Data(), dim: int(dim), n: int(n),
		m: int(m), m0: int(m0), efConstruction: int(efc),
		seed: le.Uint64(h[64:]), fingerprint: le.Uint64(h[72:]),
		entry: entry, maxLevel: int(top),
		free: make(chan *searcher, freeSearchers),
	}
	var err error
	sized := size >= 0
	if g.links0, err = rd.uint32s(n*uint64(m0+1), sized); err != nil {
		return nil, err
	}
	if g.upperStart, err = rd.uint32s(n+1, sized); err != nil {
		return nil, err
	}
	if g.upper, err = rd.uint32s(upperLen, sized); err != nil {
		return nil, err
	}
	sum := rd.sum.Sum32()
	tail := make([]byte, 4)
	if err := rd.full(tail); err != nil {
		return nil, err
	}
	if le.Uint32(tail) != sum {
		return nil, rd.errorf(nil, "checksum mismatch (the file is corrupted)")
	}
	if n, _ := io.ReadFull(rd.r, tail[:1]); n > 0 {
		return nil, rd.errorf(nil, "data after the end of the index")
	}
	if err := g.check(); err != nil {
		return nil, err
	}
	if fingerprint(e) != g.fingerprint {
		return nil, fmt.Errorf("ann: the index was built from other vectors (same size, different words or values): %w", ErrMismatch)
	}
	g.inv = invNorms(e)
	g.quantize()
	return &Index{graph: g, ef: int(ef)}, nil
}

// check verifies that every link and layer is in range, so that searches
// on a file that passed its checksums but was written wrongly cannot fail.
func (g *graph) check() error {
	bad := func(msg string, args ...any) error {
		return &FormatError{Offset: headerSize, Msg: fmt.Sprintf(msg, args...)}
	}
	n := uint32(g.n)
	for i := range n {
		if l := g.links0[int(i)*(g.m0+1)]; l > uint32(g.m0) {
			return bad("vector %d has %d links on layer 0, more than %d", i, l, g.m0)
		}
		for _, v := range g.links(0, i) {
			if v >= n {
				return bad("vector %d links to %d, beyond the %d vectors", i, v, n)
			}
		}
	}
	if g.upperStart[0] != 0 || uint64(g.upperStart[n]) != uint64(len(g.upper)) {
		return bad("upper-layer starts do not cover the %d upper-layer values", len(g.upper))
	}
	for i := range n {
		lo, hi := g.upperStart[i], g.upperStart[i+1]
		if hi < lo || (hi-lo)%uint32(g.m+1) != 0 || int((hi-lo)/uint32(g.m+1)) > g.maxLevel {
			return bad("vector %d: upper layers from %d to %d do not fit M %d and top layer %d", i, lo, hi, g.m, g.maxLevel)
		}
		for l := 1; l <= g.level(i); l++ {
			if c := g.upper[int(lo)+(l-1)*(g.m+1)]; c > uint32(g.m) {
				return bad("vector %d has %d links on layer %d, more than %d", i, c, l, g.m)
			}
			for _, v := range g.links(l, i) {
				if v >= n || g.level(v) < l {
					return bad("vector %d links on layer %d to %d, which is not on that layer", i, l, v)
				}
			}
		}
	}
	if g.level(g.entry) != g.maxLevel {
		return bad("entry point %d is on layer %d, not on the top layer %d", g.entry, g.level(g.entry), g.maxLevel)
	}
	return nil
}
