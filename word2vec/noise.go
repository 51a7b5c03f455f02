package word2vec

import "math"

// noiseSampler draws words from the unigram distribution raised to a
// power (Config.NoiseExponent) with Walker's alias method: one table slot per word, so the
// draw is exact for every word, however rare, and the tables (8 bytes a
// word) stay in the processor's cache, where the C tool's 100-million-slot
// table takes 400 MB.
type noiseSampler struct {
	slots []aliasSlot
}

// aliasSlot keeps a slot's coin and alias together, so that a draw touches
// one cache line.
type aliasSlot struct {
	prob  uint32 // chance, out of 2^24, that the slot yields itself rather than alias
	alias int32
}

func newNoiseSampler(counts []int64, exponent float64) *noiseSampler {
	n := len(counts)
	w := make([]float64, n)
	var sum float64
	for i, c := range counts {
		if c > 0 { // a word never seen is never noise, whatever the exponent's sign
			w[i] = math.Pow(float64(c), exponent)
		}
		sum += w[i]
	}
	s := &noiseSampler{slots: make([]aliasSlot, n)}
	if sum == 0 {
		for i := range w {
			w[i] = 1
		}
		sum = float64(n)
	}
	// Scale to mean 1, then pair each under-full slot with an over-full one.
	small, large := make([]int32, 0, n), make([]int32, 0, n)
	for i := range w {
		w[i] *= float64(n) / sum
		if w[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l := small[len(small)-1]
		small = small[:len(small)-1]
		g := large[len(large)-1]
		s.slots[l] = aliasSlot{uint32(w[l] * (1 << 24)), g}
		w[g] -= 1 - w[l]
		if w[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, i := range large {
		s.slots[i] = aliasSlot{1 << 24, i}
	}
	for _, i := range small { // left over only by rounding
		s.slots[i] = aliasSlot{1 << 24, i}
	}
	return s
}

// draw maps one random 64-bit number to a word: the top 32 bits choose a
// slot, 24 lower bits toss its coin.
func (s *noiseSampler) draw(r uint64) int32 {
	i := int32((r >> 32) * uint64(len(s.slots)) >> 32)
	if sl := s.slots[i]; uint32(r>>8)&(1<<24-1) >= sl.prob {
		return sl.alias
	}
	return i
}
