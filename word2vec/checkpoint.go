package word2vec

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
	"os"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
)

// A checkpoint file holds a whole model, so that training can stop and
// continue later. All numbers are little-endian:
//
//	magic    8 bytes  "W2VCKPT1"
//	hlen     uint32   length of the header
//	header   hlen bytes of JSON: format version, settings, training
//	         position (epochs done, sentences of the current epoch done,
//	         words and tokens processed, learning rate, running loss, the
//	         generators' states), vocabulary size and dimension
//	vocab    per word: uvarint length, the word's bytes, uvarint count
//	in       vocab×dim float32: the word vectors
//	neg      vocab×dim float32: negative-sampling output weights, if used
//	hs       vocab×dim float32: hierarchical-softmax weights, if used
//	crc      uint32   CRC-32 (IEEE) of every byte before it
//
// Readers check every size against the data actually present and the
// checksum at the end, so a truncated or corrupted file is an error, never
// a half-loaded model.
const checkpointMagic = "W2VCKPT1"

// ErrBadCheckpoint is returned for a checkpoint file that is truncated,
// corrupted or not a checkpoint.
var ErrBadCheckpoint = errors.New("not a valid word2vec checkpoint")

type checkpointHeader struct {
	Version int              `json:"version"`
	Config  checkpointConfig `json:"config"`
	State   trainState       `json:"state"`
	Words   int              `json:"words"`
	Dim     int              `json:"dim"`
}

type checkpointConfig struct {
	Dim             int     `json:"dim"`
	Window          int     `json:"window"`
	Negative        int     `json:"negative"`
	HS              bool    `json:"hs"`
	CBOW            bool    `json:"cbow"`
	SharedNegatives bool    `json:"shared_negatives"`
	Sample          float64 `json:"sample"`
	Alpha           float64 `json:"alpha"`
	Epochs          int     `json:"epochs"`
	MinCount        int     `json:"min_count"`
	MaxVocab        int     `json:"max_vocab"`
	Threads         int     `json:"threads"`
	Seed            uint64  `json:"seed"`
}

// WriteCheckpoint writes the whole model in the checkpoint format.
func (m *Model) WriteCheckpoint(w io.Writer) error {
	crc := crc32.NewIEEE()
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<20)
	c := m.cfg
	h := checkpointHeader{
		Version: 1,
		Config: checkpointConfig{
			Dim: c.Dim, Window: c.Window, Negative: c.Negative, HS: c.HS, CBOW: c.CBOW,
			SharedNegatives: c.SharedNegatives, Sample: c.Sample, Alpha: c.Alpha, Epochs: c.Epochs,
			MinCount: c.MinCount, MaxVocab: c.MaxVocab, Threads: c.Threads, Seed: c.Seed,
		},
		State: m.state,
		Words: m.vocab.Len(),
		Dim:   c.Dim,
	}
	js, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw.WriteString(checkpointMagic)
	var b [binary.MaxVarintLen64]byte
	binary.LittleEndian.PutUint32(b[:4], uint32(len(js)))
	bw.Write(b[:4])
	bw.Write(js)
	for i, word := range m.vocab.Words() {
		bw.Write(b[:binary.PutUvarint(b[:], uint64(len(word)))])
		bw.WriteString(word)
		bw.Write(b[:binary.PutUvarint(b[:], uint64(m.vocab.Count(i)))])
	}
	for _, mat := range [][]float32{m.in, m.neg, m.hs} {
		if err := writeFloats(bw, mat); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b[:4], crc.Sum32())
	_, err = w.Write(b[:4])
	return err
}

// SaveCheckpoint writes the model to path atomically: an interruption
// while saving leaves the previous file intact.
func (m *Model) SaveCheckpoint(path string) error {
	return atomicfile.Write(path, m.WriteCheckpoint)
}

func writeFloats(w io.Writer, v []float32) error {
	buf := make([]byte, 0, 64<<10)
	for len(v) > 0 {
		n := min(len(v), cap(buf)/4)
		buf = buf[:0]
		for _, x := range v[:n] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		v = v[n:]
	}
	return nil
}

