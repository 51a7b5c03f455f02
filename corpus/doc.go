// Package corpus reads the text that word vectors are learnt from: it
// streams sentences out of files, directories, gzip files or any reader,
// cuts them into tokens, counts the vocabulary and reads and writes
// vocabulary files. Every trainer in wordspace (word2vec, ppmi, phrases,
// transformer) reads its text through this package, so that the same
// corpus gives the same tokens whichever method learns from it.
//
// The pieces:
//
//   - Source is the small interface trainers accept: a name for messages
//     and a Sentences method that reads the whole text once, from the
//     start, every time it is called. Training makes several passes
//     without holding the text in memory.
//   - Corpus is the Source this package makes: Open reads files and
//     directories (plain or gzip, detected by their magic bytes), New any
//     re-openable stream, FromString and FromReader text in memory, and
//     FromFunc wraps a derived stream (phrases joined, words filtered) so
//     that it can be read like any other corpus.
//   - A sentence is a line. A line longer than MaxSentenceTokens tokens
//     (text8 is one line of 17 million words) is cut into chunks of that
//     many tokens; nothing is dropped. Tokens are separated by white space
//     and TokenOptions can lower-case them, strip punctuation and stem them
//     with a snowball stemmer. A token longer than MaxTokenBytes (1 KiB,
//     the longest word a vector file may hold) is cut to that length and
//     counted (Corpus.TruncatedTokens), so that memory stays bounded on
//     any input and every word trained can be saved and read back.
//   - BuildVocab counts the words with bounded memory, as the word2vec C
//     tool does, and returns an *embed.Vocab sorted by descending count.
//     WriteVocab, ReadVocab, SaveVocab and LoadVocab use the C tool's
//     "word count" vocabulary files.
//   - SentenceIDs reads a pass as vocabulary indices, the form trainers
//     work on. For a plain-text Corpus it looks the raw bytes up without
//     building a string per token, which keeps the reader from being the
//     bottleneck of training; any other Source goes through Sentences.
//
// # Ownership and concurrency
//
// The slice of tokens passed to a Sentences callback is reused after the
// callback returns; the strings in it are ordinary Go strings and may be
// kept. A Corpus is safe for concurrent use: each call to Sentences opens
// the text anew. The callback is called from the goroutine that called
// Sentences, one sentence at a time.
//
// # Errors
//
// Reading stops at the first error of the callback, of the reader, or of
// the context, and returns it. A gzip file cut short gives an error that
// matches io.ErrUnexpectedEOF. Malformed vocabulary files give a
// *FormatError naming the line, which matches ErrFormat with errors.Is.
package corpus
