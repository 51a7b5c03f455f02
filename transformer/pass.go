package transformer

import (
	"math"

	"github.com/wordspace/wordspace/internal/f32"
	"github.com/wordspace/wordspace/internal/gemm"
)

// workspace holds every activation of one forward pass over a batch of B
// sequences of T tokens, the gradients of one backward pass, and the
// goroutine pool they run on. It is allocated once per batch shape so that
// training steps allocate nothing.
type workspace struct {
	m                   *Model
	B, T, N             int
	d, H, dh, dff, V, L int
	pool                *pool
	ids, tgt            []int32

	x                                  [][]float32 // L+1 residual streams, N×d (x[0]: embedding)
	ln1, ln2, q, k, v, y, xmid         [][]float32 // per layer, N×d
	ln1Mean, ln1Rstd, ln2Mean, ln2Rstd [][]float32 // per layer, N
	p                                  [][]float32 // per layer, attention probabilities B×H×T×T
	h1, act                            [][]float32 // per layer, N×dff: before and after GELU
	hf, lnfMean, lnfRstd               []float32   // final layer norm
	drop                               [][]float32 // dropout masks (0 or 1/(1-p)): embedding, then attention and FFN of each layer
	tmp                                []float32   // N×d

	// backward
	grads                bool
	dx, dtmp, dln, dy    []float32 // N×d
	dq, dk, dv, dhf      []float32 // N×d
	dp                   []float32 // B×H×T×T
	dact                 []float32 // N×dff
	dTok                 []float32 // V×d gradient of the token table
	lnTmp                []float32 // d
	rowBlock             int
	logits               []float32 // rowBlock×V: one block of the fused output layer
	rowLoss              []float64 // per row: cross-entropy (0 when ignored)
	blockStart           int
	invCount             float32
	dropStep             uint64
	layer                int
	lnArgs               lnArgs
	fnAttnFwd, fnAttnBwd func(lo, hi int)
	fnGelu, fnGeluBwd    func(lo, hi int)
	fnLN, fnSoftmax      func(lo, hi int)
	fnLogits             func(lo, hi int)
	logitsOut            []float32
}

type lnArgs struct {
	y, x, g, b, mean, rstd []float32
}

// lossRowBlock is how many rows of logits the fused output layer holds at
// once: enough rows for the gradient products to run at full speed, few
// enough that a block of logits stays in cache.
const lossRowBlock = 256

func newWorkspace(m *Model, B, T, workers int, grads bool) *workspace {
	c := m.cfg
	ws := &workspace{m: m, B: B, T: T, N: B * T, d: c.DModel, H: c.Heads, dh: c.DModel / c.Heads,
		dff: c.DFF, V: len(m.tokens), L: c.Layers, grads: grads}
	ws.pool = newPool(workers)
	N, d, L := ws.N, ws.d, ws.L
	f := func(n int) []float32 { return make([]float32, n) }
	fs := func(k, n int) [][]float32 {
		s := make([][]float32, k)
		for i := range s {
			s[i] = f(n)
		}
		return s
	}
	ws.ids, ws.tgt = make([]int32, N), make([]int32, N)
	ws.x = fs(L+1, N*d)
	ws.ln1, ws.ln2, ws.q, ws.k, ws.v, ws.y, ws.xmid = fs(L, N*d), fs(L, N*d), fs(L, N*d), fs(L, N*d), fs(L, N*d), fs(L, N*d), fs(L, N*d)
	ws.ln1Mean, ws.ln1Rstd, ws.ln2Mean, ws.ln2Rstd = fs(L, N), fs(L, N), fs(L, N), fs(L, N)
	ws.p = fs(L, B*ws.H*T*T)
	ws.h1, ws.act = fs(L, N*ws.dff), fs(L, N*ws.dff)
	ws.hf, ws.lnfMean, ws.lnfRstd = f(N*d), f(N), f(N)
	ws.tmp = f(N * d)
	if grads && c.Dropout > 0 {
		ws.drop = fs(2*L+1, N*d)
	}
	ws.rowBlock = min(lossRowBlock, N)
	ws.logits = f(ws.rowBlock * ws.V)
	ws.rowLoss = make([]float64, N)
	if grads {
		m.ensureGrads()
		ws.dx, ws.dtmp, ws.dln, ws.dy = f(N*d), f(N*d), f(N*d), f(N*d)
		ws.dq, ws.dk, ws.dv, ws.dhf = f(N*d), f(N*d), f(N*d), f(N*d)
		ws.dp = f(B * ws.H * T * T)
		ws.dact = f(N * ws.dff)
		ws.lnTmp = f(d)
		if m.tok != nil {
			ws.dTok = m.tok.Grad
		} else {
			ws.dTok = f(ws.V * d)
		}
	}
	ws.fnAttnFwd = func(lo, hi int) { ws.attnForward(lo, hi) }
	ws.fnAttnBwd = func(lo, hi int) { ws.attnBackward(lo, hi) }
	ws.fnGelu = func(lo, hi int) {
		n := ws.dff
		gelu(ws.act[ws.layer][lo*n:hi*n], ws.h1[ws.layer][lo*n:hi*n], m.cfg.TanhGELU)
	}
	ws.fnGeluBwd = func(lo, hi int) {
		n := ws.dff
		geluBackward(ws.dact[lo*n:hi*n], ws.h1[ws.layer][lo*n:hi*n], m.cfg.TanhGELU)
	}
	ws.fnLN = func(lo, hi int) {
		a, d := &ws.lnArgs, ws.d
		layerNorm(a.y[lo*d:hi*d], a.x[lo*d:hi*d], a.g, a.b, a.mean[lo:hi], a.rstd[lo:hi], hi-lo, d, m.cfg.LayerNormEps)
	}
	ws.fnSoftmax = func(lo, hi int) { ws.softmaxRows(lo, hi) }
	ws.fnLogits = func(lo, hi int) { ws.logitsRows(lo, hi) }
	return ws
}

