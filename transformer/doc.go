// Package transformer is a compact causal transformer that turns static
// word vectors into per-context representations, trained by next-word
// prediction with backpropagation written out by hand.
//
// A static vector gives "bank" one point in space whether the sentence is
// about a river or about money. A transformer reads the words before it:
// each layer lets every position look at the earlier ones (attention: each
// head compares a query vector of the position with key vectors of the
// others and averages their value vectors by how well they match) and then
// transform what it gathered on its own (a feed-forward network), adding
// the result to the position's hidden state. After a few layers the hidden
// state of "bank" depends on its context.
//
// The architecture is GPT-2's, small and explicit: token embedding
// (optionally initialised from an *embed.Embeddings) plus learned position
// embedding; pre-LayerNorm blocks of causal multi-head self-attention with
// separate Q, K, V and output projections and an exact-GELU feed-forward
// network, each added to the residual stream; a final LayerNorm; and an
// output projection tied to the token embedding. Every weight is a plain
// named []float32 (Param), every matrix stored (in, out) and applied as
// x @ W, with the names and conventions of ../shared/bench/torch_ref.py,
// so that WriteNPZ and ReadNPZ exchange weights with PyTorch number for
// number. The variants other GPT-2-style code uses are Config settings,
// read from and written to .npz files as that format spells them:
// sinusoidal instead of learned positions, GELU's tanh approximation, and
// another LayerNorm epsilon; they run forward and backward like the
// default.
//
// Training (Train) uses AdamW, warm-up then cosine learning-rate decay and
// global gradient-norm clipping. The forward and backward passes run every
// matrix product through internal/gemm, fuse the output projection with
// log-softmax and cross-entropy so the batch's logits never exist all at
// once, and allocate nothing per step.
package transformer
