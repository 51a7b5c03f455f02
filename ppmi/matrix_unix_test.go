//go:build unix

package ppmi

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSaveToNamedPipe checks that Save writes into an existing pipe (or
// device) instead of renaming a file over it.
func TestSaveToNamedPipe(t *testing.T) {
	c := sampleCounts(t)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	got := make(chan *Cooccurrence)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		back, _ := Read(f)
		io.Copy(io.Discard, f)
		got <- back
	}()
	if err := c.Save(fifo); err != nil {
		t.Fatal(err)
	}
	if back := <-got; back == nil || back.Counts().NNZ() != c.Counts().NNZ() {
		t.Error("the pipe did not carry the matrix")
	}
	if st, err := os.Stat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v, %v", st.Mode(), err)
	}
}