func (ws *workspace) close() { ws.pool.close() }

// layerNormRows runs layerNorm over all N rows on the pool.
func (ws *workspace) layerNormRows(y, x, g, b, mean, rstd []float32) {
	ws.lnArgs = lnArgs{y, x, g, b, mean, rstd}
	ws.pool.run(ws.N, ws.fnLN)
}

// affine computes out = in @ w + b for rows×din input and din×dout w.
func affine(out, in, w, b []float32, rows, din, dout int) {
	for r := range rows {
		copy(out[r*dout:(r+1)*dout], b)
	}
	gemm.Sgemm(false, false, rows, dout, din, 1, in, din, w, dout, 1, out, dout)
}

// forward runs the model on ws.ids (B×T) and fills every activation.
// train enables dropout.
func (ws *workspace) forward(train bool) {
	m := ws.m
	N, T, d := ws.N, ws.T, ws.d
	E, pos := m.tokTable(), m.positions()
	x0 := ws.x[0]
	for r := range N {
		row := x0[r*d : (r+1)*d]
		id := int(ws.ids[r])
		copy(row, E[id*d:(id+1)*d])
		f32.Axpy(1, pos[(r%T)*d:(r%T+1)*d], row)
	}
	dropping := train && ws.drop != nil
	if dropping {
		ws.dropStep++
		for i, mk := range ws.drop {
			fillDropMask(mk, m.cfg.Dropout, m.cfg.Seed, ws.dropStep, uint64(i))
		}
		mul(x0, ws.drop[0])
	}
	for l := range m.blocks {
		b := &m.blocks[l]
		x := ws.x[l]
		ws.layer = l
		ws.layerNormRows(ws.ln1[l], x, b.ln1g.Data, b.ln1b.Data, ws.ln1Mean[l], ws.ln1Rstd[l])
		affine(ws.q[l], ws.ln1[l], b.wq.Data, b.bq.Data, N, d, d)
		affine(ws.k[l], ws.ln1[l], b.wk.Data, b.bk.Data, N, d, d)
		affine(ws.v[l], ws.ln1[l], b.wv.Data, b.bv.Data, N, d, d)
		ws.pool.run(ws.B*ws.H, ws.fnAttnFwd)
		affine(ws.tmp, ws.y[l], b.wo.Data, b.bo.Data, N, d, d)
		if dropping {
			mul(ws.tmp, ws.drop[1+2*l])
		}
		add(ws.xmid[l], x, ws.tmp)
		ws.layerNormRows(ws.ln2[l], ws.xmid[l], b.ln2g.Data, b.ln2b.Data, ws.ln2Mean[l], ws.ln2Rstd[l])
		affine(ws.h1[l], ws.ln2[l], b.w1.Data, b.b1.Data, N, d, ws.dff)
		ws.pool.run(N, ws.fnGelu)
		affine(ws.tmp, ws.act[l], b.w2.Data, b.b2.Data, N, ws.dff, d)
		if dropping {
			mul(ws.tmp, ws.drop[2+2*l])
		}
		add(ws.x[l+1], ws.xmid[l], ws.tmp)
	}
	ws.layerNormRows(ws.hf, ws.x[ws.L], m.lnfG.Data, m.lnfB.Data, ws.lnfMean, ws.lnfRstd)
}

