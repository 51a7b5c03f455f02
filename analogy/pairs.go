package analogy

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/stats"
)

// Pair is one human similarity judgement: words A and B and their gold
// score.
type Pair struct {
	A, B  string
	Score float64
	Line  int // 1-based line in the file
}

// ReadPairs reads a word-similarity file in any of the usual layouts:
// WordSim-353 ("w1<TAB>w2<TAB>score"), SimLex-999 (tab-separated with a
// header line and the SimLex999 score in the fourth column) and MEN ("w1
// w2 score", space-separated, words optionally tagged -n, -v or -j).
// Blank lines and lines starting with '#' are ignored. A line with a tab
// is split at tabs, any other at runs of spaces. The score is the first
// field after the two words that is a number. The first data line may be
// a header without any number; any later line without a number, or with
// fewer than three fields, is an error naming the line. When every word
// of a file carries a MEN part-of-speech tag, the tags are removed.
func ReadPairs(r io.Reader) ([]Pair, error) { return readPairs(r, "") }

func readPairs(r io.Reader, name string) ([]Pair, error) {
	var pairs []Pair
	data := 0
	err := scanLines(r, name, func(n int, line string) error {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			return nil
		}
		data++
		var f []string
		if strings.Contains(line, "\t") {
			f = strings.Split(line, "\t")
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
		} else {
			f = strings.Fields(line)
		}
		if len(f) < 3 {
			if data == 1 {
				return nil // a header
			}
			return formatError(name, n, "want \"word1 word2 score\", got %d fields", len(f))
		}
		score, ok := 0.0, false
		for _, s := range f[2:] {
			v, err := strconv.ParseFloat(s, 64)
			if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
				score, ok = v, true
				break
			}
		}
		if !ok {
			if data == 1 {
				return nil
			}
			return formatError(name, n, "no numeric score after %q %q", f[0], f[1])
		}
		if f[0] == "" || f[1] == "" {
			return formatError(name, n, "empty word")
		}
		pairs = append(pairs, Pair{A: f[0], B: f[1], Score: score, Line: n})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("analogy: %s: %w", nameOr(name), ErrNoPairs)
	}
	stripMENTags(pairs)
	return pairs, nil
}

// LoadPairs reads a word-similarity file with ReadPairs.
func LoadPairs(path string) ([]Pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("analogy: %w", err)
	}
	defer f.Close()
	return readPairs(f, filepath.Base(path))
}

// stripMENTags removes MEN's -n/-v/-j part-of-speech suffixes when every
// word carries one (the lemma form of the data set).
func stripMENTags(pairs []Pair) {
	tagged := func(w string) bool {
		n := len(w)
		return n > 2 && w[n-2] == '-' && (w[n-1] == 'n' || w[n-1] == 'v' || w[n-1] == 'j')
	}
	for _, p := range pairs {
		if !tagged(p.A) || !tagged(p.B) {
			return
		}
	}
	for i := range pairs {
		pairs[i].A = pairs[i].A[:len(pairs[i].A)-2]
		pairs[i].B = pairs[i].B[:len(pairs[i].B)-2]
	}
}

// ErrNoPairs is returned when a similarity file has no pairs, or too few
// of its pairs are in the vocabulary to correlate.
var ErrNoPairs = errors.New("no usable word pairs")

// ErrUndefined is returned (wrapped) when a correlation is undefined
// because one side has no variance (every gold score, or every
// similarity, is equal), and with ErrZeroVector. It is embed.ErrUndefined,
// so one errors.Is test covers every package.
var ErrUndefined = embed.ErrUndefined

// PairOptions controls EvaluatePairs. The zero value gives gensim's
// evaluate_word_pairs defaults.
type PairOptions struct {
	// Restrict limits the vocabulary to its first Restrict words; 0 means
	// all of it (gensim's default is DefaultRestrict).
	Restrict int
	// CaseSensitive compares words exactly instead of by their upper-case
	// forms (gensim's case_insensitive=False).
	CaseSensitive bool
	// OOVAsWrong scores a pair with an unknown word as similarity 0
	// instead of leaving it out (gensim's dummy4unknown).
	OOVAsWrong bool
}

// PairResult is the outcome of EvaluatePairs.
type PairResult struct {
	Spearman float64 // rank correlation, ties given their average rank
	Pearson  float64
	Restrict int // words searched: the restriction, capped at the vocabulary size
	Used     int // pairs correlated
	Total    int // pairs in the file
	OOV      int // pairs with a word outside the vocabulary
}

// EvaluatePairs correlates the cosine similarity of every pair with its
// gold score, with the semantics of gensim's evaluate_word_pairs: words
// are looked up case-insensitively among the first Restrict words, each
// upper-case form standing for its first spelling, and a pair with an
// unknown word is left out and counted in OOV (or scored 0 with OOVAsWrong).
// Fewer than two usable pairs give ErrNoPairs; a side without variance
// gives ErrUndefined.
func EvaluatePairs(emb *embed.Embeddings, pairs []Pair, opts PairOptions) (PairResult, error) {
	if opts.Restrict < 0 {
		return PairResult{}, fmt.Errorf("analogy: negative restriction %d", opts.Restrict)
	}
	n := restrictOrAll(opts.Restrict, emb.Len())
	lex := newLexicon(emb, n, !opts.CaseSensitive)
	res := PairResult{Restrict: n, Total: len(pairs)}
	gold := make([]float64, 0, len(pairs))
	model := make([]float64, 0, len(pairs))
	ua := make([]float32, emb.Dim())
	ub := make([]float32, emb.Dim())
	for _, p := range pairs {
		ia, oka := lex.lookup(p.A)
		ib, okb := lex.lookup(p.B)
		if !oka || !okb {
			res.OOV++
			if opts.OOVAsWrong {
				gold = append(gold, p.Score)
				model = append(model, 0)
			}
			continue
		}
		gold = append(gold, p.Score)
		model = append(model, float64(gensimSimilarity(emb, ia, ib, ua, ub)))
	}
	res.Used = len(gold)
	if res.Used < 2 {
		return res, fmt.Errorf("analogy: %d of %d pairs in the vocabulary, need at least 2: %w", res.Used, res.Total, ErrNoPairs)
	}
	if constant(gold) || constant(model) {
		return res, fmt.Errorf("analogy: %d pairs: %w", res.Used, ErrUndefined)
	}
	res.Spearman = stats.Spearman(gold, model)
	res.Pearson = stats.Pearson(gold, model)
	return res, nil
}

func constant(x []float64) bool {
	for _, v := range x[1:] {
		if v != x[0] {
			return false
		}
	}
	return true
}
