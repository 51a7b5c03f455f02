package phrases

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/word2vec"
)

func readAll(t testing.TB, c corpus.Source) []string {
	t.Helper()
	var out []string
	err := c.Sentences(context.Background(), func(s []string) error {
		out = append(out, strings.Join(s, " "))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// handText has N = 6·4 + 2·2 + 2·3 = 34 tokens with counts
// i = 8, love = 8, new = 8, york = 6, ideas = 2, tea = 2 and pairs
// (i love) = 8, (love new) = 6, (new york) = 6, (new ideas) = 2, (love tea) = 2.
var handText = strings.Repeat("i love new york\n", 6) + strings.Repeat("new ideas\n", 2) + strings.Repeat("i love tea\n", 2)

func TestScoresByHand(t *testing.T) {
	// With MinCount 2, score = (count(ab) − 2) / (count(a)·count(b)) · 34:
	//   i love    = (8 − 2) / (8·8) · 34 = 6/64 · 34 = 3.1875
	//   new york  = (6 − 2) / (8·6) · 34 = 4/48 · 34 = 2.8333…
	//   love new  = (6 − 2) / (8·8) · 34 = 4/64 · 34 = 2.125
	//   new ideas = love tea = (2 − 2) / … = 0
	m, err := Learn(context.Background(), corpus.FromString(handText), Options{MinCount: 2, Threshold: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []Phrase{
		{"i", "love", 8, 3.1875},
		{"new", "york", 6, 4.0 / 48 * 34},
		{"love", "new", 6, 2.125},
	}
	got := m.Phrases()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.First != w.First || g.Second != w.Second || g.Count != w.Count || math.Abs(g.Score-w.Score) > 1e-12 {
			t.Errorf("phrase %d: got %+v, want %+v", i, g, w)
		}
	}
	if m.Tokens() != 34 {
		t.Errorf("%d tokens, want 34", m.Tokens())
	}
	// Greedy from the left: "love new" wins in the second sentence, so
	// "york" stays alone there.
	got2 := m.Join(nil, strings.Fields("i love new york"))
	got3 := m.Join(nil, strings.Fields("love new york"))
	if strings.Join(got2, " ") != "i_love new_york" || strings.Join(got3, " ") != "love_new york" {
		t.Errorf("joined %q and %q", got2, got3)
	}

	// Threshold 2.5 keeps i_love and new_york only.
	m, err = Learn(context.Background(), corpus.FromString(handText), Options{MinCount: 2, Threshold: 2.5})
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 2 {
		t.Errorf("threshold 2.5: %v", m.Phrases())
	}
}

func TestApplyStreams(t *testing.T) {
	c := corpus.FromString(handText)
	m, err := Learn(context.Background(), c, Options{MinCount: 2, Threshold: 2.5, Delimiter: "+"})
	if err != nil {
		t.Fatal(err)
	}
	out := readAll(t, m.Apply(c))
	if len(out) != 10 || out[0] != "i+love new+york" || out[6] != "new ideas" || out[9] != "i+love tea" {
		t.Errorf("got %q", out)
	}
	// The derived corpus is a corpus like any other: it can be read
	// again, and word2vec builds a vocabulary from it.
	v, err := corpus.BuildVocab(context.Background(), m.Apply(c), corpus.VocabOptions{MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Contains("new+york") || v.Contains("york") {
		t.Errorf("vocabulary %v", v.Words())
	}
}

func TestDetectLongerPhrases(t *testing.T) {
	text := strings.Repeat("the new york times reported it\n", 12) +
		strings.Repeat("new york is big and the times are hard\n", 4) +
		strings.Repeat("it is what it is\n", 6)
	out, models, err := Detect(context.Background(), corpus.FromString(text), 3, Options{MinCount: 2, Threshold: 1})
	if err != nil {
		t.Fatal(err)
	}
	lines := readAll(t, out)
	if !strings.Contains(lines[0], "new_york_times") {
		t.Errorf("first line after %d passes: %q", len(models), lines[0])
	}
	if models[0].Len() == 0 {
		t.Fatal("no phrases in the first pass")
	}
	// Every pass reads as many sentences as the text has lines, and so
	// does the output.
	for i, m := range models {
		if m.Sentences() != 22 || len(lines) != 22 {
			t.Errorf("pass %d read %d sentences, the output has %d lines; want 22", i+1, m.Sentences(), len(lines))
		}
	}
	// The first pass may only join pairs.
	for _, p := range models[0].Phrases() {
		if strings.Contains(p.First, "_") || strings.Contains(p.Second, "_") {
			t.Errorf("pass 1 phrase %+v joins a phrase", p)
		}
	}
}

func TestAwkwardInput(t *testing.T) {
	// Empty lines, one-token lines, a line of white space, invalid UTF-8
	// and no final newline.
	bad := "\xff\xfe"
	text := "\n\nalone\n   \n" + strings.Repeat("x "+bad+" y\n", 8) + "z"
	c := corpus.FromString(text)
	m, err := Learn(context.Background(), c, Options{MinCount: 1, Threshold: 1})
	if err != nil {
		t.Fatal(err)
	}
	out := readAll(t, m.Apply(c))
	if len(out) != 10 || out[0] != "alone" || out[9] != "z" {
		t.Fatalf("got %q", out)
	}
	if !strings.Contains(out[1], bad) || !strings.Contains(out[1], "_") {
		t.Errorf("the invalid bytes did not join a phrase intact: %q", out[1])
	}
	// Nothing to learn from: a clear error.
	if _, err := Learn(context.Background(), corpus.FromString("\n \n"), Options{}); !errors.Is(err, ErrNoTokens) {
		t.Errorf("empty corpus: %v", err)
	}
	// One-word sentences only: no phrase, no error.
	m, err = Learn(context.Background(), corpus.FromString("a\nb\na\n"), Options{MinCount: 1, Threshold: 0.001})
	if err != nil || m.Len() != 0 {
		t.Errorf("one-word lines: %v, %v", m.Phrases(), err)
	}
}

func TestPruning(t *testing.T) {
	// A table of 100 entries forces pruning all the time; the frequent
	// phrase survives it: (400 − 5) / (400·400) · 1600 = 3.95 > 3.
	var sb strings.Builder
	for i := range 400 {
		sb.WriteString("new york ")
		sb.WriteString(strings.Repeat("q", 1+i%37))
		sb.WriteString(" r")
		sb.WriteByte(byte('a' + i%26))
		sb.WriteByte('\n')
	}
	m, err := Learn(context.Background(), corpus.FromString(sb.String()), Options{MinCount: 5, Threshold: 3, MaxTableSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() == 0 || m.Phrases()[0].First != "new" || m.Phrases()[0].Second != "york" {
		t.Errorf("phrases %v", m.Phrases())
	}
}

func TestRenumber(t *testing.T) {
	c := &counts{words: map[string]*wordEntry{}, pairs: map[uint64]int64{}, limit: 100}
	c.nextID = math.MaxUint32 - 2
	ids := []uint32{c.word("a"), c.word("b")}
	c.pairs[uint64(ids[0])<<32|uint64(ids[1])] = 7
	idC := c.word("c") // ids run out here: renumbered first
	if c.nextID > 10 {
		t.Fatalf("ids were not renumbered: next %d", c.nextID)
	}
	a, b := c.words["a"].id, c.words["b"].id
	if c.pairs[uint64(a)<<32|uint64(b)] != 7 || idC == a || idC == b {
		t.Errorf("pair lost in renumbering: %v, ids a=%d b=%d c=%d", c.pairs, a, b, idC)
	}
}

func TestOptionsErrors(t *testing.T) {
	c := corpus.FromString(handText)
	for _, o := range []Options{{MinCount: -1}, {Threshold: -1}, {Threshold: math.NaN()}, {Delimiter: " "}} {
		if _, err := Learn(context.Background(), c, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if _, _, err := Detect(context.Background(), c, 0, Options{}); err == nil {
		t.Error("0 passes: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := corpus.FromString(strings.Repeat(handText, 200))
	if _, err := Learn(ctx, big, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestTrainOnPhrases feeds the joined corpus straight to word2vec.Train.
func TestTrainOnPhrases(t *testing.T) {
	c := corpus.FromString(strings.Repeat(handText, 20))
	m, err := Learn(context.Background(), c, Options{MinCount: 2, Threshold: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	cfg := word2vec.DefaultConfig()
	cfg.Dim, cfg.Epochs, cfg.MinCount, cfg.Threads = 8, 1, 1, 1
	model, err := word2vec.Train(context.Background(), m.Apply(c), cfg)
	if err != nil {
		t.Fatal(err)
	}
	e, err := model.Embeddings()
	if err != nil {
		t.Fatal(err)
	}
	if !e.Vocab().Contains("new_york") || !e.Vocab().Contains("i_love") || e.Vocab().Contains("york") {
		t.Errorf("vocabulary %v", e.Vocab().Words())
	}
}

// TestNoPhraseLongerThanAWord checks that two words whose join would be
// longer than a vector file's word limit are never joined, so that
// vectors trained on the phrased text can be saved and read back.
func TestNoPhraseLongerThanAWord(t *testing.T) {
	long := strings.Repeat("x", embed.MaxWordLen/2)
	text := strings.Repeat("new york "+long+" "+long+"\n", 10)
	m, err := Learn(context.Background(), corpus.FromString(text), Options{MinCount: 2, Threshold: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Phrases() {
		if len(p.First)+1+len(p.Second) > embed.MaxWordLen {
			t.Errorf("phrase of %d bytes", len(p.First)+1+len(p.Second))
		}
	}
	got := strings.Join(m.Join(nil, strings.Fields("new york "+long+" "+long)), " ")
	if got != "new_york "+long+" "+long {
		t.Errorf("joined %.40q...", got)
	}
}
