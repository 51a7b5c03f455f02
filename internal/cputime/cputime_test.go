//go:build linux

package cputime

import (
	"runtime"
	"testing"
)

func TestClocksAdvanceWithWork(t *testing.T) {
	runtime.LockOSThread() // Thread reads the calling OS thread
	defer runtime.UnlockOSThread()
	p0, t0 := Process(), Thread()
	x := 0.0
	for i := range 50_000_000 {
		x += float64(i & 7)
	}
	if x == 0 {
		t.Fatal("the loop was skipped")
	}
	if Process() <= p0 || Thread() <= t0 {
		t.Errorf("no processor time counted: process %v → %v, thread %v → %v", p0, Process(), t0, Thread())
	}
}
