package transformer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"

	"github.com/wordspace/wordspace/internal/atomicfile"
)

// ErrFormat is matched (with errors.Is) by every error about a weights
// file or checkpoint that cannot be read: truncated, corrupted, or not
// what its header says. A *FormatError says where the problem is.
var ErrFormat = errors.New("malformed model file")

// FormatError describes a malformed model file: its format ("checkpoint"
// or "npz"), the tensor or archive entry at fault ("" for the file as a
// whole), what is wrong, and the underlying cause if any.
type FormatError struct {
	Format string
	Entry  string
	Msg    string
	Err    error // may be nil
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("transformer: ")
	b.WriteString(e.Format)
	if e.Entry != "" {
		b.WriteString(": ")
		b.WriteString(e.Entry)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	b.WriteString(": ")
	b.WriteString(ErrFormat.Error())
	return b.String()
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

// WriteNPZ writes the weights as a NumPy .npz archive with exactly the
// names, shapes and conventions of ../shared/bench/torch_ref.py, so that
// PyTorch (TransformerLM.load_state_dict after dropping the config.* keys)
// and transformer_crosscheck.py read it as is:
//
//	config.heads, config.tied, config.pos_learned (0 for sinusoidal
//	positions), config.ctx, config.gelu_tanh (1 for the tanh
//	approximation): int64 scalars; config.ln_eps: float64;
//	config.vocab: uint8, the tokens joined by "\n" (wordspace's addition;
//	the reference ignores config.* keys);
//	tok_emb (V, d), pos_emb (ctx, d; learned positions only),
//	blocks.{i}.ln1.g/.b, attn.wq/bq/wk/bk/wv/bv/wo/bo, ln2.g/.b,
//	ffn.w1/b1/w2/b2, ln_f.g/.b, head.w (d, V) when untied: float32,
//	matrices (in, out).
//
// A factorised embedding is written as its product tok_emb = static @ proj;
// a model read back from the file has a plain embedding.
func (m *Model) WriteNPZ(w io.Writer) error {
	zw := npz.NewWriter(w)
	put := func(name string, v any) error {
		if err := zw.Write(name+".npy", v); err != nil {
			return fmt.Errorf("transformer: write %s: %w", name, err)
		}
		return nil
	}
	flag := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	for _, kv := range []struct {
		k string
		v any
	}{
		{"config.heads", int64(m.cfg.Heads)},
		{"config.tied", flag(m.head == nil)},
		{"config.pos_learned", flag(m.pos != nil)},
		{"config.ctx", int64(m.cfg.Context)},
		{"config.gelu_tanh", flag(m.cfg.TanhGELU)},
		{"config.ln_eps", m.cfg.LayerNormEps},
		{"config.vocab", []uint8(strings.Join(m.tokens, "\n"))},
	} {
		if err := put(kv.k, kv.v); err != nil {
			return err
		}
	}
	if m.tok == nil {
		V, d := len(m.tokens), m.cfg.DModel
		if err := put("tok_emb", rows(m.tokTable(), V, d)); err != nil {
			return err
		}
	}
	for _, p := range m.params {
		if p == m.static || p == m.proj {
			continue
		}
		var v any = p.Data
		if len(p.Shape) == 2 {
			v = rows(p.Data, p.Shape[0], p.Shape[1])
		}
		if err := put(p.Name, v); err != nil {
			return err
		}
	}
	return zw.Close()
}

// rows views a row-major matrix as a slice of rows, which npyio writes
// with a 2-D shape.
func rows(data []float32, r, c int) [][]float32 {
	s := make([][]float32, r)
	for i := range s {
		s[i] = data[i*c : (i+1)*c : (i+1)*c]
	}
	return s
}

// SaveNPZ writes the weights to path atomically; see WriteNPZ.
func (m *Model) SaveNPZ(path string) error {
	return atomicfile.Write(path, m.WriteNPZ)
}

// LoadNPZ reads a model written by SaveNPZ or by PyTorch in the same
// layout; see ReadNPZ.
func LoadNPZ(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	}
	m, err := ReadNPZ(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ReadNPZ reads a .npz archive in the layout WriteNPZ documents. Arrays
// may be float32 or float64. The configuration comes from the shapes and
// the config.* entries; without config.vocab the tokens are named <unk>,
// <bos>, <eos>, then "#3", "#4", ... by id. The variants of the format
// are read as Config says them: config.pos_learned = 0 (sinusoidal
// positions; config.ctx then gives the context), config.gelu_tanh = 1
// (tanh GELU) and another config.ln_eps. A missing, extra or misshapen
// tensor is an error. Every size an entry's header claims is
// checked against the entry's size before anything is allocated for it.
func ReadNPZ(r io.ReaderAt, size int64) (*Model, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, &FormatError{Format: "npz", Msg: "not an npz archive", Err: err}
	}
	a := &npzArchive{arrays: make(map[string]*zip.File)}
	for _, f := range zr.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, a.errorf("", "entry %q is not an .npy array", f.Name)
		}
		a.arrays[name] = f
	}
	cfg, tokens, err := a.config()
	if err != nil {
		return nil, err
	}
	m, err := New(cfg, tokens[numSpecial:])
	if err != nil {
		return nil, a.wrap("", err)
	}
	if err := a.weights(m); err != nil {
		return nil, err
	}
	m.changed()
	return m, nil
}

