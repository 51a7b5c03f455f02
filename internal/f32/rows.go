package f32

// The row kernels serve subword training, where a word's input vector is
// the mean of a few dozen rows of a large matrix (its own and its
// character n-grams'): gather them once per centre word, train on the
// mean with the fused kernels, and add the accumulated gradient back to
// every row once, instead of one update per row per target.

// MeanRows sets dst to the mean of the rows of mat (a row-major matrix
// of len(dst) columns) listed in rows, summed in order in float32 and
// scaled by the float32 of 1/len(rows), as fastText computes a word's
// vector. With no rows dst is zeroed.
func MeanRows(dst, mat []float32, rows []int32) {
	d := len(dst)
	clear(dst)
	for _, r := range rows {
		Axpy(1, mat[int(r)*d:int(r)*d+d], dst)
	}
	if len(rows) > 0 {
		Scale(float32(1/float64(len(rows))), dst)
	}
}

// AddToRows adds v to each row of mat (of len(v) columns) listed in rows;
// a row listed twice gets v twice.
func AddToRows(mat []float32, rows []int32, v []float32) {
	d := len(v)
	for _, r := range rows {
		Axpy(1, v, mat[int(r)*d:int(r)*d+d])
	}
}

// PrefetchRows hints that the listed rows of mat (of d columns) will be
// read soon; see Prefetch.
func PrefetchRows(mat []float32, rows []int32, d int) {
	if !useAsm {
		return
	}
	for _, r := range rows {
		prefetchAsm(mat[int(r)*d : int(r)*d+d])
	}
}
