package word2vec

import (
	"math"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/internal/f32"
)

// worker is one training goroutine's state. Workers share only the
// weights (updated without locks, as in the C tool) and the trainer's
// counters, which they touch once per batch.
type worker struct {
	t     *trainer
	rng   uint64
	dim   int
	neu1  []float32 // CBOW: mean of the context vectors
	neu1e []float32 // gradient for the input side
	h0    []float32 // subwords: the centre word's vector before its window trains
	rows  []int32   // subwords, CBOW: the context words' rows
	sen   []int32   // the current sentence after subsampling
	// shared negatives: the centre word and its noise words, for the
	// current and the next position
	targets, targets2 []int32
	scores            []float32 // scratch for the fused kernel
	pw                [2]pairWindow
	loss              float64
	ex                int64
	_                 [64]byte // keep workers' hot fields on separate cache lines
}

func newWorker(t *trainer, seed uint64) *worker {
	d := t.cfg.Dim
	return &worker{
		t: t, rng: seed, dim: d,
		neu1:     make([]float32, d),
		neu1e:    make([]float32, d),
		h0:       make([]float32, d),
		sen:      make([]int32, 0, corpus.MaxSentenceTokens),
		targets:  make([]int32, 0, t.cfg.Negative+1),
		targets2: make([]int32, 0, t.cfg.Negative+1),
		scores:   make([]float32, max(t.cfg.Negative+1, t.longestPath())),
	}
}

