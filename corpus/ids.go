package corpus

import "context"

// SentenceIDs reads one pass of src and calls fn for every sentence (as
// Sentences cuts them) with the indices of its tokens in index, leaving
// out tokens not in it, and the number of tokens the sentence had. The
// slice is reused after fn returns. A sentence with no known token is
// still reported, with an empty slice, so that callers count sentences
// the same way whatever the vocabulary.
//
// This is the form trainers read. For a Corpus of plain tokens (the zero
// TokenOptions) the raw bytes are looked up without building a string
// per token; any other Source is read through Sentences.
func SentenceIDs(ctx context.Context, src Source, index map[string]int32, fn func(ids []int32, tokens int) error) error {
	ids := make([]int32, 0, 256)
	tokens := 0
	flush := func() error {
		if tokens == 0 {
			return nil
		}
		err := fn(ids, tokens)
		ids, tokens = ids[:0], 0
		return err
	}
	if r := raw(src); r != nil {
		return r.scan(ctx, func(t []byte, _ bool) error {
			if id, ok := index[string(t)]; ok {
				ids = append(ids, id)
			}
			if tokens++; tokens == MaxSentenceTokens {
				return flush()
			}
			return nil
		}, flush)
	}
	return src.Sentences(ctx, func(s []string) error {
		for _, t := range s {
			if id, ok := index[t]; ok {
				ids = append(ids, id)
			}
		}
		tokens = len(s)
		return flush()
	})
}
