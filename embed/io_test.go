package embed

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// randomEmbeddings returns n words of dimension dim with random values.
func randomEmbeddings(t testing.TB, n, dim int, seed uint64) *Embeddings {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	words := make([]string, n)
	for i := range words {
		words[i] = "w" + strings.Repeat("é", i%3) + string(rune('a'+i%26)) + itoa(i)
	}
	data := make([]float32, n*dim)
	for i := range data {
		data[i] = float32(rng.NormFloat64()) * 10
	}
	v, err := NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(v, dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + formatInt(i)) }

func formatInt(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func sameEmbeddings(t *testing.T, got, want *Embeddings) {
	t.Helper()
	if got.Dim() != want.Dim() || got.Len() != want.Len() {
		t.Fatalf("got %d×%d, want %d×%d", got.Len(), got.Dim(), want.Len(), want.Dim())
	}
	if !slices.Equal(got.Vocab().Words(), want.Vocab().Words()) {
		t.Fatalf("words differ: got %q, want %q", got.Vocab().Words()[:min(5, got.Len())], want.Vocab().Words()[:min(5, want.Len())])
	}
	if !slices.Equal(got.Data(), want.Data()) {
		t.Fatalf("vectors differ")
	}
	for i, w := range want.Vocab().Words() {
		if j, ok := got.Vocab().Index(w); !ok || j != i {
			t.Fatalf("index of %q: got %d %v, want %d", w, j, ok, i)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	e := randomEmbeddings(t, 50, 7, 1)
	for _, f := range []Format{Text, Binary, GloVe} {
		t.Run(f.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := e.Write(&buf, f); err != nil {
				t.Fatal(err)
			}
			for _, opt := range []LoadOptions{{Format: f}, {Format: Auto}} {
				got, err := Read(bytes.NewReader(buf.Bytes()), opt)
				if err != nil {
					t.Fatal(err)
				}
				sameEmbeddings(t, got, e)
			}
			// gzip, from a stream of unknown size
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(buf.Bytes())
			zw.Close()
			got, err := Read(io.MultiReader(&z), LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sameEmbeddings(t, got, e)
			// Limit
			got, err = Read(bytes.NewReader(buf.Bytes()), LoadOptions{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != 10 || !slices.Equal(got.Data(), e.Data()[:10*7]) {
				t.Fatalf("Limit(10): got %d words", got.Len())
			}
		})
	}
}

// TestWriteDigits checks WriteOptions.Digits: each text value has at most
// that many significant digits and is the nearest such number to the
// stored float32; Binary is unaffected; 0 is Write.
func TestWriteDigits(t *testing.T) {
	e := randomEmbeddings(t, 40, 9, 3)
	for _, tc := range []struct {
		f      Format
		digits int
	}{{Text, 5}, {GloVe, 5}, {Text, 1}, {Text, 9}, {Binary, 5}, {Text, 0}} {
		var buf, plain bytes.Buffer
		if err := e.WriteWith(&buf, tc.f, WriteOptions{Digits: tc.digits}); err != nil {
			t.Fatal(err)
		}
		if err := e.Write(&plain, tc.f); err != nil {
			t.Fatal(err)
		}
		if tc.f == Binary || tc.digits == 0 {
			if !bytes.Equal(buf.Bytes(), plain.Bytes()) {
				t.Errorf("%v, %d digits: output differs from Write's", tc.f, tc.digits)
			}
			continue
		}
		got, err := Read(bytes.NewReader(buf.Bytes()), LoadOptions{Format: tc.f})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if tc.f == Text {
			lines = lines[1:]
		}
		for i, line := range lines {
			for j, tok := range strings.Fields(line)[1:] {
				mant := strings.TrimLeft(strings.SplitN(strings.TrimPrefix(tok, "-"), "e", 2)[0], "0.")
				if n := len(strings.ReplaceAll(mant, ".", "")); n > tc.digits {
					t.Fatalf("%v, %d digits: value %q has %d", tc.f, tc.digits, tok, n)
				}
				want := strconv.FormatFloat(float64(e.Row(i)[j]), 'g', tc.digits, 32)
				if tok != want {
					t.Fatalf("%v, %d digits: row %d value %d is %q, want %q", tc.f, tc.digits, i, j, tok, want)
				}
				v, u := float64(got.Row(i)[j]), float64(e.Row(i)[j])
				if math.Abs(v-u) > math.Abs(u)*math.Pow(10, float64(1-tc.digits)) {
					t.Fatalf("%v, %d digits: %v read back as %v", tc.f, tc.digits, u, v)
				}
			}
		}
	}
	for _, d := range []int{-1, 18} {
		if err := e.WriteWith(io.Discard, Text, WriteOptions{Digits: d}); err == nil {
			t.Errorf("Digits %d: no error", d)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	e := randomEmbeddings(t, 30, 5, 2)
	dir := t.TempDir()
	for _, name := range []string{"v.txt", "v.bin", "v.vec.gz", "v.bin.gz", "glove.txt", "v.npy", "v.npy.gz"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := e.Save(path, Auto); err != nil {
				t.Fatal(err)
			}
			got, err := Load(path, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sameEmbeddings(t, got, e)
			got, err = Load(path, LoadOptions{Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != 3 {
				t.Fatalf("Limit(3): %d words", got.Len())
			}
		})
	}
	// No file is left behind but the outputs.
	ents, _ := os.ReadDir(dir)
	for _, de := range ents {
		if strings.Contains(de.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", de.Name())
		}
	}
}

func TestReadErrors(t *testing.T) {
	bin := func(header string, rows ...string) string { return header + strings.Join(rows, "") }
	f32 := func(vals ...uint32) string {
		var b []byte
		for _, v := range vals {
			b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		}
		return string(b)
	}
	one := f32(0x3f800000)
	tests := []struct {
		name, in string
		opts     LoadOptions
		want     string // substring of the error
		is       error
	}{
		{"empty", "", LoadOptions{}, "empty file", ErrFormat},
		{"blank", "\n\n", LoadOptions{Format: Text}, "empty file", ErrFormat},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", LoadOptions{}, "byte 8: not a vector file", ErrFormat},
		{"binary without header", "king\x00\x00\x80?", LoadOptions{}, "not a vector file", ErrFormat},
		{"text short row", "2 3\na 1.5 2.5 3.5\nb 1.5 2.5\n", LoadOptions{}, "line 3", ErrFormat},
		{"text long row", "2 3\na 1 2 3\nb 1 2 3 4\n", LoadOptions{}, "4 values, want 3", ErrFormat},
		{"text truncated", "3 2\na 1.25 2.25\nb 1.25 2.25\n", LoadOptions{}, "after 2 of the 3 words", io.ErrUnexpectedEOF},
		{"text extra rows", "1 2\na 1 2\nb 1 2\n", LoadOptions{}, "more rows", ErrFormat},
		{"text nan", "1 2\na 1 nan\n", LoadOptions{}, `word "a"`, ErrNotFinite},
		{"text inf", "1 2\na 1 -Inf\n", LoadOptions{}, `value 2`, ErrNotFinite},
		{"text overflow", "1 2\na 1 1e39\n", LoadOptions{}, `line 2`, ErrNotFinite},
		{"text garbage value", "1 2\na 1 x1\n", LoadOptions{}, `"x1" is not a finite`, ErrFormat},
		{"text dup", "2 1\na 1\na 2\n", LoadOptions{}, `word "a"`, ErrDuplicateWord},
		{"text huge header", "1000000000000 300\na 1\n", LoadOptions{Format: Text}, "header claims|1 values, want 300", ErrFormat},
		{"text huge dim", "1 1000000000\na 1\n", LoadOptions{Format: Text}, "header claims|1 values, want 1000000000", ErrFormat},
		{"text dim 0", "1 0\na\n", LoadOptions{Format: Text}, "dimension 0", ErrFormat},
		{"text long word", "1 1\n" + strings.Repeat("x", 2000) + " 1\n", LoadOptions{}, "longer than the limit", ErrFormat},
		{"text bad utf8 strict", "1 1\n\xff\xfe 1\n", LoadOptions{StrictUTF8: true}, "not valid UTF-8", ErrFormat},
		{"glove mismatch", "a 1 2\nb 1\n", LoadOptions{}, "line 2", ErrFormat},
		{"glove no values", "a\n", LoadOptions{}, "no values", ErrFormat},
		{"binary truncated", bin("2 1\n", "a "+one+"\n", "b \x00\x00"), LoadOptions{}, "2 bytes into a 4-byte vector", io.ErrUnexpectedEOF},
		{"binary missing row", bin("3 1\n", "a "+one+"\n", "b "+one+"\n"), LoadOptions{}, "after 2 of the 3 words|header claims 3 words", ErrFormat},
		{"binary huge count", bin("1000000000000 1\n", "a "+one), LoadOptions{}, "header claims|after 1 of the 1000000000000 words", ErrFormat},
		{"binary huge dim", bin("1 1000000000\n", "a "+one), LoadOptions{}, "header claims|4 bytes into a 4000000000-byte vector", ErrFormat},
		{"binary nan", bin("1 2\n", "a "+one+f32(0x7fc00000)), LoadOptions{}, `byte 10: word "a": value 2 is NaN`, ErrNotFinite},
		{"binary inf", bin("1 1\n", "a "+f32(0xff800000)), LoadOptions{}, "-Inf", ErrNotFinite},
		{"binary dup", bin("2 1\n", "a "+one, "a "+one), LoadOptions{}, `word "a"`, ErrDuplicateWord},
		{"binary trailing", bin("1 1\n", "a "+one, "\nzzz"), LoadOptions{}, "data after", ErrFormat},
		{"binary strict", bin("1 1\n", "\xff "+one), LoadOptions{Format: Binary, StrictUTF8: true}, "UTF-8", ErrFormat},
		{"binary long word", bin("1 1\n", strings.Repeat("y", 3000)+" "+one), LoadOptions{Format: Binary}, "longer than the limit", ErrFormat},
		{"binary no header newline", "1 1", LoadOptions{Format: Binary}, "no header", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []func() io.Reader{
				func() io.Reader { return strings.NewReader(tt.in) },                 // size known
				func() io.Reader { return io.MultiReader(strings.NewReader(tt.in)) }, // stream
			} {
				_, err := Read(r(), tt.opts)
				if err == nil {
					t.Fatalf("no error, want %q", tt.want)
				}
				if !containsAny(err.Error(), tt.want) {
					t.Errorf("error %q does not mention %q", err, tt.want)
				}
				if !errors.Is(err, tt.is) {
					t.Errorf("error %q is not %v", err, tt.is)
				}
			}
		})
	}
}

func TestReadLenient(t *testing.T) {
	tests := []struct {
		name, in string
		words    []string
		data     []float32
	}{
		{"crlf", "2 2\r\na 1 2\r\nb 3 4\r\n", []string{"a", "b"}, []float32{1, 2, 3, 4}},
		{"no final newline", "2 2\na 1 2\nb 3 4", []string{"a", "b"}, []float32{1, 2, 3, 4}},
		{"fasttext trailing space", "2 2\na 1 2 \nb 3 4 \n", []string{"a", "b"}, []float32{1, 2, 3, 4}},
		{"glove", "a 1 2\nb 3 4\n", []string{"a", "b"}, []float32{1, 2, 3, 4}},
		{"glove spaced word", "a 1 2\n. . . 3 4\n", []string{"a", ". . ."}, []float32{1, 2, 3, 4}},
		{"invalid utf8 kept", "1 1\n\xffa 5\n", []string{"\xffa"}, []float32{5}},
		{"binary no newlines", "2 1\na \x00\x00\x80\x3fb \x00\x00\x00\x40", []string{"a", "b"}, []float32{1, 2}},
		{"binary newline before word", "2 1\na \x00\x00\x80\x3f\nb \x00\x00\x00\x40\n", []string{"a", "b"}, []float32{1, 2}},
		{"empty model", "0 3\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Read(strings.NewReader(tt.in), LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(e.Vocab().Words(), tt.words) || !slices.Equal(e.Data(), tt.data) {
				t.Fatalf("got %q %v, want %q %v", e.Vocab().Words(), e.Data(), tt.words, tt.data)
			}
		})
	}
}

// containsAny reports whether s contains one of the |-separated subs.
func containsAny(s, subs string) bool {
	for _, sub := range strings.Split(subs, "|") {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestReadBinaryLarge covers the path that decodes on a second goroutine.
func TestReadBinaryLarge(t *testing.T) {
	e := randomEmbeddings(t, 3000, 5, 3)
	var buf bytes.Buffer
	if err := e.Write(&buf, Binary); err != nil {
		t.Fatal(err)
	}
	in := buf.Bytes()
	got, err := Read(bytes.NewReader(in), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameEmbeddings(t, got, e)

	// A NaN late in the file, then the file cut short: the NaN comes first.
	row := 2500
	off := bytes.Index(in, []byte("\n"+e.Vocab().Word(row)+" ")) + 1 + len(e.Vocab().Word(row)) + 1
	bad := bytes.Clone(in[:len(in)-3])
	copy(bad[off+8:], []byte{0, 0, 0xc0, 0x7f})
	_, err = Read(bytes.NewReader(bad), LoadOptions{})
	if !errors.Is(err, ErrNotFinite) || !strings.Contains(err.Error(), e.Vocab().Word(row)) || !strings.Contains(err.Error(), "value 3") {
		t.Fatalf("got %v, want the NaN in word %q value 3", err, e.Vocab().Word(row))
	}
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Offset != int64(off+8) {
		t.Fatalf("error %v: want offset %d", err, off+8)
	}
	_, err = Read(bytes.NewReader(in[:len(in)-3]), LoadOptions{})
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated: got %v", err)
	}
}

// TestDetectLongRows covers rows longer than the detection window.
func TestDetectLongRows(t *testing.T) {
	e := randomEmbeddings(t, 3, 10000, 4)
	for _, f := range []Format{Text, Binary, GloVe} {
		var buf bytes.Buffer
		if err := e.Write(&buf, f); err != nil {
			t.Fatal(err)
		}
		for _, r := range []io.Reader{bytes.NewReader(buf.Bytes()), io.MultiReader(bytes.NewReader(buf.Bytes()))} {
			got, err := Read(r, LoadOptions{})
			if err != nil {
				t.Fatalf("%v: %v", f, err)
			}
			sameEmbeddings(t, got, e)
		}
	}
}

// TestDetectHugeDimension gives format detection headers whose dimension
// is at or near the largest int: a clean *FormatError, never a panic.
func TestDetectHugeDimension(t *testing.T) {
	for _, in := range []string{
		"1 9223372036854775807\na 1\n",
		"1 9223372036854775807\na 1",
		"2 9223372036854775806\na 1 2\n",
		"1 2147483648\na 1\n",
	} {
		for _, f := range []Format{Auto, Text, Binary} {
			_, err := Read(strings.NewReader(in), LoadOptions{Format: f})
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("%v %q: error %v, want a *FormatError", f, in, err)
			}
		}
	}
}
