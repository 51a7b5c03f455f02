package heapcheck

import "testing"

var sink []byte

func TestAllocated(t *testing.T) {
	if got := Allocated(func() { sink = make([]byte, 1<<20) }); got < 1<<20 || got > 2<<20 {
		t.Errorf("allocating 1 MiB measured %d bytes", got)
	}
}
