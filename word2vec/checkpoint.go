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

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/internal/readfile"
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

// ErrFormat is matched (with errors.Is) by every error about a checkpoint
// file that is truncated, corrupted or not a checkpoint; a *FormatError
// says where the problem is.
var ErrFormat = errors.New("malformed word2vec checkpoint")

// FormatError describes a malformed checkpoint: the byte offset of the
// part that is wrong (the header, a vocabulary entry, a weight matrix, the
// checksum) and what is wrong with it.
type FormatError struct {
	Offset int64 // from the start of the file
	Msg    string
	Err    error // underlying cause; may be nil
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("word2vec: checkpoint: byte %d: %s", e.Offset, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

type checkpointHeader struct {
	Version int              `json:"version"`
	Config  checkpointConfig `json:"config"`
	State   trainState       `json:"state"`
	Words   int              `json:"words"`
	Dim     int              `json:"dim"`
	Corpus  string           `json:"corpus,omitempty"` // fingerprint of the training corpus
}

// checkpointConfig holds the settings as the C tool spells them: a
// negative count or sample of 0 means off, a min-count of 0 keeps every
// word. The format predates Config's zero-means-default rule and keeps
// its meaning, so that files stay readable both ways.
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
	// Absent from files written before wordspace changed these defaults;
	// such files trained with the C tool's values.
	MinAlpha  float64 `json:"min_alpha,omitempty"`
	InitRange float64 `json:"init_range,omitempty"`
	// Absent from files written before NoiseExponent existed: those drew
	// noise words with 0.75.
	NoiseExponent float64 `json:"noise_exponent,omitempty"`
	// Subwords; absent when off.
	MinN   int `json:"minn,omitempty"`
	MaxN   int `json:"maxn,omitempty"`
	Bucket int `json:"bucket,omitempty"`
}

// WriteCheckpoint writes the whole model in the checkpoint format.
func (m *Model) WriteCheckpoint(w io.Writer) error {
	crc := crc32.NewIEEE()
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<20)
	c := m.cfg
	h := checkpointHeader{
		Version: 1,
		Config: checkpointConfig{
			Dim: c.Dim, Window: c.Window, Negative: c.negatives(), HS: c.HS, CBOW: c.CBOW,
			SharedNegatives: !c.PerPairNegatives, Sample: max(c.Sample, 0), Alpha: c.Alpha, Epochs: c.Epochs,
			MinCount: c.MinCount, MaxVocab: c.MaxVocab, Threads: c.Threads, Seed: c.Seed,
			MinAlpha: c.MinAlpha, InitRange: c.InitRange, NoiseExponent: c.NoiseExponent,
			MinN: c.MinN, MaxN: c.MaxN, Bucket: c.Bucket,
		},
		State:  m.state,
		Words:  m.vocab.Len(),
		Dim:    c.Dim,
		Corpus: m.corpus,
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

// SetCorpusFingerprint records which corpus the model is trained on, in
// the form corpus.(*Corpus).Fingerprint gives, so that checkpoints carry
// it and a program resuming one can check that it was given the same text
// (Resume itself does not check).
func (m *Model) SetCorpusFingerprint(fp string) { m.corpus = fp }

// CorpusFingerprint returns what SetCorpusFingerprint recorded, also after
// LoadCheckpoint; "" when nothing was.
func (m *Model) CorpusFingerprint() string { return m.corpus }

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
	var at int64 // where the part being read starts
	bad := func(format string, args ...any) error {
		return &FormatError{Offset: at, Msg: fmt.Sprintf(format, args...)}
	}
	var head [12]byte
	if _, err := io.ReadFull(cr, head[:]); err != nil || string(head[:8]) != checkpointMagic {
		return nil, bad("no checkpoint header")
	}
	hlen := binary.LittleEndian.Uint32(head[8:])
	at = 8
	if hlen > 1<<20 {
		return nil, bad("header of %d bytes", hlen)
	}
	js := make([]byte, hlen)
	at = cr.n
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
	if c.MinAlpha == 0 && c.InitRange == 0 {
		c.MinAlpha, c.InitRange = c.Alpha*1e-4, 0.5
	}
	if c.NoiseExponent == 0 {
		c.NoiseExponent = 0.75
	}
	if c.Dim <= 0 || c.Window <= 0 || c.Negative < 0 || !(c.Sample >= 0) || !(c.Alpha > 0) || c.Epochs <= 0 || c.MinCount < 0 {
		return nil, bad("settings out of range")
	}
	cfg := Config{
		Dim: c.Dim, Window: c.Window, Negative: offIfZero(c.Negative), HS: c.HS, CBOW: c.CBOW,
		PerPairNegatives: !c.SharedNegatives, Sample: offIfZero(c.Sample), Alpha: c.Alpha, Epochs: c.Epochs,
		MinCount: max(c.MinCount, 1), MaxVocab: c.MaxVocab, Threads: c.Threads, Seed: c.Seed,
		MinAlpha: c.MinAlpha, InitRange: c.InitRange, NoiseExponent: c.NoiseExponent,
		MinN: c.MinN, MaxN: c.MaxN, Bucket: c.Bucket,
	}
	cfg, err := cfg.resolve()
	if err != nil {
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
		at = cr.n
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
	m := &Model{cfg: cfg, vocab: vocab, state: s, corpus: h.Corpus}
	n := h.Words * cfg.Dim
	at = cr.n
	if m.in, err = readFloats(cr, n+cfg.Bucket*cfg.Dim); err != nil {
		return nil, bad("word vectors: %v", err)
	}
	if cfg.Negative > 0 {
		at = cr.n
		if m.neg, err = readFloats(cr, n); err != nil {
			return nil, bad("output weights: %v", err)
		}
	}
	if cfg.HS {
		at = cr.n
		if m.hs, err = readFloats(cr, n); err != nil {
			return nil, bad("softmax weights: %v", err)
		}
	}
	at = cr.n
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
	return readfile.Read("word2vec", path, ReadCheckpoint)
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

// crcReader checksums what it reads and counts the bytes.
type crcReader struct {
	r *bufio.Reader
	h hash.Hash32
	n int64
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

func (c *crcReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.h.Write([]byte{b})
		c.n++
	}
	return b, err
}

// offIfZero turns the C tool's 0 ("off") into Config's -1.
func offIfZero[T int | float64](v T) T {
	if v == 0 {
		return -1
	}
	return v
}
