// Package phrases finds multi-word expressions such as "new york" in a
// corpus and joins them into single tokens ("new_york"), as word2vec's
// word2phrase tool does, so that a model trained afterwards learns one
// vector for the expression.
//
// A pair of adjacent words a b becomes a phrase when
//
//	score(a, b) = (count(a b) − minCount) / (count(a) · count(b)) · N
//
// exceeds a threshold, where N is the number of tokens in the corpus.
// Subtracting minCount discounts pairs seen only a few times; dividing by
// the word counts favours pairs whose words seldom appear apart. Each
// pass joins pairs only, left to right; a second pass over the joined
// text can join a phrase with a neighbour, giving longer phrases such as
// "new_york_times".
//
// Learn counts a corpus once, holding a bounded table of words and pairs
// that is pruned of rare entries when it fills, like word2phrase's. The
// resulting Model keeps only the pairs above the threshold. Apply returns
// a *corpus.Corpus that joins phrases on the fly whenever it is read,
// so a phrase-joined corpus can be fed to word2vec.Train or ppmi.Count
// without being written to disk; Detect runs several passes.
package phrases
