package transformer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"

	"github.com/wordspace/wordspace/internal/atomicfile"
)

// Checkpoint file format (little-endian throughout):
//
//	magic   8 bytes  "WSXFMR\x00\x01" (the last byte is the version, 1)
//	hlen    uint32   length of the header
//	header  hlen bytes of JSON: {"config": Config, "tokens": [...],
//	        "params": [{"name", "shape"}...], "step": training steps done,
//	        "adam": {"t", "beta1", "beta2", "eps", "weight_decay",
//	        "decay_all"} or absent}
//	data    float32 values of every parameter in header order, then, with
//	        "adam", the first-moment and then the second-moment tensors in
//	        the same order
//	crc     uint32   CRC-32C (Castagnoli) of every byte before it
//
// The data length must equal what the header's shapes imply, so a
// truncated, padded or corrupted file is reported as such (ErrFormat)
// rather than half-loaded.
var checkpointMagic = [8]byte{'W', 'S', 'X', 'F', 'M', 'R', 0, 1}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type ckptHeader struct {
	Config Config      `json:"config"`
	Tokens []string    `json:"tokens"`
	Params []ckptParam `json:"params"`
	Step   int         `json:"step"`
	Adam   *ckptAdam   `json:"adam,omitempty"`
}

type ckptParam struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

type ckptAdam struct {
	T           int     `json:"t"`
	Beta1       float64 `json:"beta1"`
	Beta2       float64 `json:"beta2"`
	Eps         float64 `json:"eps"`
	WeightDecay float64 `json:"weight_decay"`
	DecayAll    bool    `json:"decay_all"`
}

// TrainState is what a training run needs besides the weights to resume
// exactly where it stopped: the optimiser's moments and the step count.
type TrainState struct {
	Step int
	Opt  *AdamW
}

// Write writes the model (without optimiser state) in the checkpoint
// format; Read reads it back.
func (m *Model) Write(w io.Writer) error {
	return m.WriteCheckpoint(w, nil)
}

// Save writes the model to path atomically in the checkpoint format.
func (m *Model) Save(path string) error {
	return m.SaveCheckpoint(path, nil)
}

// WriteCheckpoint writes the model and the training state st (nil for
// none) in the checkpoint format, so that Train can resume from it.
func (m *Model) WriteCheckpoint(w io.Writer, st *TrainState) error {
	_, err := writeCheckpoint(w, m, st)
	return err
}

// SaveCheckpoint writes the model and the training state st to path
// atomically; see WriteCheckpoint.
func (m *Model) SaveCheckpoint(path string, st *TrainState) error {
	return atomicfile.Write(path, func(w io.Writer) error { return m.WriteCheckpoint(w, st) })
}

type countingWriter struct {
	w   io.Writer
	n   int64
	crc uint32
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.crc = crc32.Update(c.crc, castagnoli, p[:n])
	return n, err
}

func writeCheckpoint(w io.Writer, m *Model, st *TrainState) (int64, error) {
	h := ckptHeader{Config: m.cfg, Tokens: m.tokens}
	for _, p := range m.params {
		h.Params = append(h.Params, ckptParam{p.Name, p.Shape})
	}
	var moments [][]float32
	if st != nil {
		h.Step = st.Step
		if o := st.Opt; o != nil && o.m != nil {
			h.Adam = &ckptAdam{T: o.t, Beta1: o.Beta1, Beta2: o.Beta2, Eps: o.Eps, WeightDecay: o.WeightDecay, DecayAll: o.DecayAll}
			moments = append(append(moments, o.m...), o.v...)
		}
	}
	js, err := json.Marshal(h)
	if err != nil {
		return 0, fmt.Errorf("transformer: checkpoint header: %w", err)
	}
	cw := &countingWriter{w: w}
	bw := &errWriter{w: cw}
	bw.write(checkpointMagic[:])
	var u [4]byte
	binary.LittleEndian.PutUint32(u[:], uint32(len(js)))
	bw.write(u[:])
	bw.write(js)
	buf := make([]byte, 0, 1<<16)
	emit := func(x []float32) {
		for _, v := range x {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				bw.write(buf)
				buf = buf[:0]
			}
		}
	}
	for _, p := range m.params {
		emit(p.Data)
	}
	for _, x := range moments {
		emit(x)
	}
	bw.write(buf)
	if bw.err != nil {
		return cw.n, fmt.Errorf("transformer: write checkpoint: %w", bw.err)
	}
	binary.LittleEndian.PutUint32(u[:], cw.crc)
	if _, err := w.Write(u[:]); err != nil {
		return cw.n, fmt.Errorf("transformer: write checkpoint: %w", err)
	}
	return cw.n + 4, nil
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
}

// Load reads a model saved by Save or SaveCheckpoint, without its
// training state.
func Load(path string) (*Model, error) {
	m, _, err := LoadCheckpoint(path)
	return m, err
}

// Read reads a model written by Write or WriteCheckpoint, without its
// training state.
func Read(r io.Reader) (*Model, error) {
	m, _, err := ReadCheckpoint(r)
	return m, err
}

