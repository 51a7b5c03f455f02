package analogy

import (
	"context"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
	"github.com/wordspace/wordspace/internal/gemm"
	"github.com/wordspace/wordspace/internal/topk"
)

// The engine answers many questions at once in two passes.
//
// The first pass finds candidates. The distinct question words (about 900
// for the 19,544 Google questions) are multiplied against the vocabulary
// block by block, giving each word's cosine with every vocabulary word;
// each question then combines three of those rows into an approximate
// score per word and keeps its best few in a heap. The approximate score
// is the method's formula computed from plain cosines (for 3CosAdd
// cos(x,b)+cos(x,c)-cos(x,a), which ranks like gensim's normalised mean
// but is rounded differently).
//
// The second pass rescores each question's candidates with gensim's own
// float32 formula (see gensim.go) and ranks them by it. The first pass
// keeps candidateMargin more words than needed, so a word whose exact
// score beats the last needed one cannot be missed because of rounding.
const candidateMargin = 8

// blockBytes bounds the similarity block computed at once (question words
// × vocabulary columns).
const blockBytes = 8 << 20

// task is one question resolved to vocabulary indices a, b, c and to rows
// ra, rb, rc of the distinct-word matrix.
type task struct {
	a, b, c    int
	ra, rb, rc int
}

type engine struct {
	emb     *embed.Embeddings
	n       int // words searched: the first n of the vocabulary
	method  Method
	workers int
}

// candidates returns, for every task, the keep best vocabulary indices
// among the first e.n by approximate score, as a heap per task.
func (e *engine) candidates(ctx context.Context, tasks []task, rows []int, keep int, progress func(Progress)) ([]*topk.Heap, error) {
	d := e.emb.Dim()
	norms := e.emb.Norms()
	R := len(rows)
	q := make([]float32, R*d)
	usedAsC := make([]bool, R)
	for r, w := range rows {
		if nw := norms[w]; nw > 0 {
			inv := 1 / nw
			for k, x := range e.emb.Row(w) {
				q[r*d+k] = x * inv
			}
		}
	}
	for _, t := range tasks {
		usedAsC[t.rc] = true
	}
	inv := make([]float32, e.n)
	for j := range inv {
		if nj := norms[j]; nj > 0 {
			inv[j] = 1 / nj
		} else {
			inv[j] = float32(math.NaN()) // a zero vector is never a candidate
		}
	}
	// PairDirection needs the cosines of question words b and a with c.
	var pairK []float32
	if e.method == PairDirection {
		pairK = make([]float32, len(tasks))
		for i, t := range tasks {
			qa, qb, qc := q[t.ra*d:(t.ra+1)*d], q[t.rb*d:(t.rb+1)*d], q[t.rc*d:(t.rc+1)*d]
			pairK[i] = float32(f32.Dot64(qc, qb) - f32.Dot64(qc, qa))
		}
	}

	block := max(256, min(16384, blockBytes/(4*max(R, 1))))
	block = min(block, max(e.n, 1))
	s := make([]float32, R*block)
	var s2 []float32
	if e.method == PairDirection {
		s2 = make([]float32, R*block)
	}
	// Questions sharing a and b (in the Google set, runs of 20 to 40) share
	// the part of the score that depends on a and b only.
	order := make([]int, len(tasks))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		tx, ty := tasks[order[x]], tasks[order[y]]
		return tx.ra < ty.ra || tx.ra == ty.ra && tx.rb < ty.rb
	})
	heaps := make([]*topk.Heap, len(tasks))
	thr := make([]float32, len(tasks))
	for i := range heaps {
		heaps[i] = topk.New(keep)
		thr[i] = float32(math.Inf(-1))
	}
	data := e.emb.Data()
	for j0 := 0; j0 < e.n; j0 += block {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		bw := min(block, e.n-j0)
		gemm.Sgemm(false, true, R, bw, d, 1, q, d, data[j0*d:], d, 0, s, bw)
		// Turn dot products with raw rows into the method's row terms.
		parallel(e.workers, R, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				row := s[r*bw : (r+1)*bw]
				iv := inv[j0 : j0+bw]
				switch e.method {
				case CosAdd:
					for j := range row {
						row[j] *= iv[j]
					}
				case CosMul:
					for j := range row {
						row[j] = (1 + row[j]*iv[j]) / 2
					}
				case PairDirection:
					for j := range row {
						row[j] *= iv[j]
					}
					if usedAsC[r] {
						row2 := s2[r*bw : (r+1)*bw]
						for j, c := range row {
							row2[j] = float32(1 / math.Sqrt(math.Max(float64(2-2*c), 0)))
						}
					}
				}
			}
		})
		parallel(e.workers, len(order), func(lo, hi int) {
			d := make([]float32, bw)
			for p := lo; p < hi; {
				t := tasks[order[p]]
				q := p + 1
				for q < hi && tasks[order[q]].ra == t.ra && tasks[order[q]].rb == t.rb {
					q++
				}
				ra := s[t.ra*bw : (t.ra+1)*bw]
				rb := s[t.rb*bw : (t.rb+1)*bw]
				// The part that depends on a and b only, once per group.
				switch e.method {
				case CosAdd, PairDirection:
					for j := range d {
						d[j] = rb[j] - ra[j]
					}
				case CosMul:
					for j := range d {
						d[j] = rb[j] / (ra[j] + cosMulEpsilon)
					}
				}
				for _, i := range order[p:q] {
					c := tasks[i].rc
					switch e.method {
					case CosAdd:
						thr[i] = scan(heaps[i], thr[i], j0, d, s[c*bw:(c+1)*bw], f32.IndexSumAbove, sum)
					case CosMul:
						thr[i] = scan(heaps[i], thr[i], j0, d, s[c*bw:(c+1)*bw], f32.IndexProductAbove, product)
					case PairDirection:
						thr[i] = scanPair(heaps[i], thr[i], j0, d, s2[c*bw:(c+1)*bw], pairK[i])
					}
				}
				p = q
			}
		})
		if progress != nil {
			progress(Progress{Done: int64(j0 + bw), Total: int64(e.n)})
		}
	}
	return heaps, nil
}