// attnForward runs causal attention for the (sequence, head) pairs
// [lo, hi) of the current layer.
func (ws *workspace) attnForward(lo, hi int) {
	l, T, d, dh, H := ws.layer, ws.T, ws.d, ws.dh, ws.H
	scale := float32(1 / math.Sqrt(float64(dh)))
	for i := lo; i < hi; i++ {
		bi, h := i/H, i%H
		off := bi*T*d + h*dh
		s := ws.p[l][i*T*T : (i+1)*T*T]
		gemm.Sgemm(false, true, T, T, dh, scale, ws.q[l][off:], d, ws.k[l][off:], d, 0, s, T)
		causalSoftmax(s, T)
		gemm.Sgemm(false, false, T, dh, T, 1, s, T, ws.v[l][off:], d, 0, ws.y[l][off:], d)
	}
}

// attnBackward turns ws.dy (gradient of the concatenated head outputs)
// into ws.dq, ws.dk, ws.dv for the (sequence, head) pairs [lo, hi).
func (ws *workspace) attnBackward(lo, hi int) {
	l, T, d, dh, H := ws.layer, ws.T, ws.d, ws.dh, ws.H
	scale := float32(1 / math.Sqrt(float64(dh)))
	for i := lo; i < hi; i++ {
		bi, h := i/H, i%H
		off := bi*T*d + h*dh
		p := ws.p[l][i*T*T : (i+1)*T*T]
		dp := ws.dp[i*T*T : (i+1)*T*T]
		q, k, v := ws.q[l][off:], ws.k[l][off:], ws.v[l][off:]
		dy := ws.dy[off:]
		gemm.Sgemm(false, true, T, T, dh, 1, dy, d, v, d, 0, dp, T)
		gemm.Sgemm(true, false, T, dh, T, 1, p, T, dy, d, 0, ws.dv[off:], d)
		causalSoftmaxBackward(dp, p, T)
		gemm.Sgemm(false, false, T, dh, T, scale, dp, T, k, d, 0, ws.dq[off:], d)
		gemm.Sgemm(true, false, T, dh, T, scale, dp, T, q, d, 0, ws.dk[off:], d)
	}
}

