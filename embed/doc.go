// Package embed is the word-vector store at the bottom of wordspace: a
// vocabulary and one float32 vector per word in a single contiguous matrix,
// with cosine similarity, nearest-neighbour queries and the file formats
// word vectors are exchanged in. Every other wordspace package that works
// on vectors takes an *Embeddings.
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
// # The pieces
//
//   - Vocab: the words in order (most frequent first when they come from a
//     trainer or a frequency-sorted file), a word→index map and, when
//     known, each word's corpus count. Row i of the matrix is the vector of
//     word i.
//   - Embeddings: the vocabulary and the row-major matrix, with Row,
//     Vector and Data to read it, Norms and Unit for lengths and unit
//     vectors, and the queries: Similarity of two words, MostSimilar
//     (positive and negative words), MostSimilarToVector, Nearest (many
//     query vectors in one blocked matrix product, for batch work), and
//     DoesntMatch. QueryOptions restrict a search to the first words of
//     the vocabulary or exclude words, and can hand it to an index.
//     Cosine compares any two vectors.
//   - Searcher: the interface of an approximate nearest-neighbour index.
//     Queries scan every row and are exact; for vocabularies in the
//     millions, package ann builds an index (a graph) that answers in a
//     fraction of a millisecond, which QueryOptions.Index makes
//     MostSimilar, MostSimilarToVector and Nearest use. embed itself
//     imports no index.
//   - Files: Load and Read detect the format (word2vec text and binary,
//     GloVe's headerless text, fastText's .vec, NumPy .npy with a
//     vocabulary file) and gzip compression from the content; LoadOptions
//     can name the format, read only the first words (Limit), or reject
//     words that are not UTF-8. Save and Write write any of them; Save is
//     atomic (the file appears complete or not at all) and compresses a
//     name ending in .gz; for .npy it writes the matrix and its vocabulary
//     as a pair that readers can check belongs together (see Save and
//     WriteNPY). The formats are described at the Format constants.
//
// # Ownership of slices
//
// Embeddings and Vocab are immutable once built, and they share rather
// than copy. New and NewVocab keep the slices they are given: the caller
// must not modify them afterwards. Data, Row, Vector, Norms, Unit, Words
// and Counts return slices shared with the store: read them, never write
// them (copy first with slices.Clone to change a vector). UnitVector and
// the results of queries are fresh slices the caller owns.
//
// # Concurrency
//
// Every method of Embeddings and Vocab is safe to call from many
// goroutines at once, as long as nobody writes to the shared slices above.
// The vector lengths, their inverses and the unit-normalised matrix are
// computed once, on first use, under a sync.Once, and then shared; Unit
// doubles the memory held, so the queries use the lengths instead. Large
// scans (MostSimilar over a big vocabulary, Nearest, Norms of a big
// matrix) split their work between up to GOMAXPROCS goroutines of their
// own; the binary reader decodes vectors on a second goroutine while it
// parses words.
//
// # Errors
//
// Errors are values for errors.Is and errors.As:
//
//   - Malformed input of any format gives a *FormatError, which matches
//     ErrFormat and says where: the format, the line (text formats) and
//     the byte offset in the decompressed stream, the word when known, and
//     the cause (ErrNotFinite for NaN or infinite values, ErrDuplicateWord,
//     io.ErrUnexpectedEOF for a file cut short). A header's claims (word
//     count, dimension) are checked against the size of the input before
//     anything is allocated for them; from a stream of unknown size the
//     matrix grows only as rows actually arrive, so a corrupt or hostile
//     file cannot make a reader allocate much more than it holds.
//   - A query naming a word outside the vocabulary gives an
//     *UnknownWordError, which matches ErrUnknownWord and names the word.
//     A query with no words or vectors gives ErrEmptyQuery, a query vector
//     with NaN or infinite components ErrNotFinite.
//   - ErrUndefined is the one sentinel every wordspace package uses for a
//     result that is mathematically undefined for its input (a correlation
//     without variance, an angle with a zero vector): such a result is an
//     error, never a silent NaN.
//   - Opening or writing a file gives the operating system's error,
//     wrapped with the path.
//
// Similarity and the queries never fail on a zero vector: its cosine with
// anything is taken as 0, as gensim does.
package embed