func sum(x, y float32) float32     { return x + y }
func product(x, y float32) float32 { return x * y }

// scan pushes op(d[j], r[j]) for the columns of one block into h: for
// 3CosAdd cos(x,b)-cos(x,a) plus cos(x,c), for 3CosMul
// p(x,b)/(p(x,a)+eps) times p(x,c). thr is the score a word must beat to
// enter the full heap; the kernel skips to the next word that beats it.
func scan(h *topk.Heap, thr float32, j0 int, d, r []float32, next func(x, y []float32, t float32) int, op func(x, y float32) float32) float32 {
	for j := 0; j < len(d); j++ {
		k := next(d[j:], r[j:], thr)
		if k < 0 {
			break
		}
		j += k
		h.Push(j0+j, op(d[j], r[j]))
		if m, full := h.Min(); full {
			thr = m
		}
	}
	return thr
}

// scanPair pushes cos(x-c, b-a) up to the positive factor 1/|b-a|:
// (cos(x,b) - cos(x,a) - k) / |x-c| with d = cos(x,b) - cos(x,a),
// k = cos(c,b) - cos(c,a) and 1/|x-c| = 1/sqrt(2-2cos(x,c)) precomputed
// in invDist.
func scanPair(h *topk.Heap, thr float32, j0 int, d, invDist []float32, k float32) float32 {
	invDist = invDist[:len(d)]
	for j, b := range d {
		if s := (b - k) * invDist[j]; s > thr {
			h.Push(j0+j, s)
			if m, full := h.Min(); full {
				thr = m
			}
		}
	}
	return thr
}

// scorer computes gensim's exact scores for one question.
type scorer struct {
	emb        *embed.Embeddings
	method     Method
	norm       func(i int) float32 // numpy's norm of row i
	ua, ub, uc []float32
	q          []float32 // 3CosAdd query; PairDirection b-a
	qn         float64   // PairDirection |b-a|
	pa, pb, pc float32
	tmp        []float32
}

func newScorer(emb *embed.Embeddings, method Method, norm func(int) float32) *scorer {
	d := emb.Dim()
	return &scorer{emb: emb, method: method, norm: norm,
		ua: make([]float32, d), ub: make([]float32, d), uc: make([]float32, d),
		q: make([]float32, d), tmp: make([]float32, d)}
}

// setQuestion prepares the question a:b::c and reports false when one of
// its words has a zero vector, which makes every score undefined.
func (sc *scorer) setQuestion(a, b, c int) bool {
	na, nb, nc := sc.norm(a), sc.norm(b), sc.norm(c)
	if na == 0 || nb == 0 || nc == 0 {
		return false
	}
	npUnit(sc.ua, sc.emb.Row(a), na)
	npUnit(sc.ub, sc.emb.Row(b), nb)
	npUnit(sc.uc, sc.emb.Row(c), nc)
	switch sc.method {
	case CosAdd:
		cosAddQuery(sc.q, sc.ua, sc.ub, sc.uc)
	case PairDirection:
		var ss float64
		for i := range sc.q {
			sc.q[i] = sc.ub[i] - sc.ua[i]
			ss += float64(sc.q[i]) * float64(sc.q[i])
		}
		sc.qn = math.Sqrt(ss)
	}
	return true
}

// score returns the exact score of vocabulary row x; -Inf when undefined.
func (sc *scorer) score(x int) float32 {
	nx := sc.norm(x)
	if nx == 0 {
		return float32(math.Inf(-1))
	}
	row := sc.emb.Row(x)
	switch sc.method {
	case CosAdd:
		return cosAddScore(row, sc.q, nx)
	case CosMul:
		pa := shiftedCos(row, sc.ua, nx)
		pb := shiftedCos(row, sc.ub, nx)
		pc := shiftedCos(row, sc.uc, nx)
		return cosMulScore(pa, pb, pc)
	default:
		ux := npUnit(sc.tmp, row, nx)
		var ss float64
		for i := range ux {
			ux[i] -= sc.uc[i]
			ss += float64(ux[i]) * float64(ux[i])
		}
		if ss == 0 || sc.qn == 0 {
			return float32(math.Inf(-1))
		}
		return float32(f32.Dot64(ux, sc.q) / (math.Sqrt(ss) * sc.qn))
	}
}

// rank rescores candidate items exactly and sorts them best first, ties
// towards the lower index.
func (sc *scorer) rank(items []topk.Item) []topk.Item {
	for i := range items {
		items[i].Score = sc.score(items[i].Index)
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].Score != items[j].Score {
			return items[i].Score > items[j].Score
		}
		return items[i].Index < items[j].Index
	})
	return items
}

// parallel splits [0, n) into contiguous ranges run on up to workers
// goroutines and waits for them.
func parallel(workers, n int, fn func(lo, hi int)) {
	if workers <= 1 || n < 2 {
		fn(0, n)
		return
	}
	workers = min(workers, n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

func defaultThreads(w int) int {
	if w > 0 {
		return w
	}
	return runtime.GOMAXPROCS(0)
}
