package f32

// SGNSStep is the inner step of skip-gram with negative sampling, fused
// into one call: input vector x (length d) is trained to score high
// against output row rows[0] of out (a d-column row-major matrix) and low
// against the rows rows[1:]. With every score taken before any update
// (the rows' values on entry):
//
//	f_j = x·y_j,  g_j = (label_j − σ(f_j))·alpha
//	y_j += g_j·x  (x as on entry),   x += Σ_j g_j·y_j  (y_j as on entry)
//
// with σ from the 1000-entry table of FastSigmoidLog. This is the C
// tool's update except that a row listed twice sees the other copy's
// update only in its own: computing all scores first lets the assembly
// stream x and the rows through the processor once per pass instead of
// once per row. g (length ≥ len(rows)) is scratch space for the scores.
// It returns the loss, Σ −log σ(±f_j).
func SGNSStep(x, out []float32, rows []int32, alpha float32, g []float32) float32 {
	return sgns(x, out, rows, 1, alpha, g, x, false)
}

// SGNSGradient is SGNSStep with x left unchanged and the gradient for x,
// Σ_j g_j·y_j, written to neu (length ≥ len(x)) instead: for CBOW, where
// x is the mean of the context vectors and the gradient goes to each of
// them.
func SGNSGradient(x, out []float32, rows []int32, alpha float32, g, neu []float32) float32 {
	return sgns(x, out, rows, 1, alpha, g, neu[:len(x)], true)
}

// LogisticStep is SGNSStep with the first npos rows labelled 1 and the
// rest 0: hierarchical softmax's walk down a word's Huffman path, with the
// nodes where the path turns left listed first. The rows of a path are
// distinct and x is updated only after all of them, so this is the C
// tool's update except at saturated scores, where the table's end values
// are used instead of skipping the node.
func LogisticStep(x, out []float32, rows []int32, npos int, alpha float32, g []float32) float32 {
	return sgns(x, out, rows, npos, alpha, g, x, false)
}

// LogisticGradient is LogisticStep with x left unchanged and its gradient
// written to neu, as SGNSGradient.
func LogisticGradient(x, out []float32, rows []int32, npos int, alpha float32, g, neu []float32) float32 {
	return sgns(x, out, rows, npos, alpha, g, neu[:len(x)], true)
}

func sgns(x, out []float32, rows []int32, npos int, alpha float32, g, dst []float32, zero bool) float32 {
	d := len(x)
	dst = dst[:d]
	g = g[:len(rows)]
	n := len(out) / max(d, 1)
	for _, r := range rows {
		if uint(r) >= uint(n) { // the kernel trusts every row
			panic("f32: SGNSStep row out of range")
		}
	}
	if useAsm && d > 0 {
		return sgnsAsm(x, out, rows, g, dst, alpha, &sigLogTable[0], zero, npos)
	}
	return sgnsGeneric(x, out, rows, npos, alpha, dst, zero, g)
}

// sgnsGeneric is the pure-Go SGNSStep/SGNSGradient: scores first, then
// updates, in the assembly's order.
func sgnsGeneric(x, out []float32, rows []int32, npos int, alpha float32, dst []float32, zero bool, g []float32) float32 {
	d := len(x)
	var loss float32
	for j, r := range rows {
		label := float32(0)
		if j < npos {
			label = 1
		}
		y := out[int(r)*d : int(r)*d+d : int(r)*d+d]
		f := dotGeneric(x, y)
		s, ls := FastSigmoidLog(f)
		loss += (1-label)*f - ls
		g[j] = (label - s) * alpha
	}
	for i := range d {
		xi := x[i]
		var acc float32
		if !zero {
			acc = dst[i]
		}
		for j, r := range rows {
			y := out[int(r)*d : int(r)*d+d : int(r)*d+d]
			acc += g[j] * y[i]
			y[i] += g[j] * xi
		}
		dst[i] = acc
	}
	return loss
}
