//go:build !amd64 || purego

package gemm

// kernels lists the micro-kernels this build can run, fastest first.
var kernels = []*kernel{goKernel}

func copyRuns(d, src []float32, ld, kc, w, n int) { copyRunsGo(d, src, ld, kc, w, n) }

func interleave(d, src []float32, ld, kc, w, n int) { interleaveGo(d, src, ld, kc, w, n) }

func dotRows4(k int, rows []float32, ld int, x []float32, out *[4]float32) {
	dotRows4Go(k, rows, ld, x, out)
}

func axpyRows4(n int, w *[4]float32, rows []float32, ld int, y []float32) {
	axpyRows4Go(n, w, rows, ld, y)
}

func copyBlock(d, src []float32, ld, kc, w, cols int) { copyBlockGo(d, src, ld, kc, w, cols) }
