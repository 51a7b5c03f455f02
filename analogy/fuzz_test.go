package analogy

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

func checkSections(t *testing.T, secs []Section) {
	t.Helper()
	if countQuestions(secs) == 0 {
		t.Fatal("success without questions")
	}
	ok := func(w string) bool {
		return w != "" && utf8.ValidString(w) && !strings.ContainsAny(w, " \t\r\n")
	}
	for _, s := range secs {
		if s.Name == "" {
			t.Fatal("section without a name")
		}
		for _, q := range s.Questions {
			if !ok(q.A) || !ok(q.B) || !ok(q.C) || len(q.Answers) == 0 {
				t.Fatalf("bad question %+v", q)
			}
			for _, a := range q.Answers {
				if !ok(a) && !strings.ContainsAny(a, " ") {
					t.Fatalf("bad answer %q", a)
				}
			}
		}
	}
}

func FuzzReadGoogle(f *testing.F) {
	f.Add([]byte(": capital\nAthens Greece Baghdad Iraq\n: gram1\na b c d\n"))
	f.Add([]byte(": s\na b c\n"))
	f.Add([]byte("a b c d\n"))
	f.Add([]byte(":\n\n\r\n: x\n\ta\tb\tc\td\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		secs, err := ReadGoogle(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkSections(t, secs)
		for _, s := range secs {
			for _, q := range s.Questions {
				if q.Line < 2 {
					t.Fatalf("question on line %d", q.Line)
				}
			}
		}
	})
}

func FuzzReadMSR(f *testing.F) {
	f.Add([]byte("good better bad worse\n# c\n\nyear years law laws\n"))
	f.Add([]byte("a b c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		secs, err := ReadMSR(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkSections(t, secs)
	})
}

func FuzzReadMSRSplit(f *testing.F) {
	f.Add([]byte("good better bad\nyear years law\n"), []byte("JJ_JJR worse\nNN_NNS laws\n"))
	f.Add([]byte("a b c\n"), []byte("T d e\n"))
	f.Fuzz(func(t *testing.T, q, a []byte) {
		secs, err := ReadMSRSplit(bytes.NewReader(q), bytes.NewReader(a))
		if err != nil {
			return
		}
		checkSections(t, secs)
	})
}

func FuzzReadBATS(f *testing.F) {
	f.Add([]byte("france\tparis\ngreece\tathens/athina\n"), []byte("album albums\ncar\tcars\n"))
	f.Add([]byte("a\t/\n"), []byte("x y z\n"))
	f.Fuzz(func(t *testing.T, e, i []byte) {
		fsys := fstest.MapFS{"E01 [x].txt": {Data: e}, "sub/I01.txt": {Data: i}}
		secs, err := ReadBATS(fsys)
		if err != nil {
			return
		}
		checkSections(t, secs)
		for _, s := range secs {
			for _, q := range s.Questions {
				if q.A == q.C {
					t.Fatalf("question %v asks about its own pair", q)
				}
			}
		}
	})
}

func FuzzReadPairs(f *testing.F) {
	f.Add([]byte("# c\nlove\tsex\t6.77\ntiger\tcat\t7.35\n"))
	f.Add([]byte("word1\tword2\tPOS\tSimLex999\nold\tnew\tA\t1.58\n"))
	f.Add([]byte("sun-n sunlight-n 50.000000\n"))
	f.Add([]byte("a b 1e400\nc d -0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pairs, err := ReadPairs(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(pairs) == 0 {
			t.Fatal("success without pairs")
		}
		for _, p := range pairs {
			if p.A == "" || p.B == "" || math.IsNaN(p.Score) || math.IsInf(p.Score, 0) || p.Line < 1 {
				t.Fatalf("bad pair %+v", p)
			}
		}
	})
}
