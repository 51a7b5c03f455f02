package bias

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestOOVPolicy(t *testing.T) {
	_, vs := handWEAT(t)
	e := build(t, append(vs(), vec{"adam", []float32{1, 1, 1}}, vec{"zero", []float32{0, 0, 0}})...)
	test := WEATTest{
		X: []string{"x1", "x2", "Adam", "missing1"},
		Y: []string{"y1", "y2"},
		A: []string{"a1", "A1", "a2", "zero"}, // "A1" falls back to a1, a duplicate
		B: []string{"b1", "b2", "gone"},
	}
	r, err := WEAT(context.Background(), e, test, WEATOptions{})
	if err != nil {
		t.Fatal(err)
	}
	x, a, b := r.OOV[0], r.OOV[2], r.OOV[3]
	if x.Requested != 4 || x.Found != 3 || !slices.Equal(x.Missing, []string{"missing1"}) || !slices.Equal(x.Lowercased, []string{"Adam→adam"}) {
		t.Errorf("X coverage %+v", x)
	}
	if a.Found != 2 || !slices.Equal(a.Duplicates, []string{"A1"}) || !slices.Equal(a.ZeroVector, []string{"zero"}) || len(a.Missing) != 0 {
		t.Errorf("A coverage %+v", a)
	}
	if !slices.Equal(b.Missing, []string{"gone"}) || b.Found != 2 {
		t.Errorf("B coverage %+v", b)
	}
	if math.IsNaN(r.EffectSize) || math.IsNaN(r.PValue) {
		t.Errorf("NaN: %+v", r)
	}

	// Exact case: "Adam" is missing.
	r, err = WEAT(context.Background(), e, test, WEATOptions{Lookup: Lookup{ExactCase: true}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.OOV[0].Missing, "Adam") || len(r.OOV[0].Lowercased) != 0 {
		t.Errorf("exact case X coverage %+v", r.OOV[0])
	}

	// A keeps 2 of 4 words: enough for a 0.5 floor (needs 2), not for 0.6
	// (needs 3); X (3 of 4) passes both.
	if _, err := WEAT(context.Background(), e, test, WEATOptions{Lookup: Lookup{MinFraction: 0.5}}); err != nil {
		t.Errorf("MinFraction 0.5: %v", err)
	}
	_, err = WEAT(context.Background(), e, test, WEATOptions{Lookup: Lookup{MinFraction: 0.6}})
	var ce *CoverageError
	if !errors.As(err, &ce) || !errors.Is(err, ErrTooFewWords) {
		t.Fatalf("MinFraction 0.6: %v", err)
	}
	if ce.Set != "A" || ce.Need != 3 || !strings.Contains(err.Error(), "zero vectors: zero") || !strings.Contains(err.Error(), "duplicates: A1") {
		t.Errorf("error %v (%+v)", err, ce)
	}

	// A set left with one word fails whatever the fraction.
	one := WEATTest{X: []string{"x1", "q", "r"}, Y: test.Y, A: test.A, B: test.B}
	_, err = WEAT(context.Background(), e, one, WEATOptions{})
	if !errors.As(err, &ce) || ce.Set != "X" || ce.Need != 2 || !strings.Contains(err.Error(), "q, r") {
		t.Errorf("one-word set: %v", err)
	}
	if _, err := WEAT(context.Background(), e, test, WEATOptions{Lookup: Lookup{MinFraction: 1.5}}); err == nil {
		t.Errorf("MinFraction 1.5 accepted")
	}
}

func TestCoverageNotes(t *testing.T) {
	c := Coverage{Missing: []string{"m"}, Lowercased: []string{"L→l"}, Duplicates: []string{"d"}, ZeroVector: []string{"z"}}
	var got []string
	for _, n := range c.Notes() {
		got = append(got, n.Kind+" "+strings.Join(n.Words, ","))
	}
	if want := []string{"missing m", "lower-cased L→l", "duplicates d", "zero vectors z"}; !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
	if n := (Coverage{Missing: []string{}}).Notes(); len(n) != 0 {
		t.Errorf("a full set has notes %v", n)
	}
	err := &CoverageError{Coverage: c, Need: 2}
	if want := "; missing: m; duplicates: d; zero vectors: z"; !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error %q does not end %q", err, want)
	}
}

func TestLoadWordLists(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pairs := write("pairs.json", `[["she", "he"]]`)
	words := write("words.json", `["nurse", "pilot"]`)
	prof := write("prof.json", `[["nurse", 0.1, 0.5], ["pilot", 0, -0.2]]`)
	l, err := LoadWordLists(ListFiles{Definitional: pairs, Neutral: prof})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Definitional, [][2]string{{"she", "he"}}) || !slices.Equal(l.Neutral, []string{"nurse", "pilot"}) {
		t.Errorf("read %v and %v", l.Definitional, l.Neutral)
	}
	if len(l.Equalize) != len(EqualizePairs()) || len(l.GenderSpecific) != len(GenderSpecific()) {
		t.Errorf("defaults not filled in: %d equalize pairs, %d gendered words", len(l.Equalize), len(l.GenderSpecific))
	}
	if l, err := LoadWordLists(ListFiles{Neutral: words}); err != nil || !slices.Equal(l.Neutral, []string{"nurse", "pilot"}) {
		t.Errorf("neutral word list: %v, %v", l.Neutral, err)
	}
	if _, err := LoadWordLists(ListFiles{Equalize: words}); !errors.Is(err, ErrFormat) {
		t.Errorf("a word list as pairs: %v", err)
	}
}

