// Package explain checks, on your own text, the claims of the classic
// explainer of how language models work ("Large language models,
// explained with a minimum of math and jargon", Timothy B. Lee and Sean
// Trott, 2023), and writes up which held and how strongly.
//
// Run trains what it needs on a corpus (word2vec vectors, then a compact
// transformer whose token embedding starts from them; either can be given
// instead), measures nine claims and returns a Report; Report.Write puts
// report.md and its PNG figures in a directory. Each claim is one section
// with the claim in one sentence, the measurement, a figure, and a
// verdict that follows from the numbers by a rule stated beside it:
// "held", "held weakly" or "not seen on this corpus".
//
//  1. Words are points in a space where similar words are close: nearest
//     neighbours of probe words, a PCA map of word groups (animals,
//     countries, numbers, …), and how well the groups separate
//     (nearest-neighbour purity against shuffled labels, silhouette).
//  2. Vector arithmetic solves analogies (biggest − big + small ≈
//     smallest): the explainer's examples and accuracy per relation (package
//     analogy), against the sceptic's baseline that answers with the
//     nearest neighbour of the third word alone (Linzen 2016).
//  3. Vectors inherit biases from language: the WEAT tests and the gender
//     direction of package bias/audit.
//  4. Context tells the senses of a word apart: package
//     transformer/inspect's sense separation, layer by layer, against the
//     static vector and a bag of the words before.
//  5. Attention heads each do a different job: previous token, first-token
//     sink, earlier copy of the word, induction (Olsson et al. 2022).
//  6. Feed-forward neurons detect patterns and promote next words (Geva et
//     al. 2021, 2022).
//  7. The prediction is refined layer by layer: the logit lens.
//  8. Training by next-word prediction beats counting: the loss curve
//     against unigram and bigram models.
//  9. Loss falls as a power law of model size and data (with
//     Options.Scaling): a ladder of model sizes and of data sizes, fits of
//     L = E + A·x^−α by least squares in log space, bootstrap intervals,
//     and a comparison with Kaplan et al. (2020) and Hoffmann et al. (2022).
//
// The verdicts are deliberately plain and the rules deliberately simple;
// a claim that does not hold on a corpus is reported as such. All the
// training goes through train.go, the one file that calls package
// word2vec's and package transformer's trainers.
//
// Run is a long job: it takes a context (cancelling it stops the run with
// the context's error), reports its stages through Options.Progress, and
// wraps any other error with the stage it happened in. The Report and the
// models it holds belong to the caller; Run uses Options.Threads
// goroutines.
package explain
