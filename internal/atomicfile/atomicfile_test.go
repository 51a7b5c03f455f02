package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("content %q, %v", got, err)
	}
}

// Replacing a file keeps its permission bits, whatever the umask.
func TestWriteKeepsMode(t *testing.T) {
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o664, 0o755} {
		path := filepath.Join(t.TempDir(), "out.txt")
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != mode {
			t.Errorf("mode %v after replacing a %v file (%v)", st.Mode().Perm(), mode, err)
		}
	}
}

func TestWriteFailureKeepsOldContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q after a failed write, want old", got)
	}
	if left := temps(t, dir); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// A full disk, injected: the writer fails with ENOSPC half way. The old
// file stays and no partial file is left. (cmd/wordspace fills a real
// tmpfs where the system allows it.)
func TestWriteDiskFull(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	os.WriteFile(path, []byte("old"), 0o644)
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 3<<20))
		return &fs.PathError{Op: "write", Path: "somewhere", Err: syscall.ENOSPC}
	})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want ENOSPC", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q after a failed write, want old", got)
	}
	if left := temps(t, dir); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestErrorsNameTheDestination(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "out.txt")
	for name, err := range map[string]error{
		"Write": Write(missing, func(w io.Writer) error { return nil }),
		"Check": Check(missing),
	} {
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), tmpInfix) {
			t.Errorf("%s into a missing directory: %v; want ErrNotExist naming %s and no temporary file", name, err, missing)
		}
	}
	for name, err := range map[string]error{
		"Write": Write(dir, func(w io.Writer) error { return nil }),
		"Check": Check(dir),
	} {
		if err == nil || !strings.Contains(err.Error(), "is a directory") {
			t.Errorf("%s to a directory: %v", name, err)
		}
	}
	if err := Check(filepath.Join(dir, "fine.txt")); err != nil {
		t.Errorf("Check of a writable path: %v", err)
	}
	if left := temps(t, dir); len(left) != 0 {
		t.Errorf("Check left %v", left)
	}
}

// temps lists the temporary files in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if strings.Contains(e.Name(), tmpInfix) {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestPrepareCommitDiscard(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	pa, err := Prepare(a, write("new a"))
	if err != nil {
		t.Fatal(err)
	}
	pb, err := Prepare(b, write("new b"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a, b} {
		if got, _ := os.ReadFile(p); string(got) != "old" {
			t.Fatalf("%s changed before Commit: %q", p, got)
		}
	}
	if err := pa.Commit(); err != nil {
		t.Fatal(err)
	}
	pb.Discard()
	pb.Discard() // twice is harmless
	if got, _ := os.ReadFile(a); string(got) != "new a" {
		t.Errorf("a = %q after Commit", got)
	}
	if got, _ := os.ReadFile(b); string(got) != "old" {
		t.Errorf("b = %q after Discard", got)
	}
	if err := pa.Commit(); err != nil { // a second Commit does nothing
		t.Error(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files left in the directory: %v", entries)
	}
}
