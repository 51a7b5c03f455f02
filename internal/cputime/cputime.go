// Package cputime reads the processor time a benchmark used. The machine
// the benchmarks run on is shared with other jobs, which stretch the wall
// clock but not the processor time, so benchmarks report both.
package cputime

import (
	"runtime"
	"testing"
)

// Clock measures the processor time of the benchmark's own thread from
// now until stop, which reports it per operation as cpu-ns/op.
func Clock(b *testing.B) (stop func()) {
	runtime.LockOSThread()
	t0 := Thread()
	return func() {
		b.ReportMetric(float64(Thread()-t0)/float64(b.N), "cpu-ns/op")
		runtime.UnlockOSThread()
	}
}
