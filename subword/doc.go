// Package subword gives words vectors built from their spelling, the
// method of fastText (Bojanowski et al. 2017, "Enriching Word Vectors with
// Subword Information"), and reads and writes fastText's .bin model files.
//
// A word is a bag of character n-grams: "where", wrapped as "<where>",
// has the 3- to 6-grams "<wh", "whe", ..., "<where", "where>", and so on.
// Each n-gram is hashed into one of Bucket shared rows of the input
// matrix, after one row per vocabulary word. A word's vector is the mean
// of its own row and its n-grams' rows, so words that share pieces
// ("unhappiness", "happiness") share part of their vectors, and a word
// never seen in training (a misspelling, a rare inflection, a new word)
// still gets a vector, the mean of its n-grams' rows.
//
// The package is named for the method rather than for fastText because
// the vectors do not depend on who trained them: package word2vec trains
// such models (Config.MinN, MaxN, Bucket) with this package's n-grams and
// hash, fastText trains them too, and either's .bin file loads here and
// in fastText with the same vectors. It sits beside package embed and
// gives its vocabulary vectors as an *embed.Embeddings, so every query,
// analogy and bias measure works on them.
//
// # The pieces
//
//   - Ngrams, AppendBuckets and Hash: fastText's n-gram extraction (on
//     UTF-8 characters, found by their bytes as fastText finds them) and
//     its hash, FNV-1a with each byte sign-extended first, as fastText
//     computes it. Keeping that quirk is what makes non-ASCII words get
//     the same rows in both tools.
//   - Model: a vocabulary, the input matrix with its buckets, the output
//     matrix and the settings (Args). Vector and VectorTo give the vector
//     of any word, Known says whether it is in the vocabulary, AppendRows
//     which rows make it up, Embeddings the vocabulary's vectors (what
//     fastText's .vec file holds), EmbeddingsWith the same with unseen
//     words appended (so package analogy can take them), and MostSimilar
//     the nearest words to any words, seen or not.
//   - Files: Read and Load read the .bin that `fasttext skipgram`, `cbow`
//     and `supervised` write (format versions 11 and 12), Write and Save
//     write one that `fasttext print-word-vectors`, `nn` and gensim's
//     load_facebook_model read. Quantised .ftz files are refused. Save is
//     atomic. The layout is spelt out in bin.go. LoadVectors loads any
//     vector file, a model or what package embed reads (IsModel tells
//     them apart), as the command line's -model flags do.
//
// # Ownership and concurrency
//
// A Model is immutable: New keeps the slices it is given (the caller must
// not modify them afterwards), and every method is safe to call from many
// goroutines. Vector returns a fresh slice; Embeddings, computed on first
// use, is shared by all callers and must not be modified.
//
// # Errors
//
// A malformed file gives a *FormatError, which matches ErrFormat and says
// at which byte, in which part of the file and for which word: a file cut
// short (cause io.ErrUnexpectedEOF), a wrong magic number or version, a
// size that does not fit in the file (checked before anything is
// allocated for it), a value that is not finite (embed.ErrNotFinite), a
// quantised model (ErrQuantized). Load wraps it with the path. Vector
// gives an *embed.UnknownWordError for a word with no rows at all (not in
// the vocabulary and without n-grams, as in a model without subwords).
package subword
