package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a helper ended instead of
// ending the real test.
type recorder struct {
	testing.TB
	outcome string // "", "skip: ..." or "fatal: ..."
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) {
	r.outcome = "skip: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.outcome = "fatal: " + fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls fn with a recorder in its own goroutine, so that Goexit ends
// only fn, and returns how it ended and what it returned.
func run(t *testing.T, fn func(tb testing.TB) string) (outcome, result string) {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		result = fn(r)
	}()
	<-done
	return r.outcome, result
}

func TestMissingSkipsOrFails(t *testing.T) {
	nowhere := filepath.Join(t.TempDir(), "nowhere")
	cases := []struct {
		name string
		fn   func(tb testing.TB) string
		want string // in the message
	}{
		{"shared dir", func(tb testing.TB) string { return Shared(tb) }, "WORDSPACE_SHARED=" + nowhere},
		{"shared file", func(tb testing.TB) string { return SharedFile(tb, "data/x.txt") }, nowhere},
		{"command", func(tb testing.TB) string { return Command(tb, "wordspace-no-such-tool", "no-such-package") }, "apt-get install no-such-package"},
		{"python module", func(tb testing.TB) string { return PythonModules(tb, "wordspace_no_such_module") }, "apt-get install python3-wordspace_no_such_module"},
	}
	for _, c := range cases {
		for _, req := range []string{"", "0", "1"} {
			t.Run(c.name+"/require="+req, func(t *testing.T) {
				t.Setenv(SharedVar, nowhere)
				t.Setenv(RequireVar, req)
				outcome, _ := run(t, c.fn)
				want := "skip: "
				if req == "1" {
					want = "fatal: "
				}
				if !strings.HasPrefix(outcome, want) || !strings.Contains(outcome, c.want) {
					t.Errorf("outcome %q, want %q... mentioning %q", outcome, want, c.want)
				}
			})
		}
	}
}

func TestSharedFound(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "x.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(SharedVar, dir)
	t.Setenv(RequireVar, "1")
	outcome, got := run(t, func(tb testing.TB) string { return SharedFile(tb, "data/x.txt") })
	if outcome != "" || got != filepath.Join(dir, "data", "x.txt") {
		t.Errorf("SharedFile: outcome %q, path %q", outcome, got)
	}
	outcome, _ = run(t, func(tb testing.TB) string { return Shared(tb, "data/x.txt", "data/y.txt") })
	if !strings.HasPrefix(outcome, "fatal: ") || !strings.Contains(outcome, "data/y.txt") {
		t.Errorf("Shared with a missing file: outcome %q", outcome)
	}
}

// TestDefaultShared checks that without the variable the directory is
// looked for beside the module root.
func TestDefaultShared(t *testing.T) {
	t.Setenv(SharedVar, "")
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "testenv", "testenv.go")); err != nil {
		t.Fatalf("module root %s: %v", root, err)
	}
	dir, err := SharedDir()
	want := filepath.Join(filepath.Dir(root), "shared")
	if err == nil && dir != want {
		t.Errorf("shared directory %s, want %s", dir, want)
	}
	if err != nil && !strings.Contains(err.Error(), want) {
		t.Errorf("error %v does not name %s", err, want)
	}
}
