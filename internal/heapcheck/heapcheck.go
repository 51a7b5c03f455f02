// Package heapcheck measures how much a function allocates, for the
// memory ceilings of wordspace's fuzz targets: a parser must never
// allocate much more than its input could justify, whatever a header
// claims.
package heapcheck

import "runtime/metrics"

// Allocated runs fn and returns the bytes of heap allocated while it ran
// (by every goroutine, so fuzz targets run one input at a time). Unlike
// runtime.ReadMemStats it does not stop the world.
func Allocated(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	before := sample[0].Value.Uint64()
	fn()
	metrics.Read(sample)
	return sample[0].Value.Uint64() - before
}
