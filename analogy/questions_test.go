package analogy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wordspace/wordspace/internal/testenv"
)

func TestReadGoogle(t *testing.T) {
	in := ": capital-common-countries\nAthens Greece Baghdad Iraq\n\n  Athens\tGreece Bangkok Thailand  \r\n: empty\n: gram1-adjective-to-adverb\namazing amazingly apparent apparently\n"
	secs, err := ReadGoogle(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 3 {
		t.Fatalf("%d sections", len(secs))
	}
	want := []struct {
		name string
		syn  bool
		n    int
	}{{"capital-common-countries", false, 2}, {"empty", false, 0}, {"gram1-adjective-to-adverb", true, 1}}
	for i, w := range want {
		if s := secs[i]; s.Name != w.name || s.Syntactic != w.syn || len(s.Questions) != w.n {
			t.Errorf("section %d: %q syntactic=%v %d questions, want %+v", i, s.Name, s.Syntactic, len(s.Questions), w)
		}
	}
	q := secs[0].Questions[1]
	if q.A != "Athens" || q.B != "Greece" || q.C != "Bangkok" || len(q.Answers) != 1 || q.Answers[0] != "Thailand" || q.Line != 4 {
		t.Errorf("question %+v", q)
	}
	if q.String() != "Athens:Greece::Bangkok:Thailand" {
		t.Errorf("String() = %q", q.String())
	}
}

func TestReadGoogleErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Athens Greece Baghdad Iraq\n", "line 1: question before the first"},
		{": s\nAthens Greece Baghdad\n", "line 2: want 4 words"},
		{": s\na b c d\na b c d e\n", "line 3: want 4 words \"a b c d\", got 5"},
		{": \na b c d\n", "line 1: section header without a name"},
		{": s\na b \xff d\n", "line 2: not valid UTF-8"},
		{": s\n: t\n", "no analogy questions"},
		{"", "no analogy questions"},
		{": s\n" + strings.Repeat("x", maxLine+10) + "\n", "line 2: line longer than"},
	} {
		_, err := ReadGoogle(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.40q: error %v, want %q", c.in, err, c.want)
		}
		if err != nil && !errors.Is(err, ErrFormat) && !errors.Is(err, ErrNoQuestions) {
			t.Errorf("%.40q: %v is neither ErrFormat nor ErrNoQuestions", c.in, err)
		}
		var fe *FormatError
		if errors.Is(err, ErrFormat) && (!errors.As(err, &fe) || fe.Line == 0) {
			t.Errorf("%.40q: %v does not name its line", c.in, err)
		}
	}
}

