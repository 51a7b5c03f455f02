package transformer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"

	"github.com/wordspace/wordspace/internal/atomicfile"
)

// ErrFormat is returned (wrapped) for a weights file or checkpoint that
// cannot be read: truncated, corrupted, or not what its header says.
var ErrFormat = errors.New("malformed model file")

// WriteNPZ writes the weights as a NumPy .npz archive with exactly the
// names, shapes and conventions of ../shared/bench/torch_ref.py, so that
// PyTorch (TransformerLM.load_state_dict after dropping the config.* keys)
// and transformer_crosscheck.py read it as is:
//
//	config.heads, config.tied, config.pos_learned (always 1), config.ctx,
//	config.gelu_tanh (always 0): int64 scalars; config.ln_eps: float64 1e-5;
//	config.vocab: uint8, the tokens joined by "\n" (wordspace's addition;
//	the reference ignores config.* keys);
//	tok_emb (V, d), pos_emb (ctx, d), blocks.{i}.ln1.g/.b, attn.wq/bq/wk/
//	bk/wv/bv/wo/bo, ln2.g/.b, ffn.w1/b1/w2/b2, ln_f.g/.b, head.w (d, V)
//	when untied: float32, matrices (in, out).
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
	tied := int64(1)
	if m.head != nil {
		tied = 0
	}
	for _, kv := range []struct {
		k string
		v any
	}{
		{"config.heads", int64(m.cfg.Heads)},
		{"config.tied", tied},
		{"config.pos_learned", int64(1)},
		{"config.ctx", int64(m.cfg.Context)},
		{"config.gelu_tanh", int64(0)},
		{"config.ln_eps", float64(lnEps)},
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
// <bos>, <eos>, then "#3", "#4", ... by id. Learned positions, exact GELU
// and eps 1e-5 are required; anything else is an error, as is a missing,
// extra or misshapen tensor.
func ReadNPZ(r io.ReaderAt, size int64) (*Model, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("transformer: not an npz archive: %v: %w", err, ErrFormat)
	}
	arrays := make(map[string]*zip.File)
	for _, f := range zr.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("transformer: npz entry %q is not an .npy array: %w", f.Name, ErrFormat)
		}
		arrays[name] = f
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("transformer: npz: %s: %w", fmt.Sprintf(format, args...), ErrFormat)
	}
	header := func(name string) (*npy.Header, error) {
		f, ok := arrays[name]
		if !ok {
			return nil, bad("no array %s", name)
		}
		if err := checkPrefix(f); err != nil {
			return nil, bad("%s: %v", name, err)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, bad("%s: %v", name, err)
		}
		defer rc.Close()
		var nr *npy.Reader
		err = guard(func() (err error) { nr, err = npy.NewReader(rc); return err })
		if err != nil {
			return nil, bad("%s: %v", name, err)
		}
		h := nr.Header
		h.Descr.Type = strings.Trim(h.Descr.Type, "'\"")
		return &h, nil
	}
	// read loads a numeric array after checking its header against the
	// size of its entry, so a lying header cannot make us allocate.
	read := func(name string, want []int) ([]float32, error) {
		h, err := header(name)
		if err != nil {
			return nil, err
		}
		if h.Descr.Fortran {
			return nil, bad("%s is stored in Fortran order", name)
		}
		if !slices.Equal(h.Descr.Shape, want) {
			return nil, bad("%s has shape %v, want %v", name, h.Descr.Shape, want)
		}
		n := 1
		for _, s := range want {
			n *= s
		}
		esize := 0
		switch h.Descr.Type {
		case "<f4":
			esize = 4
		case "<f8":
			esize = 8
		default:
			return nil, bad("%s has type %s, want float32 or float64", name, h.Descr.Type)
		}
		if c := capacity(arrays[name]); uint64(n)*uint64(esize) > c {
			return nil, bad("%s: header claims %d values, the entry can hold at most %d bytes", name, n, c)
		}
		rc, err := arrays[name].Open()
		if err != nil {
			return nil, bad("%s: %v", name, err)
		}
		defer rc.Close()
		out := make([]float32, n)
		if esize == 4 {
			if err := guard(func() error { return npy.Read(rc, &out) }); err != nil {
				return nil, bad("%s: %v", name, err)
			}
			return out, nil
		}
		v := make([]float64, n)
		if err := guard(func() error { return npy.Read(rc, &v) }); err != nil {
			return nil, bad("%s: %v", name, err)
		}
		for i, x := range v {
			out[i] = float32(x)
		}
		return out, nil
	}
	scalar := func(name string, def int64) (int64, error) {
		if _, ok := arrays[name]; !ok {
			return def, nil
		}
		h, err := header(name)
		if err != nil {
			return 0, err
		}
		if len(h.Descr.Shape) != 0 {
			return 0, bad("%s is not a scalar", name)
		}
		rc, err := arrays[name].Open()
		if err != nil {
			return 0, bad("%s: %v", name, err)
		}
		defer rc.Close()
		switch h.Descr.Type {
		case "<i8":
			var v int64
			err = guard(func() error { return npy.Read(rc, &v) })
			return v, err
		case "<i4":
			var v int32
			err = guard(func() error { return npy.Read(rc, &v) })
			return int64(v), err
		}
		return 0, bad("%s has type %s, want an integer", name, h.Descr.Type)
	}

	var cfg Config
	heads, err := scalar("config.heads", 0)
	if err != nil {
		return nil, err
	}
	if heads <= 0 || heads > maxDim {
		return nil, bad("config.heads missing or out of range (%d)", heads)
	}
	cfg.Heads = int(heads)
	tied, err := scalar("config.tied", 1)
	if err != nil {
		return nil, err
	}
	posLearned, err := scalar("config.pos_learned", 1)
	if err != nil {
		return nil, err
	}
	if posLearned != 1 {
		return nil, bad("sinusoidal positions are not supported (config.pos_learned = %d)", posLearned)
	}
	if g, err := scalar("config.gelu_tanh", 0); err != nil || g != 0 {
		if err != nil {
			return nil, err
		}
		return nil, bad("tanh-approximate GELU is not supported")
	}
	if _, ok := arrays["config.ln_eps"]; ok {
		rc, err := arrays["config.ln_eps"].Open()
		if err != nil {
			return nil, bad("config.ln_eps: %v", err)
		}
		var eps float64
		err = guard(func() error { return npy.Read(rc, &eps) })
		rc.Close()
		if err != nil || eps != lnEps {
			return nil, bad("config.ln_eps must be 1e-5")
		}
	}
	th, err := header("tok_emb")
	if err != nil {
		return nil, err
	}
	ph, err := header("pos_emb")
	if err != nil {
		return nil, err
	}
	fh, err := header("blocks.0.ffn.w1")
	if err != nil {
		return nil, err
	}
	if len(th.Descr.Shape) != 2 || len(ph.Descr.Shape) != 2 || len(fh.Descr.Shape) != 2 {
		return nil, bad("tok_emb, pos_emb and blocks.0.ffn.w1 must be matrices")
	}
	V := th.Descr.Shape[0]
	cfg.DModel, cfg.Context, cfg.DFF = th.Descr.Shape[1], ph.Descr.Shape[0], fh.Descr.Shape[1]
	if c, err := scalar("config.ctx", int64(cfg.Context)); err != nil || c != int64(cfg.Context) {
		if err != nil {
			return nil, err
		}
		return nil, bad("config.ctx %d disagrees with pos_emb's %d rows", c, cfg.Context)
	}
	layers := map[int]bool{}
	for name := range arrays {
		rest, ok := strings.CutPrefix(name, "blocks.")
		if !ok {
			continue
		}
		i, err := strconv.Atoi(rest[:max(0, strings.IndexByte(rest, '.'))])
		if err != nil || i < 0 || i >= maxLayers {
			return nil, bad("bad block name %q", name)
		}
		layers[i] = true
	}
	cfg.Layers = len(layers)
	for i := range cfg.Layers {
		if !layers[i] {
			return nil, bad("block %d is missing", i)
		}
	}
	cfg.Untied = tied == 0
	if V <= numSpecial || V > maxVocab+numSpecial {
		return nil, bad("vocabulary of %d tokens out of range", V)
	}
	tokens, err := npzVocab(arrays, V)
	if err != nil {
		return nil, err
	}
	if tokens[UnkID] != Unk || tokens[BosID] != Bos || tokens[EosID] != Eos {
		return nil, bad("config.vocab must start with %s, %s, %s", Unk, Bos, Eos)
	}
	cfg.Vocab = V - numSpecial
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// Check the sizes the headers claim against the archive before
	// allocating the model they imply.
	for _, c := range []struct {
		name string
		n    uint64
	}{
		{"tok_emb", uint64(V) * uint64(cfg.DModel)},
		{"pos_emb", uint64(cfg.Context) * uint64(cfg.DModel)},
		{"blocks.0.ffn.w1", uint64(cfg.DModel) * uint64(cfg.DFF)},
		{"blocks.0.attn.wq", uint64(cfg.DModel) * uint64(cfg.DModel)},
	} {
		f, ok := arrays[c.name]
		if !ok {
			return nil, bad("no array %s", c.name)
		}
		if 4*c.n > capacity(f) {
			return nil, bad("%s claims %d values, more than its entry can hold", c.name, c.n)
		}
	}
	m, err := New(cfg, tokens[numSpecial:])
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range m.params {
		data, err := read(p.Name, p.Shape)
		if err != nil {
			return nil, err
		}
		copy(p.Data, data)
		seen[p.Name] = true
	}
	var extra []string
	for name := range arrays {
		if !seen[name] && !strings.HasPrefix(name, "config.") {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return nil, bad("unexpected arrays %v", extra)
	}
	for _, p := range m.params {
		for _, v := range p.Data {
			if v != v || v > 3e38 || v < -3e38 {
				return nil, bad("%s holds a non-finite value", p.Name)
			}
		}
	}
	m.changed()
	return m, nil
}

