package ann

import (
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"runtime"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
	"github.com/wordspace/wordspace/internal/parallel"
)

// ErrMismatch is returned when an index is read for embeddings other than
// the ones it was built from.
var ErrMismatch = errors.New("index does not match the vectors")

// ErrBadK is returned when a search asks for fewer than one neighbour or
// for more than the index holds.
var ErrBadK = errors.New("number of neighbours out of range")

// Index is a navigable small-world graph over the rows of one
// *embed.Embeddings. It holds links and int8 codes of the vectors, not
// the vectors themselves: exact cosines are computed on the embeddings'
// own matrix, which must not change while the index is in use.
//
// All methods are safe for concurrent use.
type Index struct {
	*graph
	ef int // candidates kept by Search
}

// graph is what WithEf shares between Index values.
type graph struct {
	e    *embed.Embeddings
	data []float32 // e.Data()
	inv  []float32 // 1/‖row‖, 0 for zero rows: a cosine is a dot product times inv
	dim  int
	n    int

	m, m0          int // links kept per vector on upper layers and on layer 0
	efConstruction int
	seed           uint64
	fingerprint    uint64

	entry    uint32 // where every search starts, a vector of the top layer
	maxLevel int

	// links0 holds layer 0: for vector i, links0[i*(m0+1)] is its number
	// of links and the m0 values after it the links themselves.
	links0 []uint32
	// Vector i's upper layers 1, 2, ... are consecutive blocks of m+1
	// values (count, then links) in upper[upperStart[i]:upperStart[i+1]].
	upperStart []uint32
	upper      []uint32

	free chan *searcher // searchers not in use, at most freeSearchers

	// codes holds each vector scaled to unit length as int8 codes, a
	// quarter of the size of the float32 values: row i is 4 bytes of
	// scale (a little-endian float32; unit vector ≈ scale·code) then dim
	// codes. The walk through the graph compares the query with codes,
	// and only its final candidates with the vectors themselves.
	codes []int8
}

// freeSearchers bounds the searchers kept for reuse: enough for the
// searches of a busy server, each holding two bytes a vector.
var freeSearchers = 4 * runtime.GOMAXPROCS(0)

// Len returns the number of vectors indexed.
func (x *Index) Len() int { return x.n }

// Embeddings returns the vectors the index was built over.
func (x *Index) Embeddings() *embed.Embeddings { return x.e }

// Ef returns the number of candidates Search keeps.
func (x *Index) Ef() int { return x.ef }

// WithEf returns an index that shares x's graph but keeps ef candidates
// in its searches (the default ef when ef is 0): larger is slower and
// finds more of the true neighbours. Search raises it to k when smaller.
func (x *Index) WithEf(ef int) *Index {
	if ef <= 0 {
		ef = DefaultEf
	}
	return &Index{graph: x.graph, ef: ef}
}

// Options returns the settings the index was built with, and the ef of
// its searches. Threads, Progress and ProgressInterval are those of the
// zero BuildOptions.
func (x *Index) Options() BuildOptions {
	return BuildOptions{M: x.m, EfConstruction: x.efConstruction, Ef: x.ef, Seed: x.seed}
}

func newGraph(e *embed.Embeddings, o BuildOptions) (*graph, error) {
	n := e.Len()
	if n == 0 {
		return nil, fmt.Errorf("ann: no vectors to index")
	}
	if uint64(n) >= math.MaxUint32 {
		return nil, fmt.Errorf("ann: %d vectors: at most %d can be indexed", n, math.MaxUint32-1)
	}
	g := &graph{
		e: e, data: e.Data(), dim: e.Dim(), n: n,
		m: o.M, m0: 2 * o.M, efConstruction: o.EfConstruction, seed: o.Seed,
		fingerprint: fingerprint(e),
		free:        make(chan *searcher, freeSearchers),
	}
	g.inv = invNorms(e)
	g.quantize()
	return g, nil
}

// quantize computes the codes of every vector, on several goroutines
// for large matrices.
func (g *graph) quantize() {
	stride := g.stride()
	g.codes = make([]int8, g.n*stride)
	hugePages(g.codes)
	parallel.Rows(g.n, g.dim, func(lo, hi int) {
		u := make([]float32, g.dim)
		for i := lo; i < hi; i++ {
			g.unit(u, uint32(i))
			row := g.codes[i*stride : (i+1)*stride]
			scale := math.Float32bits(f32.Quantize(row[4:], u))
			row[0], row[1], row[2], row[3] = int8(scale), int8(scale>>8), int8(scale>>16), int8(scale>>24)
		}
	})
}

// stride is the length of a row of codes.
func (g *graph) stride() int { return g.dim + 4 }

func invNorms(e *embed.Embeddings) []float32 {
	inv := make([]float32, e.Len())
	for i, n := range e.Norms() {
		if n > 0 {
			inv[i] = 1 / n
		}
	}
	return inv
}

// fingerprint identifies a set of embeddings: a CRC-32C of the words in
// the high half, one of the vectors' bits in the low half.
func fingerprint(e *embed.Embeddings) uint64 {
	tab := crc32.MakeTable(crc32.Castagnoli)
	var words uint32
	var buf []byte
	for _, w := range e.Vocab().Words() {
		buf = append(buf[:0], w...)
		buf = append(buf, 0)
		words = crc32.Update(words, tab, buf)
	}
	var vecs uint32
	const chunk = 1 << 14
	data := e.Data()
	buf = make([]byte, 0, 4*chunk)
	for lo := 0; lo < len(data); lo += chunk {
		buf = buf[:0]
		for _, v := range data[lo:min(lo+chunk, len(data))] {
			b := math.Float32bits(v)
			buf = append(buf, byte(b), byte(b>>8), byte(b>>16), byte(b>>24))
		}
		vecs = crc32.Update(vecs, tab, buf)
	}
	return uint64(words)<<32 | uint64(vecs)
}

// links returns the links of vector i on layer level.
func (g *graph) links(level int, i uint32) []uint32 {
	if level == 0 {
		b := g.links0[int(i)*(g.m0+1):]
		return b[1 : 1+b[0]]
	}
	b := g.upper[int(g.upperStart[i])+(level-1)*(g.m+1):]
	return b[1 : 1+b[0]]
}

// setLinks replaces the links of vector i on layer level.
func (g *graph) setLinks(level int, i uint32, ids []uint32) {
	var b []uint32
	if level == 0 {
		b = g.links0[int(i)*(g.m0+1):]
	} else {
		b = g.upper[int(g.upperStart[i])+(level-1)*(g.m+1):]
	}
	b[0] = uint32(len(ids))
	copy(b[1:], ids)
}

// level returns the top layer of vector i.
func (g *graph) level(i uint32) int {
	return int(g.upperStart[i+1]-g.upperStart[i]) / (g.m + 1)
}

// capacity returns how many links a vector keeps on layer level.
func (g *graph) capacity(level int) int {
	if level == 0 {
		return g.m0
	}
	return g.m
}