func TestReadMSR(t *testing.T) {
	secs, err := ReadMSR(strings.NewReader("# comment\ngood better bad worse\n\nyear years law laws\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 1 || secs[0].Name != "msr" || !secs[0].Syntactic || len(secs[0].Questions) != 2 || secs[0].Questions[1].Line != 4 {
		t.Errorf("got %+v", secs)
	}
	if _, err := ReadMSR(strings.NewReader("good better bad\n")); err == nil || !strings.Contains(err.Error(), "line 1: want 4 words") {
		t.Errorf("short line: %v", err)
	}

	secs, err = ReadMSRSplit(strings.NewReader("good better bad\nyear years law\nbig bigger small\n"),
		strings.NewReader("JJ_JJR worse\nNN_NNS laws\nJJ_JJR smaller\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 2 || secs[0].Name != "JJ_JJR" || len(secs[0].Questions) != 2 || secs[1].Questions[0].Answers[0] != "laws" {
		t.Errorf("split: %+v", secs)
	}
	if _, err := ReadMSRSplit(strings.NewReader("a b c\na b c\n"), strings.NewReader("T d\n")); err == nil || !strings.Contains(err.Error(), "no line in answers") {
		t.Errorf("missing answer: %v", err)
	}
	if _, err := ReadMSRSplit(strings.NewReader("a b c\n"), strings.NewReader("T d\nT e\n")); err == nil || !strings.Contains(err.Error(), "1 questions in questions but 2 answers") {
		t.Errorf("extra answer: %v", err)
	}
	if _, err := ReadMSRSplit(strings.NewReader("a b c\n"), strings.NewReader("d\n")); err == nil || !strings.Contains(err.Error(), "answers:1") {
		t.Errorf("bad answer line: %v", err)
	}
}

func TestReadBATS(t *testing.T) {
	fsys := fstest.MapFS{
		"1_Inflectional_morphology/I01 [noun - plural_reg].txt": {Data: []byte("album\talbums\ncar\tcars\n\nhouse houses\n")},
		"3_Encyclopedic_semantics/E01 [country - capital].txt":  {Data: []byte("france\tparis\ngreece\tathens\nperu\tlima/limah\n")},
		"README.txt":    {Data: []byte("not a relation")},
		".hidden/x.txt": {Data: []byte("garbage")},
		"metadata.json": {Data: []byte("{}")},
	}
	secs, err := ReadBATS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 2 {
		t.Fatalf("%d sections: %+v", len(secs), secs)
	}
	if secs[0].Name != "I01 [noun - plural_reg]" || !secs[0].Syntactic || len(secs[0].Questions) != 6 {
		t.Errorf("first section %q syntactic=%v, %d questions", secs[0].Name, secs[0].Syntactic, len(secs[0].Questions))
	}
	if secs[1].Syntactic || len(secs[1].Questions) != 6 {
		t.Errorf("second section %+v", secs[1])
	}
	var found bool
	for _, q := range secs[1].Questions {
		if q.A == "france" && q.B == "paris" && q.C == "peru" {
			found = len(q.Answers) == 2 && q.Answers[1] == "limah"
		}
		if q.A == "peru" && q.B != "lima" {
			t.Errorf("question %v: b should be the first answer", q)
		}
	}
	if !found {
		t.Errorf("no france:paris::peru:lima/limah question in %v", secs[1].Questions)
	}

	bad := fstest.MapFS{"E01.txt": {Data: []byte("france\tparis\ngreece athens extra\n")}}
	if _, err := ReadBATS(bad); err == nil || !strings.Contains(err.Error(), "E01.txt:2") {
		t.Errorf("malformed line: %v", err)
	}
	if _, err := ReadBATS(fstest.MapFS{"E01.txt": {Data: []byte("france\t/\n")}}); err == nil || !strings.Contains(err.Error(), "no answer") {
		t.Errorf("empty answers: %v", err)
	}
	if _, err := ReadBATS(fstest.MapFS{"E01.txt": {Data: []byte("france\tparis\n")}}); !errors.Is(err, ErrNoQuestions) {
		t.Errorf("one pair: %v", err)
	}
	if _, err := ReadBATS(fstest.MapFS{}); !errors.Is(err, ErrNoQuestions) {
		t.Errorf("empty directory: %v", err)
	}
}

func TestLoadQuestions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	google := write("q.txt", "\n: family\nboy girl brother sister\n")
	msr := write("msr.txt", "good better bad worse\n")
	split := write("w.questions", "good better bad\n")
	write("w.answers", "JJ_JJR worse\n")
	write("bats/E01.txt", "france\tparis\ngreece\tathens\n")
	for path, want := range map[string]string{google: "family", msr: "msr", split: "JJ_JJR", filepath.Join(dir, "bats"): "E01"} {
		secs, err := LoadQuestions(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if secs[0].Name != want {
			t.Errorf("%s: first section %q, want %q", path, secs[0].Name, want)
		}
	}
	bad := write("bad.txt", ": s\na b c\n")
	if _, err := LoadQuestions(bad); err == nil || !strings.Contains(err.Error(), "bad.txt:2") {
		t.Errorf("error should name the file and line: %v", err)
	}
	if _, err := LoadQuestions(filepath.Join(dir, "absent")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestGoogleFile(t *testing.T) {
	path := testenv.SharedFile(t, "data/eval/questions-words.txt")
	secs, err := LoadQuestions(path)
	if err != nil {
		t.Fatal(err)
	}
	syn, sem := 0, 0
	for _, s := range secs {
		// Without its name, each section's questions tell its kind.
		if IsSyntactic("", s.Questions) != s.Syntactic {
			t.Errorf("section %s: its questions alone say syntactic=%v", s.Name, !s.Syntactic)
		}
		if s.Syntactic {
			syn += len(s.Questions)
		} else {
			sem += len(s.Questions)
		}
	}
	if len(secs) != 14 || sem != 8869 || syn != 10675 {
		t.Errorf("%d sections, %d semantic and %d syntactic questions; want 14, 8869, 10675", len(secs), sem, syn)
	}
}

// TestBATSPairLimit checks that a relation file too large for its
// questions (the square of its pairs) to fit in memory is an error.
func TestBATSPairLimit(t *testing.T) {
	var b strings.Builder
	for i := range maxBATSPairs + 1 {
		fmt.Fprintf(&b, "w%d\tv%d\n", i, i)
	}
	_, err := ReadBATS(fstest.MapFS{"E01.txt": {Data: []byte(b.String())}})
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Line != maxBATSPairs+1 {
		t.Errorf("%d pairs: %v, want a *FormatError at line %d", maxBATSPairs+1, err, maxBATSPairs+1)
	}
}