// npzArchive is an .npz archive being read: its .npy entries by name.
type npzArchive struct {
	arrays map[string]*zip.File
}

func (a *npzArchive) errorf(entry, format string, args ...any) error {
	return &FormatError{Format: "npz", Entry: entry, Msg: fmt.Sprintf(format, args...)}
}

func (a *npzArchive) wrap(entry string, err error) error {
	return &FormatError{Format: "npz", Entry: entry, Msg: "bad data", Err: err}
}

// open opens entry name after checking its .npy prefix.
func (a *npzArchive) open(name string) (io.ReadCloser, error) {
	f, ok := a.arrays[name]
	if !ok {
		return nil, a.errorf("", "no array %s", name)
	}
	if err := checkPrefix(f); err != nil {
		return nil, a.wrap(name, err)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, a.wrap(name, err)
	}
	return rc, nil
}

// header returns the .npy header of entry name.
func (a *npzArchive) header(name string) (*npy.Header, error) {
	rc, err := a.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var nr *npy.Reader
	if err := guard(func() (err error) { nr, err = npy.NewReader(rc); return err }); err != nil {
		return nil, a.wrap(name, err)
	}
	h := nr.Header
	h.Descr.Type = strings.Trim(h.Descr.Type, "'\"")
	return &h, nil
}

// read decodes entry name into v, which npy.Read fills.
func (a *npzArchive) read(name string, v any) error {
	rc, err := a.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := guard(func() error { return npy.Read(rc, v) }); err != nil {
		return a.wrap(name, err)
	}
	return nil
}

