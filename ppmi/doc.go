// Package ppmi builds count-based word vectors: a word–context
// co-occurrence matrix, its positive pointwise mutual information (PPMI),
// and a truncated SVD of that matrix.
//
// Skip-gram with negative sampling implicitly factorises a shifted PMI
// matrix (Levy and Goldberg 2014). This package builds the matrix
// explicitly, with the settings that Levy, Goldberg and Dagan (2015,
// "Improving Distributional Similarity with Lessons Learned from Word
// Embeddings") showed to carry over from word2vec:
//
//   - Count: a symmetric window around every word, optionally weighted by
//     distance as word2vec's dynamic window does in expectation, over a
//     corpus optionally subsampled like word2vec's. Counting is spread over
//     goroutines, each with a bounded table of pairs that is merged into the
//     shared result when it fills up, so memory grows with the number of
//     distinct pairs, not with the corpus. The result is a symmetric
//     sparse.CSR matrix; Save and Load keep it on disk.
//   - FromCounts: PMI(w, c) = log(#(w,c) / (#(w) · Pα(c))), where Pα is the
//     context distribution smoothed with exponent α = 0.75, minus an
//     optional shift log k, keeping only positive values.
//   - TruncatedSVD: the randomised method of Halko, Martinsson and Tropp
//     (2011): the matrix is multiplied by a random Gaussian block, the
//     range found is refined by power iterations with QR
//     re-orthonormalisation, and a small dense SVD finishes the job. Only
//     sparse × dense products touch the big matrix. The iterations, which
//     only have to find the subspace, run in float32; the final basis, the
//     last product and the small SVD in float64.
//   - Embeddings: word vectors U·Σ^p (p = 0, 0.5 or 1), optionally with the
//     context vectors V·Σ^p added (w + c).
//
// Train runs all four steps on a corpus. The result is an
// *embed.Embeddings, so analogy solving, evaluation and bias audits work on
// it unchanged.
//
// # Sparse matrices
//
// Count matrices and PPMI matrices are *sparse.CSR values of
// github.com/james-bowman/sparse (Cooccurrence.Counts, FromCounts,
// TruncatedSVD), and that is a promise, not an accident: they implement
// gonum's mat.Matrix, so callers can use gonum and sparse on them
// directly, and a matrix from elsewhere can be factorised here. The
// version is pinned in go.mod; a change of matrix type would be a change
// of this package's API. Matrices this package returns are canonical: in
// every row the column indices are strictly increasing and the values
// finite, and counts are not negative; the functions that take a matrix
// check its structure and values before using it.
package ppmi