func npzVocab(arrays map[string]*zip.File, V int) ([]string, error) {
	f, ok := arrays["config.vocab"]
	if !ok {
		t := make([]string, V)
		copy(t, []string{Unk, Bos, Eos})
		for i := numSpecial; i < V; i++ {
			t[i] = "#" + strconv.Itoa(i)
		}
		return t, nil
	}
	if err := checkPrefix(f); err != nil {
		return nil, fmt.Errorf("transformer: npz: config.vocab: %v: %w", err, ErrFormat)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("transformer: npz: config.vocab: %v: %w", err, ErrFormat)
	}
	defer rc.Close()
	// A vocabulary of V tokens of at most 1 KiB each; the slice is sized
	// before reading so that the header's claim cannot make us allocate.
	c := capacity(f)
	if c > uint64(V)<<10 {
		c = uint64(V) << 10
	}
	b := make([]uint8, c)
	if err := guard(func() error { return npy.Read(rc, &b) }); err != nil {
		return nil, fmt.Errorf("transformer: npz: config.vocab: %v: %w", err, ErrFormat)
	}
	text := strings.TrimRight(string(b), "\x00")
	t := strings.Split(text, "\n")
	if len(t) != V || strings.Contains(text, "\x00") {
		return nil, fmt.Errorf("transformer: npz: config.vocab has %d tokens, tok_emb %d rows: %w", len(t), V, ErrFormat)
	}
	return t, nil
}

// guard runs an npyio call, turning a panic (npyio v0.14.0 panics on some
// malformed headers instead of returning an error) into ErrFormat.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed .npy data (%v): %w", r, ErrFormat)
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