// next returns the goroutine's next random number, from SplitMix64. The
// C tool's linear congruential generator (x·25214903917 + 11) is faster
// by a few nanoseconds, but with one draw feeding the window, the
// subsampling coin and the noise table's slot and coin, its correlated
// bits cost about a point of analogy accuracy on the benchmark corpus
// (three seeds each: 33.75 % against 34.89 %).
func (w *worker) next() uint64 {
	w.rng += 0x9e3779b97f4a7c15
	z := w.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// window draws the reduced window of one position: 1..Window.
func (w *worker) window() int {
	win := w.t.cfg.Window
	return win - int((w.next()>>32)*uint64(win)>>32)
}

func (w *worker) train(b *batch) {
	t := w.t
	done := t.words.Load()
	var local int64
	alpha := t.alpha(done)
	start := int32(0)
	w.loss, w.ex = 0, 0
	for _, end := range b.ends {
		s := b.ids[start:end]
		start = end
		if local&^1023 != (local+int64(len(s)))&^1023 {
			// Refresh the rate every thousand words or so: the other
			// goroutines' progress shows up once per batch.
			alpha = t.alpha(t.words.Load() + local)
		}
		local += int64(len(s))
		sen := w.sen[:0]
		for _, id := range s {
			k := t.keep[id]
			if k < 1<<24 && uint32(w.next()>>40) >= k {
				continue
			}
			sen = append(sen, id)
		}
		w.sen = sen
		if len(sen) < 2 {
			continue
		}
		switch {
		case t.sub != nil && t.cfg.CBOW:
			w.cbowSub(sen, alpha)
		case t.sub != nil:
			w.skipGramSub(sen, alpha)
		case t.cfg.CBOW:
			w.cbow(sen, alpha)
		case !t.cfg.PerPairNegatives && !t.cfg.HS:
			w.skipGramShared(sen, alpha)
		case !t.cfg.HS:
			w.skipGramNS(sen, alpha)
		default:
			w.skipGram(sen, alpha)
		}
	}
	t.words.Add(local)
	t.tokens.Add(b.tokens)
	t.sentences.Add(b.sentences)
	t.alphaBits.Store(math.Float64bits(float64(t.alpha(t.words.Load()))))
	t.mu.Lock()
	t.loss += w.loss
	t.examples += w.ex
	t.mu.Unlock()
}

// skipGram is the C tool's skip-gram with hierarchical softmax (and
// negative sampling too when both are on): every context word's vector
// predicts the centre word's Huffman path and a fresh set of noise words.
func (w *worker) skipGram(sen []int32, alpha float32) {
	t := w.t
	d := w.dim
	in, out := t.m.in, t.m.neg
	neg := t.cfg.Negative
	neu := w.neu1e
	for pos, word := range sen {
		win := w.window()
		lo, hi := max(pos-win, 0), min(pos+win, len(sen)-1)
		for c := lo; c <= hi; c++ {
			if c == pos {
				continue
			}
			l1 := int(sen[c]) * d
			x := in[l1 : l1+d : l1+d]
			if neg == 0 {
				rows, npos := t.tree.kernelRows(word)
				w.loss += float64(f32.LogisticStep(x, t.m.hs, rows, npos, alpha, w.scores))
				w.ex++
				continue
			}
			w.hsGradient(x, word, alpha)
			w.negStep(x, out, word, alpha, true)
			for range neg {
				target := t.noise.draw(w.next())
				if target == word {
					continue
				}
				w.negStep(x, out, target, alpha, false)
			}
			w.ex++
			f32.Axpy(1, neu, x)
		}
	}
}

// pairWindow is the window of one centre word, drawn ahead of training so that the rows it
// will touch can be prefetched while the previous window trains.
type pairWindow struct {
	lo, hi int     // context positions, centre excluded
	tg     []int32 // per context position: the centre word, then its noise words
	ends   []int32 // end of each context position's targets in tg
}

// drawWindow fills pw for the centre at pos: its reduced window and, for
// every context position, a fresh set of noise words.
func (w *worker) drawWindow(pw *pairWindow, sen []int32, pos int) {
	win := w.window()
	pw.lo, pw.hi = max(pos-win, 0), min(pos+win, len(sen)-1)
	pw.tg, pw.ends = pw.tg[:0], pw.ends[:0]
	word := sen[pos]
	for c := pw.lo; c <= pw.hi; c++ {
		if c == pos {
			continue
		}
		pw.tg = w.drawTargets(pw.tg, word)
		pw.ends = append(pw.ends, int32(len(pw.tg)))
	}
}

// skipGramNS is the C tool's skip-gram with negative sampling: every
// context word's vector predicts the centre word against a fresh set of
// noise words. The next window is drawn (its size and every pair's noise
// words) while the current one trains, so that the output rows it will
// touch can be prefetched: the noise words are random rows of a matrix
// far larger than the cache, and waiting for them was a fifth of the time.
func (w *worker) skipGramNS(sen []int32, alpha float32) {
	t := w.t
	d := w.dim
	in, out := t.m.in, t.m.neg
	cur, next := &w.pw[0], &w.pw[1]
	w.drawWindow(cur, sen, 0)
	for pos := range sen {
		if p := pos + 1; p < len(sen) {
			w.drawWindow(next, sen, p)
			for i, r := range next.tg {
				if i == 0 || r != next.tg[0] {
					f32.Prefetch(out[int(r)*d : int(r)*d+d])
				}
			}
			if j := p + t.cfg.Window; j < len(sen) {
				f32.Prefetch(in[int(sen[j])*d : int(sen[j])*d+d])
			}
		}
		start := int32(0)
		k := 0
		for c := cur.lo; c <= cur.hi; c++ {
			if c == pos {
				continue
			}
			end := cur.ends[k]
			k++
			l1 := int(sen[c]) * d
			w.loss += float64(f32.SGNSStep(in[l1:l1+d:l1+d], out, cur.tg[start:end], alpha, w.scores))
			w.ex++
			start = end
		}
		cur, next = next, cur
	}
}

// skipGramShared is skip-gram with one set of noise words per centre
// word, shared by all the context words of its window. The rows the next
// position will need (its output row, its noise words' rows, the input
// row entering the window) are prefetched while the current one trains.
func (w *worker) skipGramShared(sen []int32, alpha float32) {
	t := w.t
	d := w.dim
	in, out := t.m.in, t.m.neg
	maxWin := t.cfg.Window
	cur := w.drawTargets(w.targets[:0], sen[0])
	next := w.targets2[:0]
	for pos := range sen {
		if p := pos + 1; p < len(sen) {
			next = w.drawTargets(next[:0], sen[p])
			for _, tg := range next {
				f32.Prefetch(out[int(tg)*d : int(tg)*d+d])
			}
			if j := p + maxWin; j < len(sen) {
				f32.Prefetch(in[int(sen[j])*d : int(sen[j])*d+d])
			}
		}
		win := w.window()
		lo, hi := max(pos-win, 0), min(pos+win, len(sen)-1)
		for c := lo; c <= hi; c++ {
			if c == pos {
				continue
			}
			l1 := int(sen[c]) * d
			w.loss += float64(f32.SGNSStep(in[l1:l1+d:l1+d], out, cur, alpha, w.scores))
			w.ex++
		}
		cur, next = next, cur
	}
	w.targets, w.targets2 = cur, next
}

// drawTargets appends word and Negative noise words (skipping draws of
// word itself) to dst.
func (w *worker) drawTargets(dst []int32, word int32) []int32 {
	dst = append(dst, word)
	for range w.t.cfg.Negative {
		if tg := w.t.noise.draw(w.next()); tg != word {
			dst = append(dst, tg)
		}
	}
	return dst
}

// negStep is one logistic-regression step: x should score high against
// target's output row if positive, low otherwise. The gradient for x
// accumulates in neu1e; the output row is updated at once.
func (w *worker) negStep(x, out []float32, target int32, alpha float32, positive bool) {
	d := w.dim
	l2 := int(target) * d
	y := out[l2 : l2+d : l2+d]
	f := f32.Dot(x, y)
	var g float32
	if positive {
		g = (1 - f32.FastSigmoid(f)) * alpha
		w.loss -= float64(f32.FastLogSigmoid(f))
	} else {
		g = -f32.FastSigmoid(f) * alpha
		w.loss -= float64(f32.FastLogSigmoid(-f))
	}
	f32.AxpyPair(g, y, w.neu1e, g, x, y)
}

// hsGradient walks word's Huffman path, a logistic-regression step at
// each inner node, in one fused call; x's gradient is left in neu1e.
func (w *worker) hsGradient(x []float32, word int32, alpha float32) {
	rows, npos := w.t.tree.kernelRows(word)
	w.loss += float64(f32.LogisticGradient(x, w.t.m.hs, rows, npos, alpha, w.scores, w.neu1e))
}

// cbow predicts each word from the mean of its context's vectors and
// adds the resulting gradient to every context vector, as the C tool does.
func (w *worker) cbow(sen []int32, alpha float32) {
	t := w.t
	d := w.dim
	in, out, hs := t.m.in, t.m.neg, t.m.hs
	neu1 := w.neu1
	for pos, word := range sen {
		win := w.window()
		lo, hi := max(pos-win, 0), min(pos+win, len(sen)-1)
		clear(neu1)
		cw := 0
		for c := lo; c <= hi; c++ {
			if c != pos {
				l1 := int(sen[c]) * d
				f32.Axpy(1, in[l1:l1+d:l1+d], neu1)
				cw++
			}
		}
		if cw == 0 {
			continue
		}
		f32.Scale(1/float32(cw), neu1)
		if hs == nil {
			w.targets = w.drawTargets(w.targets[:0], word)
			w.loss += float64(f32.SGNSGradient(neu1, out, w.targets, alpha, w.scores, w.neu1e))
		} else {
			w.cbowHS(neu1, word, alpha)
		}
		w.ex++
		for c := lo; c <= hi; c++ {
			if c != pos {
				l1 := int(sen[c]) * d
				f32.Axpy(1, w.neu1e, in[l1:l1+d:l1+d])
			}
		}
	}
}

// cbowHS is CBOW's output step with hierarchical softmax, and negative
// sampling too if both are on; the input gradient is left in neu1e.
func (w *worker) cbowHS(neu1 []float32, word int32, alpha float32) {
	t := w.t
	out, neg := t.m.neg, t.cfg.Negative
	w.hsGradient(neu1, word, alpha)
	if neg > 0 {
		w.negStep(neu1, out, word, alpha, true)
		for range neg {
			target := t.noise.draw(w.next())
			if target == word {
				continue
			}
			w.negStep(neu1, out, target, alpha, false)
		}
	}
}

// drawContexts fills pw for the centre at pos with subwords: its reduced
// window and, with negative sampling alone, the targets of every context
// word: the context word itself (fastText's orientation: the centre
// word's n-grams predict the context), then its own noise words. Noise
// words are never shared across the window here, whatever
// PerPairNegatives says: the centre word's vector is the input of every
// pair of its window, so shared noise words would repeat the same
// (input, noise) pairs, and on the 15 M-word corpus that cost 6 points of
// analogy accuracy (61.1 % against 67.5 %).
func (w *worker) drawContexts(pw *pairWindow, sen []int32, pos int, targets bool) {
	win := w.window()
	pw.lo, pw.hi = max(pos-win, 0), min(pos+win, len(sen)-1)
	pw.tg, pw.ends = pw.tg[:0], pw.ends[:0]
	if !targets {
		return
	}
	for c := pw.lo; c <= pw.hi; c++ {
		if c == pos {
			continue
		}
		pw.tg = w.drawTargets(pw.tg, sen[c])
		pw.ends = append(pw.ends, int32(len(pw.tg)))
	}
}

// skipGramSub is skip-gram with subwords, as fastText trains it: the
// centre word's vector h, the mean of its own row and its n-grams' rows,
// predicts each context word of its window. Every step adds its gradient
// to each of those rows, which moves their mean h by exactly that
// gradient; so h is gathered once per centre word, trained in place by
// the same fused kernel as plain skip-gram, and the window's summed
// gradient (h at the end minus h at the start) is added to each row once.
// The result is fastText's sequence of updates, without one update of
// every row per context word. The next centre word's rows and noise
// words are prefetched while the current one trains.
func (w *worker) skipGramSub(sen []int32, alpha float32) {
	t := w.t
	d := w.dim
	in, out, hs := t.m.in, t.m.neg, t.m.hs
	neg := t.cfg.Negative
	nsOnly := hs == nil
	h, h0 := w.neu1, w.h0
	cur, next := &w.pw[0], &w.pw[1]
	w.drawContexts(cur, sen, 0, nsOnly)
	for pos, word := range sen {
		if p := pos + 1; p < len(sen) {
			w.drawContexts(next, sen, p, nsOnly)
			f32.PrefetchRows(out, next.tg, d)
			f32.PrefetchRows(in, t.rows(sen[p]), d)
		}
		rows := t.rows(word)
		f32.MeanRows(h, in, rows)
		copy(h0, h)
		start, k := int32(0), 0
		for c := cur.lo; c <= cur.hi; c++ {
			if c == pos {
				continue
			}
			if nsOnly {
				end := cur.ends[k]
				k++
				w.loss += float64(f32.SGNSStep(h, out, cur.tg[start:end], alpha, w.scores))
				start = end
			} else if neg == 0 {
				rows, npos := t.tree.kernelRows(sen[c])
				w.loss += float64(f32.LogisticStep(h, hs, rows, npos, alpha, w.scores))
			} else {
				// HS and NS together: per-pair noise words, as plain
				// skip-gram draws them with HS.
				target := sen[c]
				w.hsGradient(h, target, alpha)
				w.negStep(h, out, target, alpha, true)
				for range neg {
					if tg := t.noise.draw(w.next()); tg != target {
						w.negStep(h, out, tg, alpha, false)
					}
				}
				f32.Axpy(1, w.neu1e, h)
			}
			w.ex++
		}
		f32.Axpy(-1, h0, h) // the window's gradient
		f32.AddToRows(in, rows, h)
		cur, next = next, cur
	}
}

// cbowSub is CBOW with subwords, as fastText trains it: the hidden vector
// is the mean of all the rows of all the context words (each word's own
// and its n-grams'), and the gradient goes to each of those rows.
func (w *worker) cbowSub(sen []int32, alpha float32) {
	t := w.t
	in, out, hs := t.m.in, t.m.neg, t.m.hs
	neu1 := w.neu1
	for pos, word := range sen {
		win := w.window()
		lo, hi := max(pos-win, 0), min(pos+win, len(sen)-1)
		rows := w.rows[:0]
		for c := lo; c <= hi; c++ {
			if c != pos {
				rows = append(rows, t.rows(sen[c])...)
			}
		}
		w.rows = rows
		if len(rows) == 0 {
			continue
		}
		f32.MeanRows(neu1, in, rows)
		if hs == nil {
			w.targets = w.drawTargets(w.targets[:0], word)
			w.loss += float64(f32.SGNSGradient(neu1, out, w.targets, alpha, w.scores, w.neu1e))
		} else {
			w.cbowHS(neu1, word, alpha)
		}
		w.ex++
		f32.AddToRows(in, rows, w.neu1e)
	}
}
