package inspect

import (
	"context"
	"runtime"
	"sync"
)

// mapOrdered runs work(i) for every i in [0, n) on threads goroutines
// (0: GOMAXPROCS) and calls merge(i, result) in increasing order of i, so
// that sums come out the same whatever the number of threads. It holds a
// few results per thread at a time. It stops at the first error or when
// ctx is cancelled.
func mapOrdered[R any](ctx context.Context, n, threads int, work func(i int) (R, error), merge func(i int, r R)) error {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	batch := 4 * threads
	results := make([]R, batch)
	errs := make([]error, batch)
	for lo := 0; lo < n; lo += batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(n, lo+batch)
		var wg sync.WaitGroup
		next := make(chan int, hi-lo)
		for i := lo; i < hi; i++ {
			next <- i
		}
		close(next)
		for range min(threads, hi-lo) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					results[i-lo], errs[i-lo] = work(i)
				}
			}()
		}
		wg.Wait()
		for i := lo; i < hi; i++ {
			if errs[i-lo] != nil {
				return errs[i-lo]
			}
			merge(i, results[i-lo])
		}
	}
	return nil
}
