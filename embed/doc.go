// Package embed is the word-vector store at the bottom of wordspace: a
// vocabulary and one float32 vector per word in a single contiguous matrix,
// with cosine similarity, nearest-neighbour queries and the file formats
// word vectors are exchanged in.
//
// A word vector places each word at a point in a space of a few hundred
// dimensions, so that words used in similar contexts end up close
// together. "Close" is measured by the cosine of the angle between two
// vectors: 1 for the same direction, 0 for unrelated, -1 for opposite.
// Queries follow gensim's semantics, so results can be compared with it
// word for word: MostSimilar averages the unit vectors of its positive
// words minus those of its negative words and returns the words nearest
// that point, leaving out the query words themselves.
//
// Queries scan every row and are exact. For vocabularies in the millions,
// package ann builds an approximate index that answers in a fraction of a
// millisecond; pass it with WithIndex. Any index type can be used that
// implements Searcher; embed itself imports none.
package embed
