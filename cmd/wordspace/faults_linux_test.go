package main

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// bigVectorFile writes n random-ish vectors of dimension d in the word2vec
// binary format, which wordspace converts to text slowly enough (a second
// or so) to be killed in the middle of the save.
func bigVectorFile(t *testing.T, path string, n, d int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	buf := []byte(strings.Join([]string{itoa(n), itoa(d)}, " ") + "\n")
	x := uint32(1)
	for i := range n {
		buf = append(buf, "w"+itoa(i)+" "...)
		for range d {
			x = x*1664525 + 1013904223
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(x>>8)/(1<<24)-0.5))
		}
		buf = append(buf, '\n')
		if len(buf) > 1<<20 {
			f.Write(buf)
			buf = buf[:0]
		}
	}
	f.Write(buf)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		if i /= 10; i == 0 {
			return string(b)
		}
	}
}

// temps lists the temporary files atomicfile left in dir.
func temps(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if strings.Contains(e.Name(), ".wordspace-tmp-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// bigTemp reports whether dir holds a temporary file of at least n bytes.
func bigTemp(dir string, n int64) bool {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if info, err := e.Info(); err == nil && strings.Contains(e.Name(), ".wordspace-tmp-") && info.Size() >= n {
			return true
		}
	}
	return false
}

// kill -9 during a save leaves the previous file intact, and the next run
// that writes the same output removes the temporary file the killed one
// left.
func TestKillDuringSave(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "big.bin")
	bigVectorFile(t, in, 40000, 200)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "vectors.txt")
	writeFile(t, out, "old\n")
	cmd, _ := wordspaceProcess(t, "convert", "-model", in, "-output", out)
	// Kill the process once its temporary file holds a megabyte (the
	// check before the work makes and removes an empty one first).
	deadline := time.Now().Add(time.Minute)
	for !bigTemp(outDir, 1<<20) {
		if time.Now().After(deadline) {
			t.Fatal("no temporary file grew within a minute")
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if b, err := os.ReadFile(out); err != nil || string(b) != "old\n" {
		t.Fatalf("after kill -9 the output holds %d bytes (%v), want the old content", len(b), err)
	}
	left := temps(t, outDir)
	if len(left) != 1 {
		t.Fatalf("temporary files after kill -9: %v, want the killed one's", left)
	}
	// Aged past the moment a new writer might not yet have locked it.
	old := time.Now().Add(-time.Minute)
	os.Chtimes(filepath.Join(outDir, left[0]), old, old)
	small := vectorFile(t)
	if code, _, stderr := runCmd(context.Background(), "convert", "-model", small, "-output", out, "-quiet"); code != 0 {
		t.Fatalf("the next convert: exit %d: %s", code, stderr)
	}
	if left := temps(t, outDir); len(left) != 0 {
		t.Errorf("the next run left the killed run's temporary files: %v", left)
	}
}

// An output path equal to an input path is refused before any work.
func TestOutputEqualToInputRefused(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 100)
	vec := vectorFile(t)
	before, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"train", "-train", corpus, "-output", corpus},
		{"train", "-train", corpus, "-output", filepath.Join(dir, "v.txt"), "-save-vocab", corpus},
		{"ppmi", "-corpus", corpus, "-output", corpus},
		{"ppmi", "-corpus", corpus, "-save-counts", corpus},
		{"phrases", "-corpus", corpus, "-output", corpus},
		{"context", "train", "-corpus", corpus, "-output", corpus},
		{"convert", "-model", vec, "-output", vec},
		{"bias", "debias", "-model", vec, "-output", vec},
	} {
		code, stdout, stderr := runCmd(context.Background(), args...)
		if code != 2 || !strings.Contains(stderr, "is also the input") || strings.Contains(stderr, "counting") || stdout != "" {
			t.Errorf("%q: exit %d, %q; want a refusal (exit 2) before any work", args, code, stderr)
		}
	}
	if after, _ := os.ReadFile(corpus); string(after) != string(before) {
		t.Error("the corpus changed")
	}
}

// faultEnv marks the test binary running TestFaultsInNamespace inside the
// user and mount namespaces TestFaults made for it.
const faultEnv = "WORDSPACE_TEST_FAULT_NAMESPACE"

