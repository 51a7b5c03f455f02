// Package word2vec trains word vectors with the method of Mikolov et al.
// (2013), as the original C tool implements it, on corpora of any size.
//
// The idea: slide over the text and, for each word, train a small
// logistic model to tell the words that really occur near it (its
// context, up to Window words away) from random "noise" words. Each word
// has an input vector and an output vector; after training, the input
// vectors place words that appear in similar contexts close together.
//
// The pieces:
//
//   - Train reads any corpus.Source (package corpus streams sentences from
//     files, directories and gzip files, again for every epoch, so the
//     text never has to fit in memory), counts its vocabulary with
//     corpus.BuildVocab unless Config.Vocab gives one (corpus.LoadVocab
//     reads the C tool's vocabulary files), and learns the vectors:
//     skip-gram (predict the context from the word) or CBOW (predict the
//     word from its context), with negative sampling (noise drawn from the
//     unigram distribution to the power 0.75) and/or hierarchical softmax
//     (a Huffman tree), subsampling of frequent words with the C tool's
//     formula, a dynamic window, and a learning rate that falls linearly
//     from Alpha to MinAlpha over all epochs. Threads goroutines update
//     the shared weights without locks (Hogwild), each on its own share
//     of the sentences; with Threads 1 a seed fixes the result bit for
//     bit.
//   - Training reports progress through a callback, stops when its
//     context is cancelled, and can be saved to a checkpoint file
//     (SaveCheckpoint) and continued later (LoadCheckpoint, Resume).
//
// # Speed
//
// Dot products, the sigmoid and both updates of a negative-sampling step
// (or of a whole hierarchical-softmax path) run in one AVX2/FMA assembly
// kernel (package internal/f32), the sigmoid comes from a table, noise
// words from an alias table small enough to stay in cache, and tokens are
// looked up without allocating. Skip-gram draws one set of noise words
// per centre word and shares it across the window (Ji et al. 2016), so the
// few output rows a window touches stay in cache; Config.PerPairNegatives
// draws a set per (word, context) pair as the C tool does, with the next
// window's rows prefetched while the current one trains. Side by side with
// gensim 4.2 (2 threads), the default trained 5.4–6.8 times as fast on
// corpora of 3 and 15 million words with analogy and WordSim-353 scores at
// least as good; per-pair draws 3.3–3.7 times. The README has the figures.
//
// # Defaults that differ from the C tool's
//
// Besides the shared noise words, two settings start from better values
// than the C tool's, because they were measured to give better vectors on
// small corpora and no worse on large ones (README, "Training quality"):
//
//   - InitRange 2 (1 for CBOW): skip-gram's word vectors start uniformly
//     in ±2/Dim, where the C tool uses ±0.5/Dim and gensim 4 ±1/Dim. The output weights start
//     at zero, so their first updates are proportional to the starting
//     vectors; with tiny ones the first epochs are spent breaking the
//     symmetry, and on a short run that is much of the training.
//   - MinAlpha Alpha/(2·Epochs): the learning rate ends at a quarter of
//     its start after 2 epochs and a tenth after 5, instead of near zero.
//     On a small corpus each word is seen a few times only, and the C
//     tool's decay makes the last of those updates nearly vanish.
//
// On 3 million words (2 and 5 epochs) these two lift Google-analogy
// accuracy from below gensim 4.2's to above it, and WordSim-353 from 0.03
// below to 0.02–0.04 above; on 15 million words with 5 epochs they keep
// analogy accuracy and raise WordSim-353 by 0.02. CToolConfig returns the
// C tool's settings for users who want its behaviour.
//
// With subwords (MaxN > 0) the defaults are fastText's instead: vectors,
// n-gram rows included, start in ±1/Dim, the rate decays to Alpha·1e-4,
// noise words are drawn with counts^0.5 (NoiseExponent), and always per
// (word, context) pair. On 15 million words these raise Google-analogy
// accuracy by about 2 points over word2vec's settings (README, "Subword
// vectors").
//
// # Checkpoint format
//
// A checkpoint stores the whole model: a magic string "W2VCKPT1", a JSON
// header (format version, settings, training position: epochs done,
// sentences of the current epoch done, words and tokens processed,
// learning rate, the epoch's running loss, and each goroutine's random
// generator), the vocabulary with counts, the input vectors and the
// output weights in little-endian float32, and a CRC-32 of it all. The
// layout is spelt out in checkpoint.go. Saves are atomic.
package word2vec
