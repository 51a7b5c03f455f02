package transformer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"

	"github.com/wordspace/wordspace/internal/atomicfile"
	"github.com/wordspace/wordspace/internal/readfile"
)

// Checkpoint file format (little-endian throughout):
//
//	magic   8 bytes  "WSXFMR\x00\x01" (the last byte is the version, 1)
//	hlen    uint32   length of the header
//	header  hlen bytes of JSON: {"config": Config, "tokens": [...],
//	        "params": [{"name", "shape"}...], "step": training steps done,
//	        "adam": {"t", "beta1", "beta2", "eps", "weight_decay",
//	        "decay_all"} or absent, "plan": the run's TrainOptions (steps,
//	        batch, lr, ...) or absent, "corpus": the corpus fingerprint or
//	        absent}
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
	Plan   *ckptPlan   `json:"plan,omitempty"`
	Corpus string      `json:"corpus,omitempty"`
}

// ckptPlan is the numeric part of the TrainOptions of the run that saved
// a checkpoint.
type ckptPlan struct {
	Steps       int     `json:"steps"`
	Batch       int     `json:"batch"`
	LR          float64 `json:"lr"`
	MinLR       float64 `json:"min_lr"`
	Warmup      int     `json:"warmup"`
	WeightDecay float64 `json:"weight_decay"`
	Clip        float64 `json:"clip"`
	HeldOut     float64 `json:"held_out"`
	EvalEvery   int     `json:"eval_every"`
	EvalTokens  int     `json:"eval_tokens"`
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
// exactly where it stopped: the optimiser's moments and the step count,
// with what the run was set to do and the corpus it read.
type TrainState struct {
	Step int
	Opt  *AdamW
	// Options are the settings of the run that saved the state, with the
	// defaults filled in (only the numbers: Steps, Batch, LR, MinLR,
	// Warmup, WeightDecay, Clip, HeldOut, EvalEvery, EvalTokens), so that
	// a caller can tell whether it resumes the same plan; zero in
	// checkpoints that predate them. Train uses the options it is given.
	Options TrainOptions
	// Corpus is the fingerprint of the training corpus
	// (corpus.(*Corpus).Fingerprint), "" when unknown. Train refuses to
	// resume on a corpus whose fingerprint differs.
	Corpus string
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
		h.Corpus = st.Corpus
		if o := st.Options; o.Steps > 0 {
			h.Plan = &ckptPlan{Steps: o.Steps, Batch: o.Batch, LR: o.LR, MinLR: o.MinLR, Warmup: o.Warmup,
				WeightDecay: o.WeightDecay, Clip: o.Clip, HeldOut: o.HeldOut, EvalEvery: o.EvalEvery, EvalTokens: o.EvalTokens}
		}
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
	type modelState struct {
		m  *Model
		st *TrainState
	}
	ms, err := readfile.Read("transformer", path, func(r io.Reader) (modelState, error) {
		m, st, err := ReadCheckpoint(r)
		return modelState{m, st}, err
	})
	return ms.m, ms.st, err
}

// ReadCheckpoint reads the checkpoint format from r: the model and, if the
// file has it, its training state (nil otherwise); see WriteCheckpoint.
// The magic is checked before anything else is read, and memory grows
// with the bytes actually read, never with the sizes the header claims.
func ReadCheckpoint(r io.Reader) (*Model, *TrainState, error) {
	c := &ckptReader{}
	h, err := c.read(r)
	if err != nil {
		return nil, nil, err
	}
	m, err := c.model(h)
	if err != nil {
		return nil, nil, err
	}
	st := &TrainState{Step: h.Step, Corpus: h.Corpus}
	if p := h.Plan; p != nil {
		st.Options = TrainOptions{Steps: p.Steps, Batch: p.Batch, LR: p.LR, MinLR: p.MinLR, Warmup: p.Warmup,
			WeightDecay: p.WeightDecay, Clip: p.Clip, HeldOut: p.HeldOut, EvalEvery: p.EvalEvery, EvalTokens: p.EvalTokens}
	}
	if h.Adam != nil {
		if st.Opt, err = c.adam(h.Adam, m); err != nil {
			return nil, nil, err
		}
	}
	return m, st, nil
}

// ckptReader decodes a checkpoint section by section.
type ckptReader struct {
	data []byte // the tensors' bytes, after the header
	off  int    // read position in data
}

func (c *ckptReader) errorf(entry, format string, args ...any) error {
	return &FormatError{Format: "checkpoint", Entry: entry, Msg: fmt.Sprintf(format, args...)}
}

// read reads the frame of a checkpoint: the magic and the version (a file
// of another kind is refused after its first 12 bytes), the header, whose
// shapes say how many bytes of tensors follow, those bytes and the
// checksum, which must end the input. It returns the header and keeps
// the tensors' bytes for the next steps.
func (c *ckptReader) read(r io.Reader) (*ckptHeader, error) {
	var pre [12]byte
	n, err := io.ReadFull(r, pre[:])
	if n < 6 || !bytes.Equal(pre[:6], checkpointMagic[:6]) {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("transformer: read checkpoint: %w", err)
		}
		return nil, c.errorf("", "not a wordspace transformer checkpoint")
	}
	if n >= 8 && (pre[7] != checkpointMagic[7] || pre[6] != 0) {
		return nil, c.errorf("", "unsupported version %d", pre[7])
	}
	if err != nil {
		return nil, c.readErr(err, "the file ends in its first 12 bytes")
	}
	crc := crc32.Update(0, castagnoli, pre[:])
	hlen := int64(binary.LittleEndian.Uint32(pre[8:]))
	js, err := io.ReadAll(io.LimitReader(r, hlen)) // grows with the data, not with hlen
	if err != nil {
		return nil, c.readErr(err, "")
	}
	if int64(len(js)) < hlen {
		return nil, c.errorf("", "header length %d exceeds the file", hlen)
	}
	crc = crc32.Update(crc, castagnoli, js)
	h, err := c.header(js)
	if err != nil {
		return nil, err
	}
	size, err := c.tensorBytes(h)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, size+5))
	if err != nil {
		return nil, c.readErr(err, "")
	}
	if int64(len(data)) != size+4 {
		if int64(len(data)) > size+4 {
			return nil, c.errorf("", "data after the checksum: the header implies %d bytes of weights", size)
		}
		return nil, c.errorf("", "%d bytes of weights and checksum, header implies %d", len(data), size+4)
	}
	crc = crc32.Update(crc, castagnoli, data[:size])
	if crc != binary.LittleEndian.Uint32(data[size:]) {
		return nil, c.errorf("", "checksum mismatch: the file is corrupted or truncated")
	}
	c.data = data[:size]
	return h, nil
}

