package word2vec

// huffman is the binary tree hierarchical softmax walks: every word is a
// leaf, and predicting it means taking the right turn at each inner node
// on its path. Frequent words get short paths. Inner nodes are numbered
// 0..n-2 and each owns one row of the output weights.
type huffman struct {
	start  []int32 // path of word i: codes[start[i]:start[i+1]], points likewise
	codes  []uint8 // 0 or 1: the turn taken
	points []int32 // inner node visited
	// rows is points with each path's code-0 nodes first, npos[i] of them
	// for word i: the layout the fused kernel (f32.LogisticStep) takes,
	// whose labels are 1 for its first npos rows.
	rows    []int32
	npos    []int32
	longest int // the longest path
}

// newHuffman builds the tree from counts sorted in descending order, as
// the C tool's CreateBinaryTree does: two pointers walk the leaves (from
// the rarest) and the inner nodes (in creation order), always merging the
// two smallest.
func newHuffman(counts []int64) *huffman {
	n := len(counts)
	h := &huffman{start: make([]int32, n+1)}
	if n < 2 {
		// A single word needs no decision; give it an empty path.
		return h
	}
	count := make([]int64, 2*n-1)
	copy(count, counts)
	for i := n; i < len(count); i++ {
		count[i] = 1 << 62
	}
	parent := make([]int32, 2*n-1)
	binary := make([]uint8, 2*n-1)
	pos1, pos2 := n-1, n
	pick := func() int {
		if pos1 >= 0 && count[pos1] < count[pos2] {
			pos1--
			return pos1 + 1
		}
		pos2++
		return pos2 - 1
	}
	for a := 0; a < n-1; a++ {
		min1 := pick()
		min2 := pick()
		count[n+a] = count[min1] + count[min2]
		parent[min1], parent[min2] = int32(n+a), int32(n+a)
		binary[min2] = 1
	}
	root := int32(2*n - 2)
	var code []uint8
	var point []int32
	for w := 0; w < n; w++ {
		code, point = code[:0], point[:0]
		for b := int32(w); b != root; b = parent[b] {
			code = append(code, binary[b])
			point = append(point, parent[b]-int32(n))
		}
		// The path was collected leaf to root; the tree is walked root to leaf.
		for i := len(code) - 1; i >= 0; i-- {
			h.codes = append(h.codes, code[i])
			h.points = append(h.points, point[i])
		}
		h.start[w+1] = int32(len(h.codes))
	}
	h.rows = make([]int32, 0, len(h.points))
	h.npos = make([]int32, n)
	for w := 0; w < n; w++ {
		codes, points := h.path(int32(w))
		h.longest = max(h.longest, len(codes))
		for _, want := range [2]uint8{0, 1} {
			for k, c := range codes {
				if c == want {
					h.rows = append(h.rows, points[k])
					if c == 0 {
						h.npos[w]++
					}
				}
			}
		}
	}
	return h
}

// kernelRows returns word w's path as the fused kernel takes it: the
// inner nodes, those whose code is 0 (label 1) first, and how many.
func (h *huffman) kernelRows(w int32) ([]int32, int) {
	return h.rows[h.start[w]:h.start[w+1]], int(h.npos[w])
}

func (h *huffman) path(w int32) ([]uint8, []int32) {
	a, b := h.start[w], h.start[w+1]
	return h.codes[a:b], h.points[a:b]
}
