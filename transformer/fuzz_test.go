package transformer

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"
)

// seedModels returns small models of every kind the readers meet: tied
// and untied output, a factorised embedding, several heads and layers.
func seedModels(tb testing.TB) []*Model {
	tb.Helper()
	var ms []*Model
	for _, c := range []struct {
		cfg    Config
		factor int
	}{
		{Config{DModel: 4, Heads: 1, Layers: 1, DFF: 4, Context: 3}, 0},
		{Config{DModel: 4, Heads: 2, Layers: 2, DFF: 6, Context: 4, Untied: true, Seed: 3}, 0},
		{Config{DModel: 6, Heads: 3, Layers: 1, DFF: 4, Context: 2, Seed: 4}, 3},
	} {
		m, err := newModel(c.cfg, testWords(5), c.factor)
		if err != nil {
			tb.Fatal(err)
		}
		wellConditioned(m, 7)
		ms = append(ms, m)
	}
	return ms
}

// withAdam returns a training state with AdamW moments after one step on
// random gradients.
func withAdam(m *Model) *TrainState {
	r := rand.New(rand.NewPCG(5, 6))
	for _, p := range m.params {
		p.Grad = make([]float32, len(p.Data))
		for i := range p.Grad {
			p.Grad[i] = r.Float32() - 0.5
		}
	}
	o := NewAdamW(0.01)
	o.Step(m.params, 1e-3)
	return &TrainState{Step: 1, Opt: o}
}

func checkpointSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for i, m := range seedModels(tb) {
		var st *TrainState
		if i == 1 {
			st = withAdam(m)
		}
		var buf bytes.Buffer
		if err := m.WriteCheckpoint(&buf, st); err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, buf.Bytes())
	}
	return seeds
}

// FuzzReadCheckpoint feeds the checkpoint reader arbitrary bytes: every
// error must be a *FormatError, memory must stay within what the input
// justifies, and what is accepted must survive a round trip. Random
// changes rarely get past the checksum; FuzzReadCheckpointBody reaches
// the decoder behind it.
func FuzzReadCheckpoint(f *testing.F) {
	for _, b := range checkpointSeeds(f) {
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("WSXFMR\x00\x01"))
	f.Add([]byte("not a checkpoint at all"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzCheckpoint(t, b)
	})
}

// FuzzReadCheckpointBody fuzzes everything a checkpoint holds before its
// checksum and appends the right checksum, so that mutations reach the
// header and tensor decoders instead of stopping at the checksum.
func FuzzReadCheckpointBody(f *testing.F) {
	for _, b := range checkpointSeeds(f) {
		f.Add(b[:len(b)-4])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b := binary.LittleEndian.AppendUint32(slices.Clip(body), crc32.Checksum(body, castagnoli))
		fuzzCheckpoint(t, b)
	})
}

func fuzzCheckpoint(t *testing.T, b []byte) {
	var m *Model
	var st *TrainState
	err := checkAlloc(t, len(b), func() (err error) {
		m, st, err = ReadCheckpoint(bytes.NewReader(b))
		return err
	})
	if err != nil {
		return
	}
	if m == nil || st == nil {
		t.Fatal("nil model or state without error")
	}
	var buf bytes.Buffer
	if err := m.WriteCheckpoint(&buf, st); err != nil {
		t.Fatalf("writing back an accepted checkpoint: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), b) {
		// The header's JSON may be spelt differently; the model may not.
		back, st2, err := ReadCheckpoint(&buf)
		if err != nil {
			t.Fatalf("reading back an accepted checkpoint: %v", err)
		}
		sameModel(t, back, m)
		if st2.Step != st.Step || (st2.Opt == nil) != (st.Opt == nil) {
			t.Fatalf("training state changed in a round trip: %+v, %+v", st2, st)
		}
	}
}

// FuzzReadNPZ feeds the .npz reader arbitrary archives, seeded with the
// archives of every kind of model; errors must be *FormatErrors, memory
// bounded, and what is accepted must survive a round trip.
func FuzzReadNPZ(f *testing.F) {
	for _, m := range seedModels(f) {
		if m.static != nil {
			continue // the factorised embedding has no .npz form
		}
		var buf bytes.Buffer
		if err := m.WriteNPZ(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m *Model
		err := checkAlloc(t, len(b), func() (err error) {
			m, err = ReadNPZ(bytes.NewReader(b), int64(len(b)))
			return err
		})
		if err != nil {
			return
		}
		if m == nil {
			t.Fatal("nil model without error")
		}
		var buf bytes.Buffer
		if err := m.WriteNPZ(&buf); err != nil {
			t.Fatalf("writing back an accepted archive: %v", err)
		}
		back, err := ReadNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("reading back an accepted archive: %v", err)
		}
		sameModel(t, back, m)
	})
}

// sameModel fails t unless a and b have the same configuration, tokens
// and weights.
func sameModel(t *testing.T, a, b *Model) {
	t.Helper()
	if a.cfg != b.cfg || !slices.Equal(a.tokens, b.tokens) || len(a.params) != len(b.params) || !sameWeights(a, b) {
		t.Fatalf("the model changed in a round trip: %+v, %+v", a.cfg, b.cfg)
	}
}
