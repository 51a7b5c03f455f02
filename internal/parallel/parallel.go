// Package parallel splits row-wise work over the processors.
package parallel

import (
	"runtime"
	"sync"
)

// Rows calls fn on consecutive ranges [lo, hi) covering [0, n), one
// goroutine per processor, when the n×dim values are enough work to be
// worth sharing (a million or more); otherwise fn(0, n) on the caller's
// goroutine.
func Rows(n, dim int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n*dim < 1<<20 || workers == 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += step {
		wg.Go(func() { fn(lo, min(lo+step, n)) })
	}
	wg.Wait()
}