// readErr turns a read error into the error to return: a file cut short
// is malformed, anything else an I/O error.
func (c *ckptReader) readErr(err error, msg string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if msg == "" {
			msg = "the file ends early"
		}
		return &FormatError{Format: "checkpoint", Msg: msg, Err: io.ErrUnexpectedEOF}
	}
	return fmt.Errorf("transformer: read checkpoint: %w", err)
}

// header decodes the JSON header and checks the vocabulary and the
// configuration.
func (c *ckptReader) header(js []byte) (*ckptHeader, error) {
	var h ckptHeader
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, c.errorf("", "header: %v", err)
	}
	if dec.More() {
		return nil, c.errorf("", "header: data after the JSON object")
	}
	if len(h.Tokens) <= numSpecial || h.Tokens[UnkID] != Unk || h.Tokens[BosID] != Bos || h.Tokens[EosID] != Eos {
		return nil, c.errorf("", "vocabulary must start with %s, %s, %s", Unk, Bos, Eos)
	}
	if h.Config.Vocab != len(h.Tokens)-numSpecial {
		return nil, c.errorf("", "config says %d words, vocabulary has %d", h.Config.Vocab, len(h.Tokens)-numSpecial)
	}
	if err := h.Config.Validate(); err != nil {
		return nil, c.errorf("", "%v", err)
	}
	return &h, nil
}

