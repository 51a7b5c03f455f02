// Package analogy answers word-analogy questions with vector arithmetic and
// evaluates word vectors on the standard analogy and word-similarity
// benchmarks.
//
// An analogy question reads "a is to b as c is to ?": man is to king as
// woman is to queen, big is to biggest as small is to smallest. In a good
// vector space the offset from a to b is roughly the same for every pair
// in one relation, so the answer is the word nearest to b - a + c. Solve
// answers one question with one of three methods:
//
//   - CosAdd (3CosAdd, Mikolov et al. 2013): the word whose vector has the
//     highest cosine with the normalised mean of b, c and -a (all unit
//     vectors), exactly as gensim's most_similar(positive=[b, c],
//     negative=[a]) scores it.
//   - CosMul (3CosMul, Levy and Goldberg 2014): the word x maximising
//     cos'(x,b)·cos'(x,c) / (cos'(x,a) + 1e-6), where cos' = (1+cos)/2 is
//     the cosine shifted to [0, 1], as gensim's most_similar_cosmul does.
//     A product lets no single large similarity dominate.
//   - PairDirection (Levy and Goldberg 2014): the word x whose offset from
//     c points the same way as the offset from a to b, cos(x-c, b-a), all
//     vectors normalised first.
//
// By default the three question words are never returned, as in gensim
// and the original word2vec tools. Nissim, van Noord and van der Goot
// (2019) showed that this hides how often the plain nearest word is b or c
// itself; Options.KeepQuestionWords turns the exclusion off so both views
// can be reported.
//
// Evaluate scores a whole benchmark (the Google analogy set, the MSR set
// or a BATS directory) with the semantics of gensim 4.2's
// evaluate_word_analogies: only the first Restrict words (gensim's default
// is DefaultRestrict, 300,000) take part, words are compared case-insensitively with each
// upper-cased form standing for its first (most frequent) spelling, and a
// question with a word outside that vocabulary is skipped and counted.
// The result agrees with gensim question by question, and is computed an
// order of magnitude faster: the roughly 900 distinct words of the Google
// set are multiplied against the vocabulary once with one matrix product
// per vocabulary block, every question combines three of those similarity
// rows, and the few best candidates are rescored with gensim's exact
// float32 formula.
//
// The readers take the benchmarks in the forms they are distributed in:
// ReadGoogle (questions-words.txt, also the MSR set in that form), ReadMSR
// and ReadMSRSplit (the MSR set as one file, or its .questions and
// .answers), ReadCSV (vecto's CSV, word1,word2,word3,target columns),
// ReadBATS (a directory) and ReadBATSRelation (one of its files);
// LoadQuestions tells them apart from the first line and names the forms
// it tried when none fits. IsSyntactic says which sections test relations
// of form, by name where the name tells and by the questions otherwise.
//
// EvaluatePairs correlates cosine similarities with human judgements
// (WordSim-353, SimLex-999, MEN) with Spearman's and Pearson's
// coefficients, with the semantics of gensim's evaluate_word_pairs.
package analogy
