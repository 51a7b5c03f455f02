package embed

import (
	"fmt"
	"math"
	"sync"

	"github.com/wordspace/wordspace/internal/f32"
	"github.com/wordspace/wordspace/internal/parallel"
)

// Embeddings is a vocabulary and one vector per word, stored as a single
// contiguous row-major matrix: row i is the vector of Vocab().Word(i).
//
// The vector lengths and the unit-normalised matrix that similarity
// queries need are computed once, on first use, and cached; the original
// vectors are never overwritten. All methods are safe for concurrent use
// as long as nobody modifies the slices returned by Data, Row or Vector.
type Embeddings struct {
	vocab *Vocab
	dim   int
	data  []float32

	normOnce sync.Once
	norms    []float32 // Euclidean length of each row

	invOnce sync.Once
	inv     []float32 // 1/norm of each row, 0 for zero rows

	unitOnce sync.Once
	unit     []float32 // rows scaled to unit length; zero rows stay zero
}

// New returns embeddings for vocab with vectors of length dim taken from
// data, which must hold vocab.Len()*dim finite values in row-major order.
// New keeps data; the caller must not modify it afterwards.
func New(vocab *Vocab, dim int, data []float32) (*Embeddings, error) {
	if vocab == nil {
		return nil, fmt.Errorf("embed: nil vocabulary")
	}
	if dim <= 0 {
		return nil, fmt.Errorf("embed: dimension %d is not positive", dim)
	}
	if len(data) != vocab.Len()*dim {
		return nil, fmt.Errorf("embed: %d values for %d words of dimension %d (want %d)", len(data), vocab.Len(), dim, vocab.Len()*dim)
	}
	for i, v := range data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("embed: word %q: component %d is %v: %w", vocab.Word(i/dim), i%dim, v, ErrNotFinite)
		}
	}
	return &Embeddings{vocab: vocab, dim: dim, data: data}, nil
}

// Vocab returns the vocabulary.
func (e *Embeddings) Vocab() *Vocab { return e.vocab }

// Dim returns the vector length.
func (e *Embeddings) Dim() int { return e.dim }

// Len returns the number of words.
func (e *Embeddings) Len() int { return e.vocab.Len() }

// Data returns the row-major matrix of vectors, shared, not copied.
func (e *Embeddings) Data() []float32 { return e.data }

// Row returns the vector of the word at index i, shared, not copied.
func (e *Embeddings) Row(i int) []float32 { return e.data[i*e.dim : (i+1)*e.dim : (i+1)*e.dim] }

// Vector returns the vector of word, shared, not copied.
func (e *Embeddings) Vector(word string) ([]float32, error) {
	i, ok := e.vocab.Index(word)
	if !ok {
		return nil, unknown(word)
	}
	return e.Row(i), nil
}

// Norms returns the Euclidean length of every row, computed on first use
// (split between goroutines for big matrices).
func (e *Embeddings) Norms() []float32 {
	e.normOnce.Do(func() {
		n := make([]float32, e.Len())
		parallel.Rows(len(n), e.dim, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				n[i] = float32(f32.Norm(e.Row(i)))
			}
		})
		e.norms = n
	})
	return e.norms
}

// Unit returns the matrix with every row scaled to unit length (zero rows
// stay zero), computed on first use and shared by all callers. It doubles
// the memory held; queries that need only cosines use the norms instead.
func (e *Embeddings) Unit() []float32 {
	e.unitOnce.Do(func() {
		norms := e.Norms()
		u := make([]float32, len(e.data))
		copy(u, e.data)
		for i, n := range norms {
			if n > 0 {
				f32.Scale(1/n, u[i*e.dim:(i+1)*e.dim])
			}
		}
		e.unit = u
	})
	return e.unit
}

// UnitVector returns the vector of word scaled to unit length, in a new
// slice.
func (e *Embeddings) UnitVector(word string) ([]float32, error) {
	i, ok := e.vocab.Index(word)
	if !ok {
		return nil, unknown(word)
	}
	return e.unitRow(i, make([]float32, e.dim)), nil
}

// unitRow writes row i scaled to unit length into dst and returns it.
func (e *Embeddings) unitRow(i int, dst []float32) []float32 {
	copy(dst, e.Row(i))
	if n := e.Norms()[i]; n > 0 {
		f32.Scale(1/n, dst)
	}
	return dst
}