// backward computes the gradient of every parameter from ws.dhf, the
// gradient of the loss with respect to the final hidden states (set by
// lossAndGrad). The output projection's share of the token-table (or
// head) gradient is already in place.
func (ws *workspace) backward() {
	m := ws.m
	N, d, dff := ws.N, ws.d, ws.dff
	dx := ws.dx
	clear(dx)
	layerNormBackward(dx, ws.dhf, ws.x[ws.L], m.lnfG.Data, ws.lnfMean, ws.lnfRstd, zero(m.lnfG.Grad), zero(m.lnfB.Grad), ws.lnTmp, N, d)
	for l := ws.L - 1; l >= 0; l-- {
		b := &m.blocks[l]
		ws.layer = l
		// x[l+1] = xmid + drop(act @ w2 + b2)
		dF := dx
		if ws.drop != nil {
			mulTo(ws.dtmp, dx, ws.drop[2+2*l])
			dF = ws.dtmp
		}
		gemm.Sgemm(false, true, N, dff, d, 1, dF, d, b.w2.Data, d, 0, ws.dact, dff)
		gemm.Sgemm(true, false, dff, d, N, 1, ws.act[l], dff, dF, d, 0, b.w2.Grad, d)
		colSum(b.b2.Grad, dF, N)
		ws.pool.run(N, ws.fnGeluBwd)
		gemm.Sgemm(false, true, N, d, dff, 1, ws.dact, dff, b.w1.Data, dff, 0, ws.dln, d)
		gemm.Sgemm(true, false, d, dff, N, 1, ws.ln2[l], d, ws.dact, dff, 0, b.w1.Grad, dff)
		colSum(b.b1.Grad, ws.dact, N)
		layerNormBackward(dx, ws.dln, ws.xmid[l], b.ln2g.Data, ws.ln2Mean[l], ws.ln2Rstd[l], zero(b.ln2g.Grad), zero(b.ln2b.Grad), ws.lnTmp, N, d)
		// xmid = x + drop(y @ wo + bo)
		dO := dx
		if ws.drop != nil {
			mulTo(ws.dtmp, dx, ws.drop[1+2*l])
			dO = ws.dtmp
		}
		gemm.Sgemm(false, true, N, d, d, 1, dO, d, b.wo.Data, d, 0, ws.dy, d)
		gemm.Sgemm(true, false, d, d, N, 1, ws.y[l], d, dO, d, 0, b.wo.Grad, d)
		colSum(b.bo.Grad, dO, N)
		ws.pool.run(ws.B*ws.H, ws.fnAttnBwd)
		a := ws.ln1[l]
		gemm.Sgemm(false, true, N, d, d, 1, ws.dq, d, b.wq.Data, d, 0, ws.dln, d)
		gemm.Sgemm(false, true, N, d, d, 1, ws.dk, d, b.wk.Data, d, 1, ws.dln, d)
		gemm.Sgemm(false, true, N, d, d, 1, ws.dv, d, b.wv.Data, d, 1, ws.dln, d)
		gemm.Sgemm(true, false, d, d, N, 1, a, d, ws.dq, d, 0, b.wq.Grad, d)
		gemm.Sgemm(true, false, d, d, N, 1, a, d, ws.dk, d, 0, b.wk.Grad, d)
		gemm.Sgemm(true, false, d, d, N, 1, a, d, ws.dv, d, 0, b.wv.Grad, d)
		colSum(b.bq.Grad, ws.dq, N)
		colSum(b.bk.Grad, ws.dk, N)
		colSum(b.bv.Grad, ws.dv, N)
		layerNormBackward(dx, ws.dln, ws.x[l], b.ln1g.Data, ws.ln1Mean[l], ws.ln1Rstd[l], zero(b.ln1g.Grad), zero(b.ln1b.Grad), ws.lnTmp, N, d)
	}
	if ws.drop != nil {
		mul(dx, ws.drop[0])
	}
	// x0 = tok[ids] + pos
	if m.head != nil {
		clear(ws.dTok) // the output layer did not write it
	}
	T := ws.T
	var pg []float32 // sinusoidal positions have no gradient
	if m.pos != nil {
		pg = zero(m.pos.Grad)
	}
	for r := range N {
		row := dx[r*d : (r+1)*d]
		if pg != nil {
			t := r % T
			f32.Axpy(1, row, pg[t*d:(t+1)*d])
		}
		id := int(ws.ids[r])
		f32.Axpy(1, row, ws.dTok[id*d:(id+1)*d])
	}
	if m.static != nil {
		V, k := ws.V, m.proj.Shape[0]
		gemm.Sgemm(false, true, V, k, d, 1, ws.dTok, d, m.proj.Data, d, 0, m.static.Grad, k)
		gemm.Sgemm(true, false, k, d, V, 1, m.static.Data, k, ws.dTok, d, 0, m.proj.Grad, d)
	}
}

// lossAndGrad runs the fused output layer on ws.hf: logits = hf @ E^T
// (or @ head.w), log-softmax and cross-entropy against ws.tgt (negative
// targets are ignored), a block of rows at a time so that the full N×V
// logits never exist: each block's logits are turned into probabilities
// and then into their own gradient in place. The block's products run on
// internal/gemm's goroutines, its softmax rows on the pool. With grads it
// also leaves dloss/dhf in ws.dhf and the output projection's gradient in
// the token-table (or head) gradient. It returns the mean loss and the
// number of targets.
func (ws *workspace) lossAndGrad() (float64, int) {
	m := ws.m
	count := 0
	for _, t := range ws.tgt {
		if t >= 0 {
			count++
		}
	}
	ws.invCount = 0
	if count > 0 {
		ws.invCount = 1 / float32(count)
	}
	R, V, d, N := ws.rowBlock, ws.V, ws.d, ws.N
	E := m.tokTable()
	L := ws.logits
	beta := float32(0)
	for r0 := 0; r0 < N; r0 += R {
		n := min(R, N-r0)
		hf := ws.hf[r0*d:]
		if m.head == nil {
			gemm.Sgemm(false, true, n, V, d, 1, hf, d, E, d, 0, L, V)
		} else {
			gemm.Sgemm(false, false, n, V, d, 1, hf, d, m.head.Data, V, 0, L, V)
		}
		ws.blockStart = r0
		ws.pool.run(n, ws.fnSoftmax)
		if !ws.grads {
			continue
		}
		dhf := ws.dhf[r0*d:]
		if m.head == nil {
			gemm.Sgemm(false, false, n, d, V, 1, L, V, E, d, 0, dhf, d)
			gemm.Sgemm(true, false, V, d, n, 1, L, V, hf, d, beta, ws.dTok, d)
		} else {
			gemm.Sgemm(false, true, n, d, V, 1, L, V, m.head.Data, V, 0, dhf, d)
			gemm.Sgemm(true, false, d, V, n, 1, hf, d, L, V, beta, m.head.Grad, V)
		}
		beta = 1
	}
	var loss float64
	for _, l := range ws.rowLoss {
		loss += l
	}
	if count == 0 {
		return 0, 0
	}
	return loss / float64(count), count
}

