package transformer

import "sync"

// pool runs the chunks of a loop on a fixed set of goroutines started once,
// so that a training step spawns nothing and allocates nothing. The
// functions it runs are built once by the workspace for the same reason.
type pool struct {
	workers int
	tasks   chan poolTask
	wg      sync.WaitGroup
}

type poolTask struct {
	fn     func(lo, hi int)
	lo, hi int
}

// newPool starts workers-1 goroutines; the caller of run is the last
// worker. A pool of one worker runs everything on the caller's goroutine.
func newPool(workers int) *pool {
	p := &pool{workers: max(1, workers)}
	if p.workers > 1 {
		p.tasks = make(chan poolTask, p.workers)
		for range p.workers - 1 {
			go func() {
				for t := range p.tasks {
					t.fn(t.lo, t.hi)
					p.wg.Done()
				}
			}()
		}
	}
	return p
}

// run calls fn on consecutive chunks covering [0, n), at most one chunk per
// worker, and returns when all are done. Chunk boundaries depend only on n
// and the number of workers.
func (p *pool) run(n int, fn func(lo, hi int)) {
	chunks := min(p.workers, n)
	if chunks <= 1 {
		fn(0, n)
		return
	}
	p.wg.Add(chunks - 1)
	for c := 1; c < chunks; c++ {
		p.tasks <- poolTask{fn, c * n / chunks, (c + 1) * n / chunks}
	}
	fn(0, n/chunks)
	p.wg.Wait()
}

// close stops the goroutines.
func (p *pool) close() {
	if p.tasks != nil {
		close(p.tasks)
		p.tasks = nil
	}
}
