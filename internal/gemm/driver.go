package gemm

import (
	"runtime"
	"sync"
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
// splitting across goroutines: below it, waking a worker costs more than it
// saves. Measured with BenchmarkThreshold.
const parallelFlops = 1 << 18

// maxThreads bounds the goroutines one product is split over.
const maxThreads = 64

// threadsFor is the number of goroutines worth using for an m×n×k product.
func threadsFor(m, n, k int) int {
	if m*n*k < parallelFlops {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

type partKind uint8

const (
	partGemm  partKind = iota // a band of C: m, n, k, a, b, c as for gemm
	partDots                  // dotsRange over rows lo..hi
	partAxpys                 // axpysRange over columns lo..hi
)

// part is one goroutine's share of a product.
type part struct {
	kind           partKind
	kn             *kernel
	transA, transB bool
	m, n, k        int
	lo, hi         int
	alpha, beta    float32
	a, b, c, x     []float32
	lda, ldb, ldc  int
	wg             *sync.WaitGroup
}

func (p *part) run() {
	switch p.kind {
	case partGemm:
		w := workspaces.Get().(*workspace)
		w.gemm(p.kn, p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
		workspaces.Put(w)
	case partDots:
		dotsRange(p.lo, p.hi, p.k, p.a, p.lda, p.x, p.alpha, p.beta, p.c, p.ldc)
	case partAxpys:
		axpysRange(p.lo, p.hi, p.k, p.a, p.lda, p.x, p.c)
	}
}

// call holds the parts of one parallel product; pooled so that splitting a
// product allocates nothing.
type call struct {
	parts [maxThreads]part
	wg    sync.WaitGroup
}

var calls = sync.Pool{New: func() any { return new(call) }}

// The worker goroutines are started on first use and live for the life of
// the process, idle on the channel between products. Starting a goroutine
// per part would allocate on every call.
var (
	workMu   sync.Mutex
	workers  int
	workChan = make(chan *part, maxThreads)
)

func ensureWorkers(n int) {
	workMu.Lock()
	for ; workers < n; workers++ {
		go func() {
			for p := range workChan {
				p.run()
				p.wg.Done()
			}
		}()
	}
	workMu.Unlock()
}

// runParts splits 0..total into threads near-equal ranges, lets set describe
// the part for each range, runs the first part itself and hands the others
// to the workers.
func runParts(threads, total int, set func(p *part, lo, hi int)) {
	ensureWorkers(threads - 1)
	cl := calls.Get().(*call)
	cl.wg.Add(threads - 1)
	for t := 0; t < threads; t++ {
		p := &cl.parts[t]
		set(p, total*t/threads, total*(t+1)/threads)
		p.wg = &cl.wg
		if t > 0 {
			workChan <- p
		}
	}
	cl.parts[0].run()
	cl.wg.Wait()
	clear(cl.parts[:threads]) // drop references to the caller's matrices
	calls.Put(cl)
}

// parallel computes the product in threads bands of C, split along n or m
// in whole register tiles.
func parallel(kn *kernel, threads int, splitN bool, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	total, align := m, kn.mr
	if splitN {
		total, align = n, kn.nr
	}
	tiles := (total + align - 1) / align
	runParts(threads, tiles, func(p *part, lo, hi int) {
		lo *= align
		hi = min(total, hi*align)
		*p = part{kind: partGemm, kn: kn, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta,
			a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc}
		if splitN {
			p.n = hi - lo
			p.c = c[lo:]
			if transB {
				p.b = b[lo*ldb:]
			} else {
				p.b = b[lo:]
			}
		} else {
			p.m = hi - lo
			p.c = c[lo*ldc:]
			if transA {
				p.a = a[lo:]
			} else {
				p.a = a[lo*lda:]
			}
		}
	})
}
