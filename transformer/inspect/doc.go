// Package inspect measures what a trained transformer.Model does inside:
// which job each attention head has taken on, which text patterns its
// feed-forward neurons detect and which words they push the prediction
// towards, how the next-word guess sharpens layer by layer, and how well
// its hidden states tell the senses of an ambiguous word apart.
//
// Every measure reads the model through its public interface
// (Contextualize with ContextOptions.Attention or Neurons, Decode, Params), on
// texts the caller chooses, usually held-out sentences (see Sentences):
//
//   - Heads scores every head for four roles on the attention it actually
//     pays: to the previous token, to the first token (the <bos> "sink"
//     where heads park attention they do not need), to earlier copies of
//     the current word, and the induction pattern of Olsson et al. (2022),
//     measured on repeated random token sequences, with the drop in loss
//     the repeat brings. A pure role scores 1 and an unrelated head near 0;
//     Uniform gives the score of a head that spreads attention evenly, the
//     level a role must clearly beat.
//   - Neurons finds, for every feed-forward neuron, the held-out contexts
//     that make it fire most (Geva et al. 2021, "Transformer Feed-Forward
//     Layers Are Key-Value Memories"), checks whether they share a surface
//     pattern (the same word, the same ending, the same preceding word)
//     against the share random contexts reach by chance, and projects the
//     neuron's output ("value") vector onto the output embedding to list
//     the words it promotes (Geva et al. 2022).
//   - Lens decodes the residual stream after every block through the
//     final LayerNorm and the output embedding (the "logit lens") and
//     scores those early guesses as next-word predictions.
//   - Senses compares a word's hidden states across sentences of the same
//     and of different senses, layer by layer, beside the two baselines a
//     sceptic would ask for: the static vector (the same for every
//     context) and the mean static vector of the words before it (a bag
//     of context words, which knows the context but not its order).
//
// The functions only read the model; they are safe to run on a model that
// other goroutines read too, and they run on Threads goroutines of their
// own, with results that do not depend on the number. The reports they
// return belong to the caller. Texts with nothing to measure give an error
// matching ErrNoText; a malformed sense file a *FormatError matching
// ErrFormat.
package inspect