// softmaxRows turns rows [lo, hi) of the current logits block into
// cross-entropy losses (ws.rowLoss) and, when training, into the gradient
// of the mean loss with respect to the logits: (softmax − onehot)/count.
func (ws *workspace) softmaxRows(lo, hi int) {
	V, inv := ws.V, ws.invCount
	for i := lo; i < hi; i++ {
		row := ws.logits[i*V : (i+1)*V]
		r := ws.blockStart + i
		t := ws.tgt[r]
		if t < 0 {
			clear(row)
			ws.rowLoss[r] = 0
			continue
		}
		mx := f32.Max(row)
		lt := row[t]
		s := f32.ExpShiftSum(row, mx)
		ws.rowLoss[r] = float64(mx-lt) + math.Log(s)
		if ws.grads {
			f32.Scale(inv/float32(s), row)
			row[t] -= inv
		}
	}
}

// logitsInto writes the full N×V logits of the last forward pass into out.
func (ws *workspace) logitsInto(out []float32) {
	ws.logitsOut = out
	ws.pool.run(ws.N, ws.fnLogits)
}

func (ws *workspace) logitsRows(lo, hi int) {
	m, V, d := ws.m, ws.V, ws.d
	if m.head == nil {
		gemm.Sgemm(false, true, hi-lo, V, d, 1, ws.hf[lo*d:], d, m.tokTable(), d, 0, ws.logitsOut[lo*V:], V)
	} else {
		gemm.Sgemm(false, false, hi-lo, V, d, 1, ws.hf[lo*d:], d, m.head.Data, V, 0, ws.logitsOut[lo*V:], V)
	}
}

func zero(x []float32) []float32 { clear(x); return x }

// add writes a+b into dst.
func add(dst, a, b []float32) {
	b, dst = b[:len(a)], dst[:len(a)]
	for i, v := range a {
		dst[i] = v + b[i]
	}
}

// mul multiplies x element-wise by y, in place.
func mul(x, y []float32) {
	y = y[:len(x)]
	for i := range x {
		x[i] *= y[i]
	}
}

// mulTo writes a⊙b into dst.
func mulTo(dst, a, b []float32) {
	b, dst = b[:len(a)], dst[:len(a)]
	for i, v := range a {
		dst[i] = v * b[i]
	}
}

// fillDropMask fills mask with 0 (probability p) or 1/(1-p), from a hash of
// (seed, step, which, index): reproducible whatever the number of goroutines.
func fillDropMask(mask []float32, p float32, seed, step, which uint64) {
	keep := 1 / (1 - p)
	threshold := uint64(float64(p) * (1 << 53))
	base := splitmix(seed ^ splitmix(step^splitmix(which+0x9e37)))
	for i := range mask {
		if splitmix(base+uint64(i))>>11 < threshold {
			mask[i] = 0
		} else {
			mask[i] = keep
		}
	}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// gradStep runs forward, the fused loss and backward on ws.ids and ws.tgt,
// leaving every parameter's gradient in its Grad, and returns the loss.
func (ws *workspace) gradStep(train bool) float64 {
	ws.forward(train)
	loss, _ := ws.lossAndGrad()
	ws.backward()
	return loss
}

// evalLoss runs forward and the loss only.
func (ws *workspace) evalLoss() (float64, int) {
	ws.forward(false)
	return ws.lossAndGrad()
}
