package f32

// SGNSStep is the inner step of skip-gram with negative sampling, fused
// into one call: input vector x (length d) is trained to score high
// against output row rows[0] of out (a d-column row-major matrix) and low
// against the rows rows[1:]. For each row y, in order:
//
//	f = x·y,  g = (label − σ(f))·alpha,  neu += g·y,  y += g·x
//
// with σ from FastSigmoidLog; then x += neu. neu (length d) is scratch
// space, overwritten. It returns the loss, Σ −log σ(±f), in float32.
// Doing all of it in one pass of assembly saves the calls, bounds checks
// and table lookups a Go loop would spend around Dot and AxpyPair.
func SGNSStep(x, out []float32, rows []int32, alpha float32, neu []float32) float32 {
	d := len(x)
	neu = neu[:d]
	for _, r := range rows {
		_ = out[int(r)*d : int(r)*d+d] // bounds: the kernel trusts every row
	}
	if useAsm {
		return sgnsAsm(x, out, rows, alpha, neu, &sigLogTable[0])
	}
	return sgnsGeneric(x, out, rows, alpha, neu)
}

func sgnsGeneric(x, out []float32, rows []int32, alpha float32, neu []float32) float32 {
	d := len(x)
	clear(neu)
	var loss float32
	label := float32(1)
	for _, r := range rows {
		y := out[int(r)*d : int(r)*d+d : int(r)*d+d]
		f := dotGeneric(x, y)
		s, ls := FastSigmoidLog(f)
		loss += (1-label)*f - ls
		g := (label - s) * alpha
		axpyPairGeneric(g, y, neu, g, x, y)
		label = 0
	}
	axpyGeneric(1, neu, x)
	return loss
}
