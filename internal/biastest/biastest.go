// Package biastest makes random word vectors for every word the built-in
// lists of package bias look up (the WEAT tests, Bolukbasi et al.'s pairs,
// professions and gender-specific seed words), lower-cased as
// corpus-trained vocabularies are, for the tests of the audit and the
// command line.
package biastest

import (
	"math/rand/v2"
	"strings"

	"github.com/wordspace/wordspace/bias"
	"github.com/wordspace/wordspace/embed"
)

// Vectors returns Gaussian random vectors of dimension dim, drawn from
// seed, for the lists' words; words with '_' or '-' (multi-word entries)
// are left out.
func Vectors(dim int, seed uint64) (*embed.Embeddings, error) {
	seen := map[string]bool{}
	var words []string
	add := func(ws ...string) {
		for _, w := range ws {
			w = strings.ToLower(w)
			if !seen[w] && !strings.ContainsAny(w, "_-") {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	for _, tt := range bias.WEATTests() {
		add(tt.X...)
		add(tt.Y...)
		add(tt.A...)
		add(tt.B...)
	}
	for _, p := range append(bias.DefinitionalPairs(), bias.EqualizePairs()...) {
		add(p[0], p[1])
	}
	add(bias.ProfessionWords()...)
	add(bias.GenderSpecificSeed()...)
	rng := rand.New(rand.NewPCG(seed, seed+1))
	data := make([]float32, len(words)*dim)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		return nil, err
	}
	return embed.New(v, dim, data)
}
