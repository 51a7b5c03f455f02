package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := strings.Repeat("the quick brown fox jumps over the lazy dog\n", 10000) // > 2 × 64 KiB
	a := write("a.txt", big)
	moved := write("b.txt", big)
	middle := write("c.txt", big[:200000]+"THE"+big[200003:]) // same size, edited in the middle
	end := write("d.txt", big[:len(big)-4]+"cat\n")           // same size, edited at the end
	short := write("e.txt", big[:len(big)-1])                 // one byte shorter
	fp := func(path string, opts TokenOptions) string {
		t.Helper()
		c, err := Open([]string{path}, opts)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Fingerprint()
		if err != nil || !strings.HasPrefix(s, "sha256:") {
			t.Fatalf("%s: %q, %v", path, s, err)
		}
		return s
	}
	base := fp(a, TokenOptions{})
	if fp(moved, TokenOptions{}) != base {
		t.Error("the same text under another name has another fingerprint")
	}
	if fp(a, TokenOptions{}) != base {
		t.Error("fingerprint not stable")
	}
	for name, other := range map[string]string{
		"edited end": fp(end, TokenOptions{}), "one byte shorter": fp(short, TokenOptions{}),
		"lower-cased": fp(a, TokenOptions{Lower: true}),
	} {
		if other == base {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	// An edit in the middle that keeps the size is not seen: the price of
	// reading only the ends. Documented; checked so the doc stays true.
	if fp(middle, TokenOptions{}) != base {
		t.Error("a same-size edit in the middle changed the fingerprint; update the documentation")
	}
	// Two files are not one file.
	c, _ := Open([]string{a, moved}, TokenOptions{})
	if s, _ := c.Fingerprint(); s == base {
		t.Error("two copies fingerprint like one")
	}

	s1, _ := FromString("a b\n").Fingerprint()
	s2, _ := FromString("a c\n").Fingerprint()
	if s1 == "" || s1 == s2 {
		t.Errorf("FromString fingerprints %q %q", s1, s2)
	}
	derived := FromFunc("x", func(ctx context.Context, fn func([]string) error) error { return nil })
	if s, err := derived.Fingerprint(); s != "" || err != nil {
		t.Errorf("a derived stream fingerprints as %q, %v; want none", s, err)
	}
}

func TestOpenRefusesBinaryData(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "picture.png")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"), 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("text at first\x00 then not"))
	zw.Close()
	zipped := filepath.Join(dir, "data.gz")
	os.WriteFile(zipped, gz.Bytes(), 0o644)
	text := filepath.Join(dir, "ok.txt")
	os.WriteFile(text, []byte("fine text\n"), 0o644)
	for _, p := range []string{png, zipped, dir} {
		_, err := Open([]string{p}, TokenOptions{})
		if !errors.Is(err, ErrNotText) || !strings.Contains(err.Error(), "NUL byte") {
			t.Errorf("%s: %v, want ErrNotText", p, err)
		}
	}
	if _, err := Open([]string{text}, TokenOptions{}); err != nil {
		t.Errorf("text refused: %v", err)
	}
}
