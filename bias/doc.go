// Package bias measures social bias in word embeddings and removes it: the
// Word Embedding Association Test (WEAT) and its relatives, Bolukbasi et
// al.'s bias direction, direct and indirect bias, and hard debiasing.
//
// Word vectors learn associations from text, including stereotyped ones:
// in most corpora "nurse" sits closer to "she" than to "he". The measures
// here put numbers on such associations so that researchers can compare
// embeddings and check a debiasing method.
//
//   - WEAT (Caliskan et al. 2017) asks whether two target sets X, Y (male
//     and female names) differ in their similarity to two attribute sets A,
//     B (career and family words), with an effect size d and a
//     permutation p-value. SCWEAT does the same for one word.
//   - RND, RNSB, MAC, ECT and RIPA are the other measures researchers
//     report; each function's comment cites its paper and says where
//     public implementations differ.
//   - A Direction is a bias direction g found by principal components of
//     definitional pairs (she/he, woman/man, ...); DirectBias and
//     IndirectBias measure words along it and HardDebias removes it.
//
// Numbers researchers can trust. All arithmetic is in float64. WEAT's
// effect size uses the sample standard deviation, as the paper did,
// unless asked otherwise. Its p-value comes from an exact count over all
// partitions when there are at most a million of them, or else from a
// seeded Monte-Carlo test that draws random partitions (shuffles, never
// resamples with repetition) and reports its standard error. Missing
// words are dropped and reported set by set, with a lower-case fallback
// that is reported too; a set that shrinks below a chosen fraction or to
// fewer than two words is an error naming the missing words, never a NaN.
//
// The word lists of the papers ship with the package (see data/NOTICE.md):
// WEATTests, DefinitionalPairs, EqualizePairs, GenderSpecific and
// Professions work offline, and the Read* and Load* functions parse the
// same JSON formats for other lists.
package bias