// TestFaults runs TestFaultsInNamespace in new user and mount namespaces,
// where it may mount a tiny tmpfs (a full disk) and a read-only one
// without being root. Where the system forbids such namespaces the test
// skips; internal/atomicfile's injected-writer test still covers a full
// disk.
func TestFaults(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultsInNamespace$", "-test.v")
	cmd.Env = append(os.Environ(), faultEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err != nil && !errors.As(err, &ee):
		t.Skipf("no user namespaces here (%v); a full disk is covered by internal/atomicfile's injected-writer test", err)
	case strings.Contains(string(out), "SKIP: mount"):
		t.Skipf("mounting in a user namespace is not allowed here:\n%s", out)
	case err != nil:
		t.Fatalf("in the namespace: %v\n%s", err, out)
	case !strings.Contains(string(out), "--- PASS: TestFaultsInNamespace"):
		t.Fatalf("the fault tests did not run:\n%s", out)
	}
	t.Logf("in the namespace:\n%s", out)
}

func TestFaultsInNamespace(t *testing.T) {
	if os.Getenv(faultEnv) != "1" {
		t.Skip("runs inside TestFaults' namespaces")
	}
	dir := t.TempDir()
	full, ro := filepath.Join(dir, "full"), filepath.Join(dir, "ro")
	for _, d := range []string{full, ro} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := unix.Mount("tmpfs", full, "tmpfs", 0, "size=64k"); err != nil {
		t.Skip("SKIP: mount:", err)
	}
	defer unix.Unmount(full, 0)
	if err := unix.Mount("tmpfs", ro, "tmpfs", unix.MS_RDONLY, "size=64k"); err != nil {
		t.Skip("SKIP: mount:", err)
	}
	defer unix.Unmount(ro, 0)

	// A full disk: a clear error naming the output, the old file intact,
	// no partial or temporary file.
	in := filepath.Join(dir, "in.bin")
	bigVectorFile(t, in, 2000, 50) // 400 kB of text: more than the disk holds
	out := filepath.Join(full, "vectors.txt")
	writeFile(t, out, "old\n")
	corpus := groupCorpus(t, dir, 5000)
	for _, args := range [][]string{
		{"convert", "-model", in, "-output", out},
		{"phrases", "-corpus", corpus, "-output", out, "-quiet"},
		{"train", "-train", corpus, "-output", out, "-size", "200", "-iter", "1", "-min-count", "1", "-quiet"},
	} {
		code, _, stderr := runCmd(context.Background(), args...)
		t.Logf("%s onto a full disk: exit %d: %s", args[0], code, stderr)
		if code != 1 || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, out) ||
			strings.Contains(stderr, "wordspace-tmp") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s onto a full disk: exit %d, %q; want one line naming %s and the full disk", args[0], code, stderr, out)
		}
		if b, err := os.ReadFile(out); err != nil || string(b) != "old\n" {
			t.Errorf("%s: the old output became %d bytes (%v)", args[0], len(b), err)
		}
		if left := temps(t, full); len(left) != 0 {
			t.Errorf("%s: temporary files left on the full disk: %v", args[0], left)
		}
	}

	// A read-only directory: refused at once, before training or loading.
	for _, args := range [][]string{
		{"train", "-train", corpus, "-output", filepath.Join(ro, "v.txt")},
		{"ppmi", "-corpus", corpus, "-output", filepath.Join(ro, "v.txt")},
		{"phrases", "-corpus", corpus, "-output", filepath.Join(ro, "j.txt")},
		{"convert", "-model", in, "-output", filepath.Join(ro, "v.npy")},
		{"context", "train", "-corpus", corpus, "-output", filepath.Join(ro, "m.model")},
		{"bias", "report", "-model", in, "-output", filepath.Join(ro, "report")},
		{"demo", "-output", filepath.Join(ro, "demo.txt")},
	} {
		start := time.Now()
		code, stdout, stderr := runCmd(context.Background(), args...)
		t.Logf("%s into a read-only directory: exit %d: %s", strings.Join(args[:2], " "), code, stderr)
		if code != 1 || !strings.Contains(stderr, "read-only file system") || !strings.Contains(stderr, ro) ||
			strings.Contains(stderr, "wordspace-tmp") || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("%q: exit %d, %q; want one line naming the output and the read-only file system", args, code, stderr)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%q: refused after %v, not before the work", args, el)
		}
	}
}
