package readfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.txt")
	os.WriteFile(path, []byte("hello"), 0o644)
	got, err := Read("pkg", path, func(r io.Reader) (string, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
	if err != nil || got != "hello" {
		t.Errorf("got %q, %v", got, err)
	}
	bad := errors.New("bad data")
	_, err = Read("pkg", path, func(io.Reader) (int, error) { return 1, bad })
	if !errors.Is(err, bad) || err.Error() != path+": bad data" {
		t.Errorf("reader error: %v", err)
	}
	_, err = Read("pkg", path+".missing", func(io.Reader) (int, error) { return 1, nil })
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "pkg: open ") {
		t.Errorf("open error: %v", err)
	}
}
