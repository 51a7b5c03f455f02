package analogy

import (
	"math"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/f32"
)

// This file reproduces gensim 4.2's float32 arithmetic step by step, so
// that scores (and therefore rankings of near-ties) come out as gensim's
// do. Only the order in which OpenBLAS sums a dot product is not
// reproduced; f32.Dot64 returns the correctly rounded sum instead, which
// differs from it by about one unit in the last place.

// npNorm returns the Euclidean length of v exactly as numpy's
// np.linalg.norm(M, axis=1) computes it for a row of a float32 matrix:
// squares rounded to float32, summed in float32 by numpy's pairwise
// summation (eight interleaved partial sums within blocks of up to 128
// values), then a float32 square root.
func npNorm(v []float32) float32 {
	return float32(math.Sqrt(float64(pairwiseSumSq(v))))
}

func pairwiseSumSq(v []float32) float32 {
	n := len(v)
	switch {
	case n < 8:
		var res float32
		for _, x := range v {
			res += float32(x * x)
		}
		return res
	case n <= 128:
		var r [8]float32
		for k := range r {
			r[k] = float32(v[k] * v[k])
		}
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := range r {
				r[k] += float32(v[i+k] * v[i+k])
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += float32(v[i] * v[i])
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwiseSumSq(v[:n2]) + pairwiseSumSq(v[n2:])
	}
}

// npUnit writes gensim's get_vector(norm=True): v / norm, element by
// element in float32.
func npUnit(dst, v []float32, norm float32) []float32 {
	for i, x := range v {
		dst[i] = x / norm
	}
	return dst
}

// unitvec writes gensim's matutils.unitvec of a float32 vector: scaled
// in float64 by the reciprocal of its float64 length, then rounded to
// float32. A zero vector is left unchanged.
func unitvec(dst, v []float32) []float32 {
	var ss float64
	for _, x := range v {
		ss += float64(x) * float64(x)
	}
	l := math.Sqrt(ss)
	if l == 0 {
		copy(dst, v)
		return dst
	}
	inv := 1 / l
	for i, x := range v {
		dst[i] = float32(float64(x) * inv)
	}
	return dst
}

// cosAddQuery writes the query vector of gensim's most_similar(positive=
// [b, c], negative=[a]) from the unit vectors of a, b and c: their
// weighted mean ((b + c) - a)/3 in float32, then unitvec.
func cosAddQuery(dst, ua, ub, uc []float32) []float32 {
	for i := range dst {
		m := ub[i] + uc[i]
		m -= ua[i]
		dst[i] = m / 3
	}
	return unitvec(dst, dst)
}

// cosAddScore is gensim's most_similar score of row x for query q:
// dot(x, q) / |x| in float32.
func cosAddScore(x, q []float32, normX float32) float32 {
	return float32(f32.Dot64(x, q)) / normX
}

// shiftedCos is gensim's most_similar_cosmul term (1 + dot(x, u)/|x|)/2
// in float32, u a unit question vector.
func shiftedCos(x, u []float32, normX float32) float32 {
	d := float32(f32.Dot64(x, u)) / normX
	d = 1 + d
	return d / 2
}

// cosMulEpsilon is the constant gensim adds to the denominator of 3CosMul.
const cosMulEpsilon = float32(0.000001)

func cosMulScore(pa, pb, pc float32) float32 {
	num := pb * pc
	den := pa + cosMulEpsilon
	return num / den
}

// gensimSimilarity is gensim's KeyedVectors.similarity: the float32 dot
// product of the two unitvec'd vectors.
func gensimSimilarity(emb *embed.Embeddings, a, b int, ua, ub []float32) float32 {
	unitvec(ua, emb.Row(a))
	unitvec(ub, emb.Row(b))
	return float32(f32.Dot64(ua, ub))
}
