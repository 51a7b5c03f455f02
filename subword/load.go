package subword

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/wordspace/wordspace/embed"
)

// IsModel reports whether the file at path starts as a fastText .bin
// model does (its magic number), to tell one from the vector files
// package embed reads.
func IsModel(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("subword: %w", err)
	}
	defer f.Close()
	var head [4]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return false, nil // too short for a model; embed will say what it is
	}
	return binary.LittleEndian.Uint32(head[:]) == magic, nil
}

// LoadVectors loads the word vectors in the file at path, whatever it
// holds: a fastText .bin model gives its vocabulary's vectors and the
// model itself, for vectors of unseen words; any other file is read by
// embed.Load with opts, and the model is nil. For a model, opts.Limit
// keeps the first Limit words' vectors (the model keeps them all) and the
// other options do not apply.
func LoadVectors(path string, opts embed.LoadOptions) (*embed.Embeddings, *Model, error) {
	isModel, err := IsModel(path)
	if err != nil {
		return nil, nil, err
	}
	if !isModel || opts.Format != embed.Auto {
		e, err := embed.Load(path, opts)
		return e, nil, err
	}
	m, err := Load(path)
	if err != nil {
		return nil, nil, err
	}
	e, err := m.Embeddings()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if n := opts.Limit; n > 0 && n < e.Len() {
		words := e.Vocab().Words()[:n:n]
		var counts []int64
		if c := e.Vocab().Counts(); c != nil {
			counts = c[:n:n]
		}
		v, err := embed.NewVocab(words, counts)
		if err != nil {
			return nil, nil, err
		}
		if e, err = embed.New(v, e.Dim(), e.Data()[:n*e.Dim():n*e.Dim()]); err != nil {
			return nil, nil, err
		}
	}
	return e, m, nil
}

// EmbeddingsWith returns the vocabulary's vectors (as Embeddings does)
// followed by those of the given words that are not in the vocabulary
// but have n-grams, in a new *embed.Embeddings (Embeddings' own when it
// adds none), and the words it added.
// Any query or analogy of package embed or analogy can then take unseen
// words; give it Restrict = Vocab().Len() where only vocabulary words
// should be answers. It copies the vocabulary's vectors.
func (m *Model) EmbeddingsWith(words []string) (*embed.Embeddings, []string, error) {
	e, err := m.Embeddings()
	if err != nil {
		return nil, nil, err
	}
	var added []string
	var vecs []float32
	v := make([]float32, m.Dim())
	for _, w := range words {
		if m.Known(w) || slices.Contains(added, w) {
			continue
		}
		if err := m.VectorTo(v, w); err != nil {
			continue // no n-grams: stays unknown
		}
		added = append(added, w)
		vecs = append(vecs, v...)
	}
	if len(added) == 0 {
		return e, nil, nil
	}
	data := slices.Concat(e.Data(), vecs)
	all := slices.Concat(e.Vocab().Words(), added)
	var counts []int64
	if c := e.Vocab().Counts(); c != nil {
		counts = slices.Concat(c, make([]int64, len(added)))
	}
	vocab, err := embed.NewVocab(all, counts)
	if err != nil {
		return nil, nil, fmt.Errorf("subword: %w", err)
	}
	ext, err := embed.New(vocab, m.Dim(), data)
	if err != nil {
		return nil, nil, fmt.Errorf("subword: %w", err)
	}
	return ext, added, nil
}
