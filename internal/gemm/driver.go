package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// kernel is one micro-kernel with the cache blocking that suits it.
type kernel struct {
	name       string
	mr, nr     int // register tile: mr rows × nr columns of C
	kc, mc, nc int // cache blocks; mc is a multiple of mr, nc of nr
	// tile multiplies a packed mr×kc A micro-panel by a packed kc×nr B
	// micro-panel and writes alpha*AB to the mr×nr tile at c, adding
	// beta*C when load is 1 (C is not read when load is 0).
	tile func(kc int, a, b, c *float32, ldc int, alpha, beta float32, load int)
}

// workspace holds one goroutine's packed panels. Workspaces are pooled so
// that a steady stream of products allocates nothing.
type workspace struct {
	a, b, tmp []float32 // packed panels and an edge tile
	x, w, t   []float32 // matrix-vector products: gathered, scaled vectors
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// blockSize splits total into the fewest blocks of at most limit and returns
// a balanced block size rounded up to a multiple of align (limit must be a
// multiple of align), so that k=300 with limit 256 gives two blocks of 150
// rather than 256 and 44.
func blockSize(total, limit, align int) int {
	if total <= 0 {
		return align
	}
	blocks := (total + limit - 1) / limit
	size := (total + blocks - 1) / blocks
	return (size + align - 1) / align * align
}

// gemm is the single-goroutine product: the GotoBLAS/BLIS loop nest. A
// kc×nc block of op(B) is packed once and reused by every mc×kc block of
// op(A); inside, one kc×nr B micro-panel stays in L1 while the packed A
// micro-panels stream past it from L2. k is at least 1 and alpha non-zero.
func (w *workspace) gemm(kn *kernel, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := kn.mr, kn.nr
	kc := blockSize(k, kn.kc, 1)
	mc := blockSize(m, kn.mc, mr)
	nc := blockSize(n, kn.nc, nr)
	w.a = grow(w.a, mc*kc)
	w.b = grow(w.b, nc*kc)
	w.tmp = grow(w.tmp, mr*nr)
	for jc := 0; jc < n; jc += nc {
		ncb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kcb := min(kc, k-pc)
			packB(w.b, transB, b, ldb, pc, jc, kcb, ncb, nr)
			bet, load := beta, 0
			if pc > 0 {
				bet = 1
			}
			if bet != 0 {
				load = 1
			}
			for ic := 0; ic < m; ic += mc {
				mcb := min(mc, m-ic)
				packA(w.a, transA, a, lda, ic, pc, mcb, kcb, mr)
				w.macro(kn, mcb, ncb, kcb, alpha, bet, load, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

// macro runs the micro-kernel over one packed mc×kc block of A and kc×nc
// block of B. Edge tiles are computed into a scratch tile and copied.
func (w *workspace) macro(kn *kernel, mc, nc, kc int, alpha, beta float32, load int, c []float32, ldc int) {
	mr, nr := kn.mr, kn.nr
	tmp := w.tmp[:mr*nr]
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		bp := &w.b[jr*kc]
		for ir := 0; ir < mc; ir += mr {
			rows := min(mr, mc-ir)
			ap := &w.a[ir*kc]
			if rows == mr && cols == nr {
				kn.tile(kc, ap, bp, &c[ir*ldc+jr], ldc, alpha, beta, load)
				continue
			}
			kn.tile(kc, ap, bp, &tmp[0], nr, alpha, 0, 0)
			for i := 0; i < rows; i++ {
				dst := c[(ir+i)*ldc+jr:][:cols]
				src := tmp[i*nr:][:cols]
				if load == 0 {
					copy(dst, src)
					continue
				}
				for j, v := range src {
					dst[j] = v + beta*dst[j]
				}
			}
		}
	}
}

// pick returns the kernel for a product with n columns: the fastest one,
// unless n is so narrow that most of its register tile would be padding and
// a narrower kernel does the same work with fewer instructions (the
// attention products of the transformer have n = 16).
func pick(n int) *kernel {
	for i, kn := range kernels {
		if n > kn.nr/2 || i+1 == len(kernels) || kernels[i+1] == goKernel {
			return kn
		}
	}
	return kernels[0]
}

// sgemm is Sgemm after argument checking, with the kernel as a parameter
// so that tests can run every kernel the machine supports.
func sgemm(kn *kernel, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	// Split C into bands along its longer side, in whole register tiles.
	// Splitting along n repacks A in every band and splitting along m
	// repacks B, so the split follows the side whose panels are larger,
	// unless the other side has more tiles to share out.
	tilesM, tilesN := (m+kn.mr-1)/kn.mr, (n+kn.nr-1)/kn.nr
	splitN := n >= m
	if splitN && tilesN < threads && tilesM > tilesN {
		splitN = false
	} else if !splitN && tilesM < threads && tilesN > tilesM {
		splitN = true
	}
	tiles := tilesM
	if splitN {
		tiles = tilesN
	}
	threads = min(threads, maxThreads, tiles)
	if threads <= 1 {
		w := workspaces.Get().(*workspace)
		w.gemm(kn, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		workspaces.Put(w)
		return
	}
	parallel(kn, threads, splitN, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// parallelFlops is the smallest product (in multiply-adds, m·n·k) worth
// splitting across goroutines: about 30–50 µs of work on one core, well
// above the few microseconds it takes to wake a worker. BenchmarkThreshold
// measures both sides of it.
const parallelFlops = 1 << 21

// maxThreads bounds the goroutines one product is split over.
const maxThreads = 64

// threadsFor is the number of goroutines worth using for an m×n×k product.
func threadsFor(m, n, k int) int {
	if m*n*k < parallelFlops {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

type jobKind uint8

const (
	jobGemm  jobKind = iota // bands of C, in register tiles along m or n
	jobDots                 // dotsRange over ranges of rows
	jobAxpys                // axpysRange over ranges of column chunks
)

// job is one product split over goroutines: the product's arguments and a
// range 0..total of units (register tiles, rows or column chunks) cut into
// chunks. The calling goroutine and the workers it woke take chunks from a
// shared counter until none are left, so a goroutine that starts late,
// because the machine is busy, takes fewer chunks (or none) instead of
// holding up the others, and the caller returns as soon as every chunk is
// done. The last goroutine to let go of a job returns it to the pool:
// splitting a product allocates nothing.
type job struct {
	kind           jobKind
	kn             *kernel
	transA, transB bool
	splitN         bool
	m, n, k        int
	alpha, beta    float32
	a, b, c, x     []float32
	lda, ldb, ldc  int
	total, chunks  int
	next           atomic.Int64   // next chunk to claim
	refs           atomic.Int32   // goroutines still holding the job
	wg             sync.WaitGroup // chunks not yet finished
}

var jobs = sync.Pool{New: func() any { return new(job) }}

// work runs chunks until there are none left.
func (j *job) work() {
	for {
		i := int(j.next.Add(1) - 1)
		if i >= j.chunks {
			return
		}
		j.run(j.total*i/j.chunks, j.total*(i+1)/j.chunks)
		j.wg.Done()
	}
}

// release lets go of j; the last holder returns it to the pool.
func (j *job) release() {
	if j.refs.Add(-1) == 0 {
		*j = job{} // drop references to the caller's matrices
		jobs.Put(j)
	}
}

// run computes the units lo..hi of the job.
func (j *job) run(lo, hi int) {
	switch j.kind {
	case jobDots:
		dotsRange(lo, hi, j.k, j.a, j.lda, j.x, j.alpha, j.beta, j.c, j.ldc)
		return
	case jobAxpys:
		axpysRange(lo*axpyChunk, min(j.n, hi*axpyChunk), j.k, j.a, j.lda, j.x, j.c)
		return
	}
	m, n, a, b, c := j.m, j.n, j.a, j.b, j.c
	if j.splitN {
		lo, hi = lo*j.kn.nr, min(n, hi*j.kn.nr)
		n, c = hi-lo, c[lo:]
		if j.transB {
			b = b[lo*j.ldb:]
		} else {
			b = b[lo:]
		}
	} else {
		lo, hi = lo*j.kn.mr, min(m, hi*j.kn.mr)
		m, c = hi-lo, c[lo*j.ldc:]
		if j.transA {
			a = a[lo:]
		} else {
			a = a[lo*j.lda:]
		}
	}
	w := workspaces.Get().(*workspace)
	w.gemm(j.kn, j.transA, j.transB, m, n, j.k, j.alpha, a, j.lda, b, j.ldb, j.beta, c, j.ldc)
	workspaces.Put(w)
}

// The worker goroutines are started on first use and live for the life of
// the process, idle on the channel between products. Starting a goroutine
// per product would allocate on every call.
var (
	workMu   sync.Mutex
	workers  int
	workChan = make(chan *job, maxThreads)
)

func ensureWorkers(n int) {
	workMu.Lock()
	for ; workers < n; workers++ {
		go func() {
			for j := range workChan {
				j.work()
				j.release()
			}
		}()
	}
	workMu.Unlock()
}

// launch runs j's chunks on the calling goroutine and threads-1 workers
// and returns when all chunks are done.
func (j *job) launch(threads int) {
	ensureWorkers(threads - 1)
	j.refs.Store(int32(threads))
	j.wg.Add(j.chunks)
	for t := 1; t < threads; t++ {
		workChan <- j
	}
	j.work()
	j.wg.Wait()
	j.release()
}

// chunksPerThread is how finely a parallel product is cut: enough chunks
// that a goroutine delayed by other processes costs little, few enough that
// repacking the shared operand once per chunk stays cheap.
const chunksPerThread = 4

// minChunkTiles is the fewest register tiles in a chunk of a parallel
// product: every chunk packs the whole shared operand again, which costs
// about as much as 10 flops per element; a chunk of 160 rows or columns
// keeps that under 3 %.
func minChunkTiles(kn *kernel, splitN bool) int {
	if splitN {
		return (160 + kn.nr - 1) / kn.nr
	}
	return (160 + kn.mr - 1) / kn.mr
}

// chunksFor cuts total units over threads goroutines into a multiple of
// threads chunks (balanced when no goroutine is delayed) of at least
// minUnits each where possible.
func chunksFor(threads, total, minUnits int) int {
	q := min(chunksPerThread, total/(threads*max(1, minUnits)))
	return threads * max(1, q)
}

// parallel computes the product over threads goroutines, cutting C into
// bands of whole register tiles along n or m.
func parallel(kn *kernel, threads int, splitN bool, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	total := (m + kn.mr - 1) / kn.mr
	if splitN {
		total = (n + kn.nr - 1) / kn.nr
	}
	j := jobs.Get().(*job)
	*j = job{kind: jobGemm, kn: kn, transA: transA, transB: transB, splitN: splitN, m: m, n: n, k: k,
		alpha: alpha, beta: beta, a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc,
		total: total, chunks: min(total, chunksFor(threads, total, minChunkTiles(kn, splitN)))}
	j.launch(threads)
}