// LoadCheckpoint reads a model and, if the file has it, its training state
// (nil otherwise).
func LoadCheckpoint(path string) (*Model, *TrainState, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("transformer: %w", err)
	}
	defer f.Close()
	m, st, err := ReadCheckpoint(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, st, nil
}

// ReadCheckpoint reads the checkpoint format from r: the model and, if the
// file has it, its training state (nil otherwise); see WriteCheckpoint.
func ReadCheckpoint(r io.Reader) (*Model, *TrainState, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("transformer: read checkpoint: %w", err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("transformer: checkpoint: %s: %w", fmt.Sprintf(format, args...), ErrFormat)
	}
	if len(data) < len(checkpointMagic)+8 || !bytes.Equal(data[:6], checkpointMagic[:6]) {
		return nil, nil, bad("not a wordspace transformer checkpoint")
	}
	if data[7] != checkpointMagic[7] || data[6] != 0 {
		return nil, nil, bad("unsupported version %d", data[7])
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, nil, bad("checksum mismatch: the file is corrupted or truncated")
	}
	hlen := int(binary.LittleEndian.Uint32(body[8:12]))
	if hlen > len(body)-12 {
		return nil, nil, bad("header length %d exceeds the file", hlen)
	}
	var h ckptHeader
	dec := json.NewDecoder(bytes.NewReader(body[12 : 12+hlen]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, nil, bad("header: %v", err)
	}
	if len(h.Tokens) <= numSpecial || h.Tokens[UnkID] != Unk || h.Tokens[BosID] != Bos || h.Tokens[EosID] != Eos {
		return nil, nil, bad("vocabulary must start with %s, %s, %s", Unk, Bos, Eos)
	}
	cfg := h.Config
	if cfg.Vocab != len(h.Tokens)-numSpecial {
		return nil, nil, bad("config says %d words, vocabulary has %d", cfg.Vocab, len(h.Tokens)-numSpecial)
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, bad("%v", err)
	}
	// Rebuild the tensors the configuration implies and check the header
	// lists exactly them, before trusting any size.
	factor := 0
	if len(h.Params) > 0 && h.Params[0].Name == "tok_static" {
		if len(h.Params[0].Shape) != 2 || h.Params[0].Shape[1] <= 0 || h.Params[0].Shape[1] > maxDim {
			return nil, nil, bad("bad tok_static shape %v", h.Params[0].Shape)
		}
		factor = h.Params[0].Shape[1]
	}
	data = body[12+hlen:]
	need := 0
	{
		// Size check from the header alone, before allocating the model.
		n := 0
		for _, p := range h.Params {
			k := 1
			for _, s := range p.Shape {
				if s <= 0 || s > maxVocab+numSpecial {
					return nil, nil, bad("tensor %s has shape %v", p.Name, p.Shape)
				}
				k *= s
				if k > len(data) {
					return nil, nil, bad("tensor %s is larger than the file", p.Name)
				}
			}
			n += k
		}
		need = n
		if h.Adam != nil {
			need = 3 * n
		}
		if 4*need != len(data) {
			return nil, nil, bad("%d bytes of weights, header implies %d", len(data), 4*need)
		}
	}
	m, err := newModel(cfg, h.Tokens[numSpecial:], factor)
	if err != nil {
		return nil, nil, bad("%v", err)
	}
	if len(m.params) != len(h.Params) {
		return nil, nil, bad("%d tensors, configuration implies %d", len(h.Params), len(m.params))
	}
	for i, p := range m.params {
		if h.Params[i].Name != p.Name || !slices.Equal(h.Params[i].Shape, p.Shape) {
			return nil, nil, bad("tensor %d is %s %v, want %s %v", i, h.Params[i].Name, h.Params[i].Shape, p.Name, p.Shape)
		}
	}
	off := 0
	load := func(dst []float32) error {
		for i := range dst {
			v := math.Float32frombits(binary.LittleEndian.Uint32(data[off:]))
			if v != v || math.IsInf(float64(v), 0) {
				return bad("non-finite value")
			}
			dst[i] = v
			off += 4
		}
		return nil
	}
	for _, p := range m.params {
		if err := load(p.Data); err != nil {
			return nil, nil, err
		}
	}
	m.changed()
	st := &TrainState{Step: h.Step}
	if h.Adam != nil {
		a := h.Adam
		o := &AdamW{Beta1: a.Beta1, Beta2: a.Beta2, Eps: a.Eps, WeightDecay: a.WeightDecay, DecayAll: a.DecayAll, t: a.T}
		o.m = make([][]float32, len(m.params))
		o.v = make([][]float32, len(m.params))
		for i, p := range m.params {
			o.m[i] = make([]float32, len(p.Data))
			if err := load(o.m[i]); err != nil {
				return nil, nil, err
			}
		}
		for i, p := range m.params {
			o.v[i] = make([]float32, len(p.Data))
			if err := load(o.v[i]); err != nil {
				return nil, nil, err
			}
		}
		st.Opt = o
	}
	return m, st, nil
}