// floats loads a float32 or float64 array of the given shape after
// checking its header against the size of its entry, so that a lying
// header cannot make us allocate.
func (a *npzArchive) floats(name string, shape []int) ([]float32, error) {
	h, err := a.header(name)
	if err != nil {
		return nil, err
	}
	if h.Descr.Fortran {
		return nil, a.errorf(name, "stored in Fortran order")
	}
	if !slices.Equal(h.Descr.Shape, shape) {
		return nil, a.errorf(name, "shape %v, want %v", h.Descr.Shape, shape)
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	esize := 0
	switch h.Descr.Type {
	case "<f4":
		esize = 4
	case "<f8":
		esize = 8
	default:
		return nil, a.errorf(name, "type %s, want float32 or float64", h.Descr.Type)
	}
	if c := capacity(a.arrays[name]); uint64(n)*uint64(esize) > c {
		return nil, a.errorf(name, "header claims %d values, the entry can hold at most %d bytes", n, c)
	}
	out := make([]float32, n)
	if esize == 4 {
		if err := a.read(name, &out); err != nil {
			return nil, err
		}
		return out, nil
	}
	v := make([]float64, n)
	if err := a.read(name, &v); err != nil {
		return nil, err
	}
	for i, x := range v {
		out[i] = float32(x)
	}
	return out, nil
}

// scalar reads an integer scalar, or returns def when the archive has no
// entry name.
func (a *npzArchive) scalar(name string, def int64) (int64, error) {
	if _, ok := a.arrays[name]; !ok {
		return def, nil
	}
	h, err := a.header(name)
	if err != nil {
		return 0, err
	}
	if len(h.Descr.Shape) != 0 {
		return 0, a.errorf(name, "not a scalar")
	}
	switch h.Descr.Type {
	case "<i8":
		var v int64
		err := a.read(name, &v)
		return v, err
	case "<i4":
		var v int32
		err := a.read(name, &v)
		return int64(v), err
	}
	return 0, a.errorf(name, "type %s, want an integer", h.Descr.Type)
}

// config works the model's configuration out from the config.* entries
// and the shapes of tok_emb, pos_emb and blocks.0.ffn.w1, and returns it
// with the tokens.
func (a *npzArchive) config() (Config, []string, error) {
	var cfg Config
	if err := a.conventions(&cfg); err != nil {
		return cfg, nil, err
	}
	heads, err := a.scalar("config.heads", 0)
	if err != nil {
		return cfg, nil, err
	}
	if heads <= 0 || heads > maxDim {
		return cfg, nil, a.errorf("config.heads", "missing or out of range (%d)", heads)
	}
	cfg.Heads = int(heads)
	tied, err := a.scalar("config.tied", 1)
	if err != nil {
		return cfg, nil, err
	}
	cfg.Untied = tied == 0
	V, err := a.shapes(&cfg)
	if err != nil {
		return cfg, nil, err
	}
	if cfg.Layers, err = a.layers(); err != nil {
		return cfg, nil, err
	}
	if V <= numSpecial || V > maxVocab+numSpecial {
		return cfg, nil, a.errorf("tok_emb", "vocabulary of %d tokens out of range", V)
	}
	tokens, err := a.vocab(V)
	if err != nil {
		return cfg, nil, err
	}
	if tokens[UnkID] != Unk || tokens[BosID] != Bos || tokens[EosID] != Eos {
		return cfg, nil, a.errorf("config.vocab", "must start with %s, %s, %s", Unk, Bos, Eos)
	}
	cfg.Vocab = V - numSpecial
	if err := cfg.Validate(); err != nil {
		return cfg, nil, a.wrap("", err)
	}
	if err := a.checkSizes(cfg, V); err != nil {
		return cfg, nil, err
	}
	return cfg, tokens, nil
}

// conventions reads the config.* entries that choose between the
// format's variants: positions, GELU and LayerNorm's epsilon.
func (a *npzArchive) conventions(cfg *Config) error {
	posLearned, err := a.scalar("config.pos_learned", 1)
	if err != nil {
		return err
	}
	if posLearned != 0 && posLearned != 1 {
		return a.errorf("config.pos_learned", "%d, want 0 or 1", posLearned)
	}
	cfg.SinusoidalPositions = posLearned == 0
	g, err := a.scalar("config.gelu_tanh", 0)
	if err != nil {
		return err
	}
	if g != 0 && g != 1 {
		return a.errorf("config.gelu_tanh", "%d, want 0 or 1", g)
	}
	cfg.TanhGELU = g == 1
	cfg.LayerNormEps = defaultLNEps
	if _, ok := a.arrays["config.ln_eps"]; ok {
		// A scalar: checked as such before npyio reads it, since npyio
		// allocates whatever shape the header claims.
		h, err := a.header("config.ln_eps")
		if err != nil {
			return err
		}
		var eps float64
		switch {
		case len(h.Descr.Shape) != 0:
			return a.errorf("config.ln_eps", "not a scalar")
		case h.Descr.Type == "<f8":
			err = a.read("config.ln_eps", &eps)
		case h.Descr.Type == "<f4":
			var e32 float32
			err = a.read("config.ln_eps", &e32)
			eps = float64(e32)
		default:
			return a.errorf("config.ln_eps", "type %s, want a float", h.Descr.Type)
		}
		if err != nil {
			return err
		}
		if !(eps > 0 && eps <= 1) {
			return a.errorf("config.ln_eps", "%v out of range (0, 1]", eps)
		}
		cfg.LayerNormEps = eps
	}
	return nil
}

// shapes sets the widths and the context from the shapes of the
// embeddings and the first feed-forward layer, and returns the number of
// tokens.
func (a *npzArchive) shapes(cfg *Config) (V int, err error) {
	names := []string{"tok_emb", "blocks.0.ffn.w1", "pos_emb"}
	if cfg.SinusoidalPositions {
		names = names[:2] // no parameter
	}
	var dims [3][]int
	for i, name := range names {
		h, err := a.header(name)
		if err != nil {
			return 0, err
		}
		if len(h.Descr.Shape) != 2 {
			return 0, a.errorf(name, "not a matrix")
		}
		dims[i] = h.Descr.Shape
	}
	V = dims[0][0]
	cfg.DModel, cfg.DFF = dims[0][1], dims[1][1]
	if cfg.SinusoidalPositions {
		c, err := a.scalar("config.ctx", 0)
		if err != nil {
			return 0, err
		}
		if c < 2 || c > maxContext {
			return 0, a.errorf("config.ctx", "missing or out of range (%d); sinusoidal positions need it", c)
		}
		cfg.Context = int(c)
		return V, nil
	}
	cfg.Context = dims[2][0]
	c, err := a.scalar("config.ctx", int64(cfg.Context))
	if err != nil {
		return 0, err
	}
	if c != int64(cfg.Context) {
		return 0, a.errorf("config.ctx", "%d disagrees with pos_emb's %d rows", c, cfg.Context)
	}
	return V, nil
}

// layers counts the blocks.{i} prefixes, which must be 0..n-1.
func (a *npzArchive) layers() (int, error) {
	seen := map[int]bool{}
	for name := range a.arrays {
		rest, ok := strings.CutPrefix(name, "blocks.")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(rest[:max(0, strings.IndexByte(rest, '.'))])
		if err != nil || i < 0 || i >= maxLayers {
			return 0, a.errorf(name, "bad block name")
		}
		seen[i] = true
	}
	for i := range len(seen) {
		if !seen[i] {
			return 0, a.errorf("", "block %d is missing", i)
		}
	}
	return len(seen), nil
}

// checkSizes checks the sizes the headers claim against the archive
// before the model they imply is allocated.
func (a *npzArchive) checkSizes(cfg Config, V int) error {
	checks := []struct {
		name string
		n    uint64
	}{
		{"tok_emb", uint64(V) * uint64(cfg.DModel)},
		{"blocks.0.ffn.w1", uint64(cfg.DModel) * uint64(cfg.DFF)},
		{"blocks.0.attn.wq", uint64(cfg.DModel) * uint64(cfg.DModel)},
		{"pos_emb", uint64(cfg.Context) * uint64(cfg.DModel)},
	}
	if cfg.SinusoidalPositions {
		checks = checks[:3]
	}
	for _, c := range checks {
		f, ok := a.arrays[c.name]
		if !ok {
			return a.errorf("", "no array %s", c.name)
		}
		if 4*c.n > capacity(f) {
			return a.errorf(c.name, "claims %d values, more than its entry can hold", c.n)
		}
	}
	return nil
}

// weights reads every tensor of m, which must be all the archive holds
// besides config.* entries, and checks the values are finite.
func (a *npzArchive) weights(m *Model) error {
	seen := map[string]bool{}
	for _, p := range m.params {
		data, err := a.floats(p.Name, p.Shape)
		if err != nil {
			return err
		}
		copy(p.Data, data)
		seen[p.Name] = true
	}
	var extra []string
	for name := range a.arrays {
		if !seen[name] && !strings.HasPrefix(name, "config.") {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return a.errorf("", "unexpected arrays %v", extra)
	}
	for _, p := range m.params {
		for _, v := range p.Data {
			if v != v || math.IsInf(float64(v), 0) {
				return a.errorf(p.Name, "holds a non-finite value")
			}
		}
	}
	return nil
}

// vocab reads config.vocab, the V tokens joined by "\n", or names them by
// id when the archive has no vocabulary.
func (a *npzArchive) vocab(V int) ([]string, error) {
	f, ok := a.arrays["config.vocab"]
	if !ok {
		t := make([]string, V)
		copy(t, []string{Unk, Bos, Eos})
		for i := numSpecial; i < V; i++ {
			t[i] = "#" + strconv.Itoa(i)
		}
		return t, nil
	}
	// A vocabulary of V tokens of at most 1 KiB each; the slice is sized
	// before reading so that the header's claim cannot make us allocate.
	b := make([]uint8, min(capacity(f), uint64(V)<<10))
	if err := a.read("config.vocab", &b); err != nil {
		return nil, err
	}
	text := strings.TrimRight(string(b), "\x00")
	t := strings.Split(text, "\n")
	if len(t) != V || strings.Contains(text, "\x00") {
		return nil, a.errorf("config.vocab", "%d tokens, tok_emb %d rows", len(t), V)
	}
	return t, nil
}

// guard runs an npyio call, turning a panic (npyio v0.14.0 panics on some
// malformed headers instead of returning an error) into an error.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed .npy data (%v)", r)
		}
	}()
	return f()
}

// capacity bounds the bytes a zip entry can decompress to: what its header
// says, but never more than deflate's maximum ratio (about 1032:1) allows
// for its compressed size, so that a lying header cannot make us allocate.
func capacity(f *zip.File) uint64 {
	return min(f.UncompressedSize64, f.CompressedSize64*1100+4096)
}

// checkPrefix checks the .npy magic and that the header is of a sane
// length before npyio allocates it.
func checkPrefix(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	var p [12]byte
	if _, err := io.ReadFull(rc, p[:]); err != nil {
		return fmt.Errorf("short .npy entry: %v", err)
	}
	if string(p[:6]) != "\x93NUMPY" {
		return errors.New("not an .npy array")
	}
	switch p[6] {
	case 1:
	case 2, 3:
		if n := uint32(p[8]) | uint32(p[9])<<8 | uint32(p[10])<<16 | uint32(p[11])<<24; n > 1<<20 {
			return fmt.Errorf(".npy header of %d bytes", n)
		}
	default:
		return fmt.Errorf(".npy version %d", p[6])
	}
	return nil
}
