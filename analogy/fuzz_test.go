package analogy

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/wordspace/wordspace/internal/heapcheck"
)

// The fuzz targets feed every benchmark reader arbitrary bytes, seeded
// with real and broken files of its format, and check that bad input ends
// in a *FormatError (or ErrNoQuestions/ErrNoPairs for input without any),
// that memory stays in proportion to the input, and that what is accepted
// is well formed.

// checkRead runs read under a memory ceiling of slack plus perByte bytes
// per input byte (and perByte2 per squared input byte, for BATS, whose
// questions grow with the square of its pairs) and checks its error.
func checkRead(t *testing.T, n int, perByte, perByte2 uint64, empty error, read func() error) error {
	t.Helper()
	var err error
	got := heapcheck.Allocated(func() { err = read() })
	const slack = 4 << 20 // the scanner's buffer (lines up to 1 MiB) and bookkeeping
	if limit := slack + perByte*uint64(n) + perByte2*uint64(n)*uint64(n); got > limit {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, n)
	}
	if err != nil {
		var fe *FormatError
		if !errors.Is(err, empty) && (!errors.Is(err, ErrFormat) || !errors.As(err, &fe) || fe.Line < 0) {
			t.Fatalf("error %v is neither a *FormatError nor %v", err, empty)
		}
	}
	return err
}

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

// googleSeed is the start of questions-words.txt, in its layout.
const googleSeed = `: capital-common-countries
Athens Greece Baghdad Iraq
Athens Greece Bangkok Thailand
: gram3-comparative
bad worse big bigger
`

func FuzzReadGoogle(f *testing.F) {
	f.Add([]byte(googleSeed))
	f.Add([]byte(strings.ReplaceAll(googleSeed, "\n", "\r\n")))
	f.Add([]byte(": s\na b c\n"))
	f.Add([]byte("a b c d\n"))
	f.Add([]byte(":\n\n\r\n: x\n\ta\tb\tc\td\t\n"))
	f.Add([]byte(": x\na b c \xff\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var secs []Section
		err := checkRead(t, len(data), 64, 0, ErrNoQuestions, func() (err error) {
			secs, err = ReadGoogle(bytes.NewReader(data))
			return err
		})
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

// FuzzReadQuestionsFile exercises the choice LoadQuestions makes for a
// file between the Google, CSV, one-file MSR and BATS relation formats.
func FuzzReadQuestionsFile(f *testing.F) {
	f.Add([]byte(googleSeed))
	f.Add([]byte("\n\n  \t: x\na b c d\n"))
	f.Add([]byte("good better bad worse\n"))
	f.Add([]byte(strings.Repeat(" ", 600) + ": late header\na b c d\n"))
	f.Add([]byte("# comment\n,type,word1,word2,word3,target\n0,JJ_JJR,good,better,rough,rougher\n"))
	f.Add([]byte("album\talbums\ncar\tcars/autos\n"))
	f.Add([]byte("a b c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var secs []Section
		var err error
		got := heapcheck.Allocated(func() { secs, err = readQuestionsFile(bytes.NewReader(data), "q.txt") })
		// A BATS relation pairs every line with every other: quadratic in
		// the lines, bounded by the line count, as in FuzzReadBATSRelation.
		lines := uint64(bytes.Count(data, []byte("\n")) + 1)
		if limit := 4<<20 + 64*uint64(len(data)) + 256*lines*lines; got > limit {
			t.Fatalf("allocated %d bytes for %d bytes of input", got, len(data))
		}
		var fe *FormatError
		if err != nil && !errors.Is(err, ErrNoQuestions) && (!errors.Is(err, ErrFormat) || !errors.As(err, &fe) || fe.Line < 0) {
			t.Fatalf("error %v is neither a *FormatError nor %v", err, ErrNoQuestions)
		}
		if err == nil {
			checkSections(t, secs)
		}
	})
}

func FuzzReadMSR(f *testing.F) {
	f.Add([]byte("good better bad worse\n# c\n\nyear years law laws\n"))
	f.Add([]byte("a b c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var secs []Section
		err := checkRead(t, len(data), 64, 0, ErrNoQuestions, func() (err error) {
			secs, err = ReadMSR(bytes.NewReader(data))
			return err
		})
		if err == nil {
			checkSections(t, secs)
		}
	})
}

func FuzzReadMSRSplit(f *testing.F) {
	f.Add([]byte("good better bad\nyear years law\n"), []byte("JJ_JJR worse\nNN_NNS laws\n"))
	f.Add([]byte("a b c\n"), []byte("T d e\n"))
	f.Add([]byte("a b c\nd e f\n"), []byte("T g\n"))
	f.Fuzz(func(t *testing.T, q, a []byte) {
		var secs []Section
		err := checkRead(t, len(q)+len(a), 64, 0, ErrNoQuestions, func() (err error) {
			secs, err = ReadMSRSplit(bytes.NewReader(q), bytes.NewReader(a))
			return err
		})
		if err == nil {
			checkSections(t, secs)
		}
	})
}

func FuzzReadBATS(f *testing.F) {
	f.Add([]byte("france\tparis\ngreece\tathens/athina\n"), []byte("album albums\ncar\tcars\n"))
	f.Add([]byte("a\t/\n"), []byte("x y z\n"))
	f.Add([]byte(strings.Repeat("w\tv\n", maxBATSPairs+1)), []byte("a b\nc d\n"))
	f.Fuzz(func(t *testing.T, e, i []byte) {
		fsys := fstest.MapFS{"E01 [x].txt": {Data: e}, "sub/I01.txt": {Data: i}, ".hidden/x.txt": {Data: i}}
		var secs []Section
		// A question is about 100 bytes; n pairs of at least 4 bytes give
		// n(n-1) of them.
		err := checkRead(t, len(e)+len(i), 64, 8, ErrNoQuestions, func() (err error) {
			secs, err = ReadBATS(fsys)
			return err
		})
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
	f.Add([]byte("Word 1\tWord 2\tHuman (mean)\nlove\tsex\t6.77\n"))
	f.Add([]byte("a b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var pairs []Pair
		err := checkRead(t, len(data), 64, 0, ErrNoPairs, func() (err error) {
			pairs, err = ReadPairs(bytes.NewReader(data))
			return err
		})
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
