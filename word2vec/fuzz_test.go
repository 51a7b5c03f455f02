package word2vec

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"slices"
	"testing"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/internal/heapcheck"
)

// checkpointSeeds returns checkpoints of small models of every kind:
// negative sampling, hierarchical softmax, both, CBOW, one stopped
// part-way through an epoch.
func checkpointSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	var seeds [][]byte
	for _, edit := range []func(*Config){
		func(*Config) {},
		func(c *Config) { c.Negative, c.HS = -1, true },
		func(c *Config) { c.HS, c.Threads = true, 2 },
		func(c *Config) { c.CBOW = true },
	} {
		cfg := testConfig()
		cfg.Dim, cfg.Epochs = 3, 1
		edit(&cfg)
		m, err := Train(context.Background(), corpus.FromString("a b c a b\nc a\n"), cfg)
		if err != nil {
			tb.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.WriteCheckpoint(&buf); err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, buf.Bytes())
	}
	return seeds
}

// FuzzReadCheckpoint feeds the checkpoint reader arbitrary bytes: every
// error must be a *FormatError, memory must stay within what the input
// justifies, and what is accepted must write back and read back the
// same. Random changes rarely get past the checksum;
// FuzzReadCheckpointBody reaches the decoder behind it.
func FuzzReadCheckpoint(f *testing.F) {
	for _, b := range checkpointSeeds(f) {
		f.Add(b)
	}
	f.Add([]byte(checkpointMagic + "\x02\x00\x00\x00{}"))
	f.Fuzz(fuzzCheckpoint)
}

// FuzzReadCheckpointBody fuzzes everything before the checksum and
// appends the right checksum, so that mutations reach the header, the
// vocabulary and the weights.
func FuzzReadCheckpointBody(f *testing.F) {
	for _, b := range checkpointSeeds(f) {
		f.Add(b[:len(b)-4])
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzCheckpoint(t, binary.LittleEndian.AppendUint32(slices.Clip(body), crc32.ChecksumIEEE(body)))
	})
}

func fuzzCheckpoint(t *testing.T, data []byte) {
	var m *Model
	var err error
	got := heapcheck.Allocated(func() { m, err = ReadCheckpoint(bytes.NewReader(data)) })
	// The read buffer, a header of at most 1 MiB, and the data.
	if got > 4<<20+16*uint64(len(data)) {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, len(data))
	}
	if err != nil {
		var fe *FormatError
		if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) {
			t.Fatalf("error %v is not a *FormatError", err)
		}
		return
	}
	n := m.vocab.Len() * m.cfg.Dim
	if len(m.in) != n || (m.cfg.Negative > 0) != (len(m.neg) == n) || m.cfg.HS != (len(m.hs) == n) {
		t.Fatalf("accepted a checkpoint with %d, %d, %d values for %d×%d", len(m.in), len(m.neg), len(m.hs), m.vocab.Len(), m.cfg.Dim)
	}
	var buf bytes.Buffer
	if err := m.WriteCheckpoint(&buf); err != nil {
		t.Fatalf("writing back an accepted checkpoint: %v", err)
	}
	back, err := ReadCheckpoint(&buf)
	if err != nil {
		t.Fatalf("reading back an accepted checkpoint: %v", err)
	}
	same := func(a, b []float32) bool { // bit for bit: NaN payloads too
		return slices.EqualFunc(a, b, func(x, y float32) bool { return x == y || x != x && y != y })
	}
	if !reflect.DeepEqual(back.Config(), m.Config()) || !slices.Equal(back.vocab.Words(), m.vocab.Words()) ||
		!slices.Equal(back.vocab.Counts(), m.vocab.Counts()) || !same(back.in, m.in) || !same(back.neg, m.neg) || !same(back.hs, m.hs) {
		t.Fatal("a round trip changed the model")
	}
}
