//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestPhrasesToNamedPipe checks that an output that is a pipe (or a
// device such as /dev/null) is written in place, not replaced by a
// renamed temporary file.
func TestPhrasesToNamedPipe(t *testing.T) {
	dir := t.TempDir()
	corpus := topicCorpusFile(t, dir)
	want := filepath.Join(dir, "joined.txt")
	if code, _, stderr := runCmd(context.Background(), "phrases", "-train", corpus, "-output", want, "-threshold", "20", "-quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	code, _, stderr := runCmd(context.Background(), "phrases", "-train", corpus, "-output", fifo, "-threshold", "20", "-quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data := <-got; string(data) != string(b) {
		t.Errorf("the pipe received %d bytes, want %d", len(data), len(b))
	}
	if st, err := os.Stat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v, %v", st.Mode(), err)
	}
}
