// Package project draws high-dimensional points, such as word vectors, as
// points in the plane (or in any small number of dimensions), so that a
// person can look at a neighbourhood of a word space.
//
// Two methods are offered, because they answer different questions.
//
// PCA (principal component analysis) is a linear projection: the points
// are centred and projected on the directions along which they vary most.
// Distances and directions in the picture mean something (the axis from
// "he" to "she" stays an axis), the result is exact and deterministic, and
// the share of the variance each axis keeps says how faithful the picture
// is. Its weakness is that a few hundred dimensions rarely fit in two, so
// clusters that are distinct in the space overlap in the picture.
//
// t-SNE (van der Maaten and Hinton 2008) places the points so that each
// one's near neighbours in the space stay near neighbours in the picture:
// it turns distances into probabilities of picking a neighbour (with a
// bandwidth per point set by the perplexity, roughly the number of
// neighbours that count) and moves the planar points by gradient descent
// until a heavy-tailed (Student-t) version of the same probabilities
// matches. Clusters come out well separated, but distances between
// clusters and the sizes of clusters mean little. This is the exact
// algorithm, quadratic in the number of points: suited to the few hundred
// words of a neighbourhood map, not to a whole vocabulary. Its defaults are
// scikit-learn's (perplexity 30, early exaggeration 12 for 250 iterations,
// 1000 iterations, the "auto" learning rate, PCA initialisation), and the
// result is deterministic: the same input and options give the same
// points, whatever the number of threads.
//
// Points come in as one row-major []float32 of n rows of dim values, the
// layout of embed's matrix, and go out as a row-major []float64.
package project
