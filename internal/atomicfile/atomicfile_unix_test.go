//go:build unix

package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe is written in place, so the process reading it gets the
// data and the pipe is still a pipe afterwards. It stands for every
// non-regular destination: testing on the real /dev/null would destroy it
// on the test machine if the code regressed.
func TestWriteFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(path)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "through the pipe"); return err }); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "through the pipe" {
			t.Errorf("reader got %q", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reader of the pipe got nothing: the pipe was replaced")
	}
	if st, err := os.Stat(path); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("pipe replaced: %v, %v", st.Mode(), err)
	}
}

// New files get 0666 less the umask, as os.Create gives them.
func TestWriteHonoursUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "private.txt")
	if err := Write(path, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v with umask 077, want 0600 (%v)", st.Mode().Perm(), err)
	}
}

// childEnv makes the test binary a writer that is killed in the middle of
// a save (see TestKilledWriterLeavesOldFile).
const childEnv = "ATOMICFILE_TEST_KILLED_WRITER"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		// Write half a file, say so, and wait to be killed.
		Write(path, func(w io.Writer) error {
			io.WriteString(w, strings.Repeat("partial ", 1<<18))
			w.(*bufio.Writer).Flush()
			os.Stdout.WriteString("writing\n")
			time.Sleep(time.Minute)
			return errors.New("not killed")
		})
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// TestKilledWriterLeavesOldFile kills (SIGKILL) a process in the middle
// of a save: the old file must be intact, and the temporary file the
// process left is removed by the next Check or Write of that path.
func TestKilledWriterLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vectors.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "writing\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child did not start writing: %q, %v", line, err)
	}
	// The child is inside Write, its temporary file half written.
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if b, err := os.ReadFile(path); err != nil || string(b) != "old" {
		t.Fatalf("after kill -9 the file holds %d bytes (%v), want the old content", len(b), err)
	}
	left := temps(t, dir)
	if len(left) != 1 {
		t.Fatalf("temporary files after the kill: %v, want the one the child was writing", left)
	}
	// A temporary file younger than staleAge might be one whose writer
	// has not locked it yet; age it.
	old := time.Now().Add(-time.Minute)
	os.Chtimes(filepath.Join(dir, left[0]), old, old)
	if err := Check(path); err != nil {
		t.Fatal(err)
	}
	if left := temps(t, dir); len(left) != 0 {
		t.Errorf("Check left the killed writer's temporary files: %v", left)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("Check changed the file: %q", b)
	}
}

// A temporary file a living writer holds is not removed, however old.
func TestRemoveStaleSparesLiveWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	f, err := createTemp(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := time.Now().Add(-time.Hour)
	os.Chtimes(f.Name(), old, old)
	RemoveStale(path)
	if _, err := os.Stat(f.Name()); err != nil {
		t.Errorf("a locked temporary file was removed: %v", err)
	}
	// Files of other destinations are never touched.
	other := filepath.Join(dir, ".out.txt.tmp-123")
	os.WriteFile(other, nil, 0o644)
	os.Chtimes(other, old, old)
	RemoveStale(path)
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file not named by this package was removed: %v", err)
	}
}

// A prepared file waiting for Commit stays locked: another writer's
// clean-up of the same destination leaves it alone, however old it is.
func TestPreparedSurvivesRemoveStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vectors.npy")
	p, err := Prepare(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err })
	if err != nil {
		t.Fatal(err)
	}
	left := temps(t, dir)
	if len(left) != 1 {
		t.Fatalf("temporary files after Prepare: %v, want one", left)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, left[0]), old, old)
	if err := Check(path); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatalf("Commit after another writer's clean-up: %v", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "new" {
		t.Errorf("content %q, %v after Commit", b, err)
	}
}

// A read-only directory (for root, whom permissions do not stop, this
// test skips; cmd/wordspace tests a read-only mount) fails at once, naming
// the destination.
func TestReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only directories; the read-only mount test in cmd/wordspace covers root")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "out.txt")
	for name, err := range map[string]error{
		"Check": Check(path),
		"Write": Write(path, func(w io.Writer) error { return nil }),
	} {
		if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), tmpInfix) {
			t.Errorf("%s: %v, want a permission error naming %s", name, err, path)
		}
	}
}
