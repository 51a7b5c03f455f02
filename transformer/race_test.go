//go:build race

package transformer

// raceEnabled: the race detector makes sync.Pool (which internal/gemm
// uses for its buffers) drop items at random, so allocation counts mean
// nothing under it.
const raceEnabled = true
