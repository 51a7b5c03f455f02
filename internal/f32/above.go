package f32

// The Index*Above kernels find the next entry of a combination of rows
// that beats a threshold. They are the inner loop of batched top-k
// searches (analogy evaluation scans every vocabulary word for every
// question): nearly every entry is below the threshold, so the scan
// compares eight entries at a time and returns only on a hit. Both
// paths compute every value with the same float32 operations in the same
// order, so they return the same index.

// IndexAddSubAbove returns the first index i with (x[i] + y[i]) - z[i] > t,
// or -1 when there is none. It reads len(x) elements of y and z. NaN never
// beats the threshold.
func IndexAddSubAbove(x, y, z []float32, t float32) int {
	n := len(x)
	y, z = y[:n], z[:n]
	i := 0
	if useAboveAsm && n >= 8 {
		if k := indexAddSubAboveAsm(x, y, z, t); k >= 0 {
			return k
		}
		i = n &^ 7
	}
	for ; i < n; i++ {
		if s := x[i] + y[i] - z[i]; s > t {
			return i
		}
	}
	return -1
}

// IndexProductAbove returns the first index i with
// x[i]*y[i] >= t*(z[i]+eps), or -1 when there is none. It reads len(x)
// elements of y and z. For positive z[i]+eps this is the test
// x[i]*y[i]/(z[i]+eps) >= t without the division.
func IndexProductAbove(x, y, z []float32, eps, t float32) int {
	n := len(x)
	y, z = y[:n], z[:n]
	i := 0
	if useAboveAsm && n >= 8 {
		if k := indexProductAboveAsm(x, y, z, eps, t); k >= 0 {
			return k
		}
		i = n &^ 7
	}
	for ; i < n; i++ {
		p := x[i] * y[i]
		q := z[i] + eps
		if p >= t*q {
			return i
		}
	}
	return -1
}
