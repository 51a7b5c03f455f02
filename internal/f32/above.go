package f32

// The Index*Above kernels find the next entry of a combination of two
// rows that beats a threshold. They are the inner loop of batched top-k
// searches (analogy evaluation scans every vocabulary word for every
// question): nearly every entry is below the threshold, so the scan
// compares sixteen entries at a time and returns only on a hit. Both
// paths compute every value with the same single float32 operation, so
// they return the same index.

// IndexSumAbove returns the first index i with x[i] + y[i] > t, or -1 when
// there is none. It reads len(x) elements of y. NaN never beats the
// threshold.
func IndexSumAbove(x, y []float32, t float32) int {
	n := len(x)
	y = y[:n]
	i := 0
	if useAboveAsm && n >= 8 {
		if k := indexSumAboveAsm(x, y, t); k >= 0 {
			return k
		}
		i = n &^ 7
	}
	for ; i < n; i++ {
		if x[i]+y[i] > t {
			return i
		}
	}
	return -1
}

// IndexProductAbove returns the first index i with x[i] * y[i] > t, or -1
// when there is none. It reads len(x) elements of y. NaN never beats the
// threshold.
func IndexProductAbove(x, y []float32, t float32) int {
	n := len(x)
	y = y[:n]
	i := 0
	if useAboveAsm && n >= 8 {
		if k := indexProductAboveAsm(x, y, t); k >= 0 {
			return k
		}
		i = n &^ 7
	}
	for ; i < n; i++ {
		if x[i]*y[i] > t {
			return i
		}
	}
	return -1
}