func TestWordLists(t *testing.T) {
	tests := WEATTests()
	if len(tests) != 10 {
		t.Fatalf("%d WEAT tests", len(tests))
	}
	sizes := [][4]int{{25, 25, 25, 25}, {25, 25, 25, 25}, {32, 32, 25, 25}, {16, 16, 25, 25}, {16, 16, 8, 8}, {8, 8, 8, 8}, {8, 8, 8, 8}, {8, 8, 8, 8}, {6, 6, 7, 7}, {8, 8, 8, 8}}
	for i, tt := range tests {
		if tt.ID != i+1 || [4]int{len(tt.X), len(tt.Y), len(tt.A), len(tt.B)} != sizes[i] {
			t.Errorf("test %d: id %d sizes %d %d %d %d", i+1, tt.ID, len(tt.X), len(tt.Y), len(tt.A), len(tt.B))
		}
	}
	if !slices.Contains(tests[9].B, "failure") || slices.Contains(tests[9].B, "failur") {
		t.Errorf("WEAT 10 B lacks the corrected word: %v", tests[9].B)
	}
	if d := tests[0].PublishedD["glove_840B_common_crawl"]; d != 1.5 {
		t.Errorf("WEAT 1 published d %v", d)
	}
	tests[0].X[0] = "changed"
	if WEATTests()[0].X[0] == "changed" {
		t.Errorf("WEATTests shares its slices")
	}
	if tt, err := WEATTestByID(6); err != nil || tt.XName != "Male names" && !strings.Contains(tt.Name, "6") {
		t.Errorf("WEATTestByID(6) = %v, %v", tt.Name, err)
	}
	if _, err := WEATTestByID(11); err == nil {
		t.Errorf("WEATTestByID(11) succeeded")
	}
	if n := len(DefinitionalPairs()); n != 10 {
		t.Errorf("%d definitional pairs", n)
	}
	if p := DefinitionalPairs()[0]; p != [2]string{"woman", "man"} {
		t.Errorf("first pair %v", p)
	}
	if n := len(EqualizePairs()); n != 52 {
		t.Errorf("%d equalize pairs", n)
	}
	if n := len(GenderSpecific()); n != 1441 {
		t.Errorf("%d gender-specific words", n)
	}
	if n := len(GenderSpecificSeed()); n != 218 {
		t.Errorf("%d seed words", n)
	}
	prof := Professions()
	if len(prof) != 320 || prof[0] != (Profession{"accountant", 0, 0.4}) {
		t.Errorf("%d professions, first %+v", len(prof), prof[0])
	}
}

func TestReadersReject(t *testing.T) {
	for _, c := range []struct {
		name string
		read func(string) error
		in   string
	}{
		{"pairs: triple", readPairs, `[["a","b","c"]]`},
		{"pairs: self", readPairs, `[["a","a"]]`},
		{"pairs: empty word", readPairs, `[["a",""]]`},
		{"pairs: trailing", readPairs, `[["a","b"]] [`},
		{"words: duplicate", readWords, `["a","b","a"]`},
		{"words: not strings", readWords, `[1,2]`},
		{"professions: short", readProf, `[["a", 0.1]]`},
		{"professions: range", readProf, `[["a", 0.1, 2]]`},
		{"professions: word", readProf, `[[1, 0.1, 0.2]]`},
		{"weat: empty", readWEAT, `[]`},
		{"weat: empty set", readWEAT, `[{"name":"t","X":["a"],"Y":["b"],"A":[],"B":["d"]}]`},
		{"weat: unknown field", readWEAT, `[{"name":"t","Z":1,"X":["a"],"Y":["b"],"A":["c"],"B":["d"]}]`},
		{"pairs: null", readPairs, `null`},
		{"words: null", readWords, `null`},
		{"professions: null", readProf, `null`},
		{"weat: null", readWEAT, `null`},
		{"pairs: object", readPairs, `{}`},
	} {
		if err := c.read(c.in); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func readPairs(s string) error { _, err := ReadPairs(strings.NewReader(s)); return err }
func readWords(s string) error { _, err := ReadWordList(strings.NewReader(s)); return err }
func readProf(s string) error  { _, err := ReadProfessions(strings.NewReader(s)); return err }
func readWEAT(s string) error  { _, err := ReadWEATTests(strings.NewReader(s)); return err }
