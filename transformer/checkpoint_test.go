package transformer

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"strings"
	"testing"
)

// endless is a reader that never ends (like /dev/zero), counting what it
// hands out.
type endless struct {
	fill byte
	read int64
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.fill
	}
	e.read += int64(len(p))
	return len(p), nil
}

// TestCheckpointChecksMagicFirst feeds the reader inputs that are not
// checkpoints, or that claim more than they hold, and checks that it
// refuses them after reading little: the magic is checked before anything
// else, and the weights are read only as far as the header says.
func TestCheckpointChecksMagicFirst(t *testing.T) {
	m, err := New(Config{DModel: 4, Heads: 1, Layers: 1, DFF: 4, Context: 3}, testWords(3))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	hlen := int(binary.LittleEndian.Uint32(good[8:]))
	weights := len(good) - 12 - hlen - 4

	for _, c := range []struct {
		name    string
		prefix  []byte // then endless bytes
		fill    byte
		maxRead int64
	}{
		{"zeros (/dev/zero)", nil, 0, 64 << 10},
		{"text", []byte(strings.Repeat("the quick brown fox ", 10)), 'x', 64 << 10},
		// A real header, then weights that never end: read the weights
		// the header implies and the checksum, then stop.
		{"endless weights", good[:12+hlen], 0, int64(weights) + 64<<10},
	} {
		e := &endless{fill: c.fill}
		_, _, err := ReadCheckpoint(io.MultiReader(bytes.NewReader(c.prefix), e))
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want ErrFormat", c.name, err)
		}
		if e.read > c.maxRead {
			t.Errorf("%s: read %d bytes before refusing (%v)", c.name, e.read, err)
		}
	}

	// Bytes after the checksum are refused, also when the checksum covers them.
	trailing := append(append([]byte(nil), good...), 0)
	if _, _, err := ReadCheckpoint(bytes.NewReader(trailing)); !errors.Is(err, ErrFormat) {
		t.Errorf("a byte after the checksum: error %v, want ErrFormat", err)
	}
	body := append(append([]byte(nil), good[:len(good)-4]...), 1, 2, 3, 4)
	body = binary.LittleEndian.AppendUint32(body, crc32.Checksum(body, castagnoli))
	if _, _, err := ReadCheckpoint(bytes.NewReader(body)); !errors.Is(err, ErrFormat) {
		t.Errorf("extra weights under a valid checksum: error %v, want ErrFormat", err)
	}
	// Every prefix of a good file is refused as malformed.
	for n := range len(good) {
		if _, _, err := ReadCheckpoint(bytes.NewReader(good[:n])); !errors.Is(err, ErrFormat) {
			t.Fatalf("the first %d of %d bytes: error %v, want ErrFormat", n, len(good), err)
		}
	}
}

// TestNPZValues checks that the largest finite float32 values load, that
// infinities do not, and that a broken .npy entry is an error matching
// ErrFormat.
func TestNPZValues(t *testing.T) {
	m, err := New(Config{DModel: 4, Heads: 2, Layers: 1, DFF: 4, Context: 3}, testWords(3))
	if err != nil {
		t.Fatal(err)
	}
	p := m.Param("blocks.0.attn.wq")
	for _, c := range []struct {
		v  float32
		ok bool
	}{{3.3e38, true}, {-math.MaxFloat32, true}, {float32(math.Inf(1)), false}} {
		p.Data[5] = c.v
		var buf bytes.Buffer
		if err := m.WriteNPZ(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		switch {
		case c.ok && err != nil:
			t.Errorf("%v: %v", c.v, err)
		case c.ok && back.Param("blocks.0.attn.wq").Data[5] != c.v:
			t.Errorf("%v: read back %v", c.v, back.Param("blocks.0.attn.wq").Data[5])
		case !c.ok && !errors.Is(err, ErrFormat):
			t.Errorf("%v: error %v, want ErrFormat", c.v, err)
		}
	}
	p.Data[5] = 0

	// The same archive with one entry's .npy header broken.
	var buf bytes.Buffer
	if err := m.WriteNPZ(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "pos_emb.npy" {
			data = append([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': zz}  \n"), data[26:]...)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = ReadNPZ(bytes.NewReader(out.Bytes()), int64(out.Len()))
	var fe *FormatError
	if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) || fe.Entry != "pos_emb" {
		t.Errorf("broken .npy header: error %v, want a *FormatError naming pos_emb", err)
	}
}
