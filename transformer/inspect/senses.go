package inspect

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/transformer"
)

//go:embed senses.txt
var sensesTxt string

// Ambiguous is a word with two senses and two sentences for each:
// Sentences[s][i] is sentence i of sense s. The word's last occurrence in
// each sentence is the one compared, and the words that settle its sense
// come before it, since the model reads left to right.
type Ambiguous struct {
	Word      string
	Sentences [2][2][]string
}

// AmbiguousWords returns the 30 built-in ambiguous English words (bank,
// spring, light, …), each with two hand-written sentences per sense.
func AmbiguousWords() []Ambiguous {
	items, err := ReadAmbiguous(strings.NewReader(sensesTxt))
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return items
}

// ErrFormat is matched (errors.Is) by every *FormatError.
var ErrFormat = errors.New("malformed sense file")

// FormatError describes a malformed sense file: the line and what is wrong
// with it.
type FormatError struct {
	Line int // 1-based line number, or 0 for the file as a whole
	Msg  string
	Err  error // underlying cause, such as bufio.ErrTooLong; may be nil
}

func (e *FormatError) Error() string {
	s := "inspect: sense file"
	if e.Line > 0 {
		s += fmt.Sprintf(" line %d", e.Line)
	}
	s += ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

// maxSenseLine bounds one line of a sense file.
const maxSenseLine = 1 << 16

// ReadAmbiguous reads ambiguous words, one a line:
//
//	word: sense-A sentence | sense-A sentence || sense-B sentence | sense-B sentence
//
// Blank lines and lines starting with # are skipped. Every sentence must
// contain the word.
func ReadAmbiguous(r io.Reader) ([]Ambiguous, error) {
	var items []Ambiguous
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxSenseLine)
	bad := func(n int, format string, args ...any) error {
		return &FormatError{Line: n, Msg: fmt.Sprintf(format, args...)}
	}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, ok := strings.Cut(line, ":")
		word = strings.TrimSpace(word)
		senses := strings.Split(rest, "||")
		if !ok || len(senses) != 2 || word == "" || len(strings.Fields(word)) != 1 {
			return nil, bad(n, `want "word: a | a || b | b"`)
		}
		it := Ambiguous{Word: word}
		for s := range 2 {
			sents := strings.Split(senses[s], "|")
			if len(sents) != 2 {
				return nil, bad(n, "want two sentences per sense")
			}
			for i := range 2 {
				it.Sentences[s][i] = strings.Fields(sents[i])
				if !slices.Contains(it.Sentences[s][i], word) {
					return nil, bad(n, "%q does not occur in %q", word, strings.TrimSpace(sents[i]))
				}
			}
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, &FormatError{Msg: "cannot read it", Err: err}
	}
	return items, nil
}

// SenseLayer compares a word's representations across contexts at one
// layer (or for one baseline), averaged over the words.
type SenseLayer struct {
	// Same is the mean cosine between the word's representations in the
	// two sentences of one sense; Different between sentences of
	// different senses.
	Same, Different float64
	// Wins counts the words whose same-sense cosine exceeds their
	// different-sense cosine.
	Wins int
	// Gaps[i] is word i's same-sense minus different-sense cosine.
	Gaps []float64
}

// Gap is Same − Different.
func (s SenseLayer) Gap() float64 { return s.Same - s.Different }

// SenseReport is the outcome of Senses.
type SenseReport struct {
	// Words are the ambiguous words measured, Skipped those the model
	// does not know.
	Words, Skipped []string
	// Layers[l] compares the hidden states at layer l: 0 the input
	// (token + position), 1..Layers after each block, Layers+1 the final
	// LayerNorm.
	Layers []SenseLayer
	// Static is the static vector: the same in every context, so both
	// cosines are 1 and no word is told apart.
	Static SenseLayer
	// Bag is the mean static vector (the model's token embedding) of the
	// words before the ambiguous word: it knows the context, not its
	// order.
	Bag SenseLayer
	// Examples[w][l] holds, for word w at layer l, the cosines of the six
	// sentence pairs: (0,1) and (2,3) of the same sense, then (0,2),
	// (0,3), (1,2), (1,3), with sentences numbered sense A's two, then
	// sense B's.
	Examples [][][6]float64
}

// Senses measures how well the hidden states of m tell the senses of
// each ambiguous word apart, layer by layer, and the two baselines. Words
// the model does not know are skipped; sentences longer than the context
// are an error.
func Senses(m *transformer.Model, items []Ambiguous) (*SenseReport, error) {
	table, err := m.Embedding()
	if err != nil {
		return nil, err
	}
	layers := m.Config().Layers + 2
	rep := &SenseReport{Layers: make([]SenseLayer, layers)}
	add := func(s *SenseLayer, c [6]float64) {
		same := (c[0] + c[1]) / 2
		diff := (c[2] + c[3] + c[4] + c[5]) / 4
		s.Same += same
		s.Different += diff
		s.Gaps = append(s.Gaps, same-diff)
		if same > diff {
			s.Wins++
		}
	}
	pairs := [6][2]int{{0, 1}, {2, 3}, {0, 2}, {0, 3}, {1, 2}, {1, 3}}
	for _, it := range items {
		if _, ok := m.TokenID(it.Word); !ok {
			rep.Skipped = append(rep.Skipped, it.Word)
			continue
		}
		var reps [4]*transformer.Representation
		var pos [4]int
		var bags [4][]float32
		for i, s := range [][]string{it.Sentences[0][0], it.Sentences[0][1], it.Sentences[1][0], it.Sentences[1][1]} {
			r, err := m.Contextualize(s, transformer.ContextOptions{})
			if err != nil {
				return nil, err
			}
			reps[i], pos[i] = r, lastIndex(s, it.Word)
			if pos[i] < 0 {
				return nil, fmt.Errorf("inspect: %q does not occur in %q: %w", it.Word, strings.Join(s, " "), ErrNoText)
			}
			bags[i] = make([]float32, table.Dim())
			for _, w := range s[:pos[i]] {
				if v, err := table.Vector(w); err == nil {
					for j, x := range v {
						bags[i][j] += x
					}
				} else {
					unk := table.Row(transformer.UnkID)
					for j, x := range unk {
						bags[i][j] += x
					}
				}
			}
		}
		rep.Words = append(rep.Words, it.Word)
		ex := make([][6]float64, layers)
		for l := range layers {
			for k, pr := range pairs {
				ex[l][k] = embed.Cosine(reps[pr[0]].Hidden(l, pos[pr[0]]), reps[pr[1]].Hidden(l, pos[pr[1]]))
			}
			add(&rep.Layers[l], ex[l])
		}
		rep.Examples = append(rep.Examples, ex)
		var bag [6]float64
		for k, pr := range pairs {
			bag[k] = embed.Cosine(bags[pr[0]], bags[pr[1]])
		}
		add(&rep.Bag, bag)
		add(&rep.Static, [6]float64{1, 1, 1, 1, 1, 1})
	}
	n := float64(len(rep.Words))
	if n == 0 {
		return nil, fmt.Errorf("inspect: none of the %d ambiguous words is in the model's vocabulary: %w", len(items), ErrNoText)
	}
	for _, s := range append([]*SenseLayer{&rep.Static, &rep.Bag}, ptrs(rep.Layers)...) {
		s.Same /= n
		s.Different /= n
	}
	return rep, nil
}

func ptrs(s []SenseLayer) []*SenseLayer {
	out := make([]*SenseLayer, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

// lastIndex returns the position of the last occurrence of w in s, or -1.
func lastIndex(s []string, w string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == w {
			return i
		}
	}
	return -1
}