// ReadCheckpoint reads a model written by WriteCheckpoint.
func ReadCheckpoint(r io.Reader) (*Model, error) {
	crc := crc32.NewIEEE()
	br := bufio.NewReaderSize(r, 1<<20)
	cr := &crcReader{r: br, h: crc}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("word2vec: checkpoint: %s: %w", fmt.Sprintf(format, args...), ErrBadCheckpoint)
	}
	var head [12]byte
	if _, err := io.ReadFull(cr, head[:]); err != nil || string(head[:8]) != checkpointMagic {
		return nil, bad("no checkpoint header")
	}
	hlen := binary.LittleEndian.Uint32(head[8:])
	if hlen > 1<<20 {
		return nil, bad("header of %d bytes", hlen)
	}
	js := make([]byte, hlen)
	if _, err := io.ReadFull(cr, js); err != nil {
		return nil, bad("truncated header")
	}
	var h checkpointHeader
	if err := json.Unmarshal(js, &h); err != nil {
		return nil, bad("header: %v", err)
	}
	if h.Version != 1 {
		return nil, bad("format version %d, want 1", h.Version)
	}
	c := h.Config
	cfg := Config{
		Dim: c.Dim, Window: c.Window, Negative: c.Negative, HS: c.HS, CBOW: c.CBOW,
		SharedNegatives: c.SharedNegatives, Sample: c.Sample, Alpha: c.Alpha, Epochs: c.Epochs,
		MinCount: c.MinCount, MaxVocab: c.MaxVocab, Threads: c.Threads, Seed: c.Seed,
	}
	if err := cfg.validate(); err != nil {
		return nil, bad("settings: %v", err)
	}
	s := h.State
	if h.Dim != cfg.Dim || h.Words <= 0 || s.Epoch < 0 || s.Epoch > cfg.Epochs || s.Sentences < 0 ||
		s.Words < 0 || s.Tokens < 0 || s.Examples < 0 || len(s.RNG) > 1<<16 {
		return nil, bad("inconsistent header")
	}
	var words []string
	var counts []int64
	for i := 0; i < h.Words; i++ {
		n, err := binary.ReadUvarint(cr)
		if err != nil || n == 0 || n > 1<<16 {
			return nil, bad("vocabulary entry %d", i)
		}
		w := make([]byte, n)
		if _, err := io.ReadFull(cr, w); err != nil {
			return nil, bad("vocabulary entry %d truncated", i)
		}
		cnt, err := binary.ReadUvarint(cr)
		if err != nil || cnt > math.MaxInt64 {
			return nil, bad("count of vocabulary entry %d", i)
		}
		words = append(words, string(w))
		counts = append(counts, int64(cnt))
	}
	vocab, err := embed.NewVocab(words, counts)
	if err != nil {
		return nil, bad("vocabulary: %v", err)
	}
	m := &Model{cfg: cfg, vocab: vocab, state: s}
	n := h.Words * cfg.Dim
	if m.in, err = readFloats(cr, n); err != nil {
		return nil, bad("word vectors: %v", err)
	}
	if cfg.Negative > 0 {
		if m.neg, err = readFloats(cr, n); err != nil {
			return nil, bad("output weights: %v", err)
		}
	}
	if cfg.HS {
		if m.hs, err = readFloats(cr, n); err != nil {
			return nil, bad("softmax weights: %v", err)
		}
	}
	want := crc.Sum32()
	var tail [4]byte
	if _, err := io.ReadFull(br, tail[:]); err != nil {
		return nil, bad("missing checksum")
	}
	if binary.LittleEndian.Uint32(tail[:]) != want {
		return nil, bad("checksum mismatch")
	}
	return m, nil
}

// LoadCheckpoint reads a checkpoint file written by SaveCheckpoint.
func LoadCheckpoint(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("word2vec: %w", err)
	}
	defer f.Close()
	m, err := ReadCheckpoint(f)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return m, nil
}

// readFloats reads n float32 values in blocks, so that memory grows with
// the data actually present rather than with what a header claims.
func readFloats(r io.Reader, n int) ([]float32, error) {
	const block = 1 << 16
	var out []float32
	buf := make([]byte, 4*block)
	for len(out) < n {
		k := min(n-len(out), block)
		if _, err := io.ReadFull(r, buf[:4*k]); err != nil {
			return nil, fmt.Errorf("truncated after %d of %d values", len(out), n)
		}
		for i := range k {
			out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:])))
		}
	}
	return out, nil
}

type crcReader struct {
	r *bufio.Reader
	h hash.Hash32
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	return n, err
}

func (c *crcReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.h.Write([]byte{b})
	}
	return b, err
}
