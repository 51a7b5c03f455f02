package embed

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
)

var benchModel = sync.OnceValue(func() *Embeddings {
	return randomEmbeddings(&testing.B{}, 100_000, 300, 7)
})

func benchFile(b *testing.B, f Format) []byte {
	var buf bytes.Buffer
	if err := benchModel().Write(&buf, f); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkReadBinary(b *testing.B) {
	in := benchFile(b, Binary)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(in), LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadText(b *testing.B) {
	var buf bytes.Buffer
	if err := randomEmbeddings(b, 20_000, 100, 8).Write(&buf, Text); err != nil {
		b.Fatal(err)
	}
	in := buf.Bytes()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(in), LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteBinary(b *testing.B) {
	e := benchModel()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := e.Write(&buf, Binary); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkMostSimilar(b *testing.B) {
	e := benchModel()
	e.Norms()
	for b.Loop() {
		if _, err := e.MostSimilar([]string{e.Vocab().Word(123)}, nil, 10, QueryOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNearest100(b *testing.B) {
	e := benchModel()
	e.Norms()
	rng := rand.New(rand.NewPCG(1, 1))
	q := make([]float32, 100*e.Dim())
	for i := range q {
		q[i] = float32(rng.NormFloat64())
	}
	for b.Loop() {
		if _, err := e.Nearest(q, 10, QueryOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