// maxCheckpointValues bounds the float32 values a header may announce
// (2^40, four terabytes), so that the arithmetic on sizes cannot overflow.
const maxCheckpointValues = 1 << 40

// tensorBytes returns, from the header alone, the bytes of the tensors it
// lists (and the optimiser's two moments of each, with "adam").
func (c *ckptReader) tensorBytes(h *ckptHeader) (int64, error) {
	var n int64
	for _, p := range h.Params {
		k := int64(1)
		for _, s := range p.Shape {
			if s <= 0 || s > maxVocab+numSpecial {
				return 0, c.errorf(p.Name, "shape %v", p.Shape)
			}
			k *= int64(s)
			if k > maxCheckpointValues {
				return 0, c.errorf(p.Name, "shape %v is larger than any model", p.Shape)
			}
		}
		if n += k; n > maxCheckpointValues {
			return 0, c.errorf(p.Name, "the tensors are larger than any model")
		}
	}
	if h.Adam != nil {
		n *= 3
	}
	return 4 * n, nil
}

// model builds the model the configuration implies, checks the header
// lists exactly its tensors, and reads their values.
func (c *ckptReader) model(h *ckptHeader) (*Model, error) {
	factor := 0
	if len(h.Params) > 0 && h.Params[0].Name == "tok_static" {
		if len(h.Params[0].Shape) != 2 || h.Params[0].Shape[1] <= 0 || h.Params[0].Shape[1] > maxDim {
			return nil, c.errorf("tok_static", "bad shape %v", h.Params[0].Shape)
		}
		factor = h.Params[0].Shape[1]
	}
	m, err := newModel(h.Config, h.Tokens[numSpecial:], factor)
	if err != nil {
		return nil, c.errorf("", "%v", err)
	}
	if len(m.params) != len(h.Params) {
		return nil, c.errorf("", "%d tensors, configuration implies %d", len(h.Params), len(m.params))
	}
	for i, p := range m.params {
		if h.Params[i].Name != p.Name || !slices.Equal(h.Params[i].Shape, p.Shape) {
			return nil, c.errorf("", "tensor %d is %s %v, want %s %v", i, h.Params[i].Name, h.Params[i].Shape, p.Name, p.Shape)
		}
	}
	for _, p := range m.params {
		if err := c.floats(p.Name, p.Data); err != nil {
			return nil, err
		}
	}
	m.changed()
	return m, nil
}

// adam reads the optimiser's first and second moments, in the order of
// m's tensors.
func (c *ckptReader) adam(a *ckptAdam, m *Model) (*AdamW, error) {
	o := &AdamW{Beta1: a.Beta1, Beta2: a.Beta2, Eps: a.Eps, WeightDecay: a.WeightDecay, DecayAll: a.DecayAll, t: a.T}
	o.m = make([][]float32, len(m.params))
	o.v = make([][]float32, len(m.params))
	for _, moments := range [][][]float32{o.m, o.v} {
		for i, p := range m.params {
			moments[i] = make([]float32, len(p.Data))
			if err := c.floats(p.Name, moments[i]); err != nil {
				return nil, err
			}
		}
	}
	return o, nil
}

// floats reads len(dst) little-endian float32 values of tensor name,
// which must be finite.
func (c *ckptReader) floats(name string, dst []float32) error {
	for i := range dst {
		v := math.Float32frombits(binary.LittleEndian.Uint32(c.data[c.off:]))
		if v != v || math.IsInf(float64(v), 0) {
			return c.errorf(name, "non-finite value")
		}
		dst[i] = v
		c.off += 4
	}
	return nil
}
