package analogy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/internal/heapcheck"
)

// The analogy sets in the forms they are distributed in, each a small file
// written here, read by LoadQuestions.
func TestLoadQuestionFormats(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	type sec struct {
		name string
		syn  bool
		n    int
	}
	for _, c := range []struct {
		file, data string
		want       []sec
	}{
		// The MSR set as vecto distributes it: pandas' row number first.
		{"msr.csv", ",type,word1,word2,word3,target\n0,JJ_JJR,good,better,rough,rougher\n1,NN_NNS,city,cities,year,years\n2,JJ_JJR,big,bigger,small,smaller\n",
			[]sec{{"JJ_JJR", true, 2}, {"NN_NNS", true, 1}}},
		// Columns in another order, quoted, CRLF, a byte-order mark, no type.
		{"other.csv", "\ufefftarget,word1,\"word2\",word3\r\nqueen,man,king,woman\r\n", []sec{{"csv", false, 1}}},
		// The MSR set in questions-words form: one ": all" header.
		{"msr-google.txt", ": all\ngood better rough rougher\ncity cities year years\nbig bigger small smaller\nsee saw take took\n",
			[]sec{{"all", true, 4}}},
		// An unknown section name of meaning stays semantic.
		{"capitals.txt", ": countries\nathens greece paris france\nrome italy madrid spain\n", []sec{{"countries", false, 2}}},
		// One BATS relation file, syntactic by its name (I = inflection).
		{"I01 [noun - plural_reg].txt", "album\talbums\ncar\tcars\nhouse houses\n", []sec{{"I01 [noun - plural_reg]", true, 6}}},
		{"E01 [country - capital].txt", "france\tparis\ngreece\tathens/athína\n", []sec{{"E01 [country - capital]", false, 2}}},
		// MSR one question a line, after a comment.
		{"msr.txt", "# MSR\ngood better rough rougher\n", []sec{{"msr", true, 1}}},
	} {
		secs, err := LoadQuestions(write(c.file, c.data))
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if len(secs) != len(c.want) {
			t.Errorf("%s: %d sections, want %d: %+v", c.file, len(secs), len(c.want), secs)
			continue
		}
		for i, w := range c.want {
			if s := secs[i]; s.Name != w.name || s.Syntactic != w.syn || len(s.Questions) != w.n {
				t.Errorf("%s: section %d is %q syntactic=%v with %d questions, want %+v", c.file, i, s.Name, s.Syntactic, len(s.Questions), w)
			}
		}
	}
	q, err := LoadQuestions(filepath.Join(dir, "msr.csv"))
	if err == nil && (q[0].Questions[1].String() != "big:bigger::small:smaller" || q[0].Questions[1].Line != 4) {
		t.Errorf("CSV question %v on line %d", q[0].Questions[1], q[0].Questions[1].Line)
	}

	for _, c := range []struct{ file, data, want string }{
		{"three.txt", "man king woman\n", "fits none of Google"},
		{"bad.csv", ",type,word1,word2,word3\n0,x,a,b,c\n", `without a "target" column`},
		{"short.csv", "word1,word2,word3,target\na,b,c\n", "short.csv:2"},
		{"spaces.csv", "word1,word2,word3,target\na,b b,c,d\n", `word2 "b b" is not one word`},
		{"one-pair.txt", "france\tparis\n", "no analogy questions"},
		{"empty.txt", "\n# nothing\n", "no analogy questions"},
	} {
		_, err := LoadQuestions(write(c.file, c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error mentioning %q", c.file, err, c.want)
		}
		if err != nil && !errors.Is(err, ErrFormat) && !errors.Is(err, ErrNoQuestions) {
			t.Errorf("%s: %v is neither ErrFormat nor ErrNoQuestions", c.file, err)
		}
	}
	_, err = LoadQuestions(filepath.Join(dir, "three.txt"))
	for _, tried := range []string{"Google", "MSR", "CSV", "BATS"} {
		if err == nil || !strings.Contains(err.Error(), tried) {
			t.Errorf("the error for an unknown format does not say %s was tried: %v", tried, err)
		}
	}
}

func TestIsSyntactic(t *testing.T) {
	q := func(a, b, c, d string) Question { return Question{A: a, B: b, C: c, Answers: []string{d}} }
	for _, c := range []struct {
		name string
		qs   []Question
		want bool
	}{
		{"gram3-comparative", nil, true},
		{"VBZ_VBD", nil, true},
		{"family", []Question{q("walk", "walked", "talk", "talked")}, false},
		{"all", []Question{q("walk", "walked", "talk", "talked"), q("go", "went", "see", "saw"), q("go", "went", "do", "did")}, false}, // 2 of 6 pairs
		{"all", []Question{q("walk", "walked", "talk", "talked"), q("go", "went", "see", "saw"), q("big", "bigger", "cold", "colder")}, true},
		{"x", []Question{q("king", "queen", "man", "woman"), q("he", "she", "his", "her")}, false},
		{"x", []Question{q("Ça", "çava", "ÉTÉ", "étés")}, true},
	} {
		if got := IsSyntactic(c.name, c.qs); got != c.want {
			t.Errorf("IsSyntactic(%q, %v) = %v", c.name, c.qs, got)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(",type,word1,word2,word3,target\n0,JJ_JJR,good,better,rough,rougher\n"))
	f.Add([]byte("target,word1,word2,word3\r\n\"q\",a,b,c\r\n"))
	f.Add([]byte("word1,word2,word3,target\na,b\n"))
	f.Add([]byte("type,word1,word2,word3,target\n\"unterminated,a,b,c,d\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var secs []Section
		var err error
		got := heapcheck.Allocated(func() { secs, err = ReadCSV(bytes.NewReader(data)) })
		if got > 1<<20+64*uint64(len(data)) {
			t.Fatalf("allocated %d bytes for %d bytes of input", got, len(data))
		}
		var fe *FormatError
		if err != nil && !errors.Is(err, ErrNoQuestions) && (!errors.Is(err, ErrFormat) || !errors.As(err, &fe)) {
			t.Fatalf("error %v is neither ErrNoQuestions nor a *FormatError", err)
		}
		if err == nil {
			checkSections(t, secs)
		}
	})
}

func FuzzReadBATSRelation(f *testing.F) {
	f.Add([]byte("album\talbums\ncar\tcars/autos\n\nhouse houses\n"))
	f.Add([]byte("a\t/\n"))
	f.Add([]byte("a b c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var sec Section
		var err error
		got := heapcheck.Allocated(func() { sec, err = ReadBATSRelation(bytes.NewReader(data), "I01.txt") })
		// Questions are pairs of lines: quadratic in the lines, bounded by
		// the line count, not by any count the input claims.
		lines := uint64(bytes.Count(data, []byte("\n")) + 1)
		if got > 1<<20+64*uint64(len(data))+256*lines*lines {
			t.Fatalf("allocated %d bytes for %d bytes of input", got, len(data))
		}
		var fe *FormatError
		if err != nil && (!errors.Is(err, ErrFormat) || !errors.As(err, &fe)) {
			t.Fatalf("error %v is not a *FormatError", err)
		}
		if err == nil && len(sec.Questions) > 0 {
			checkSections(t, []Section{sec})
		}
	})
}
