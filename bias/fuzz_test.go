package bias

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/internal/heapcheck"
)

// The fuzz targets feed the word-list readers arbitrary text, seeded with
// the embedded lists and broken ones, and check that every error is a
// *FormatError, that memory stays in proportion to the input, and that
// what is accepted is well formed and reads back the same.

// checkList runs read under a memory ceiling and checks its error.
func checkList(t *testing.T, s string, read func() error) error {
	t.Helper()
	var err error
	// encoding/json's buffers and the decoded values.
	if got := heapcheck.Allocated(func() { err = read() }); got > 1<<20+64*uint64(len(s)) {
		t.Fatalf("allocated %d bytes for %d bytes of input", got, len(s))
	}
	if err != nil {
		var fe *FormatError
		if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) {
			t.Fatalf("error %v is not a *FormatError", err)
		}
	}
	return err
}

func addSeeds(f *testing.F, files []string, broken ...string) {
	for _, name := range files {
		f.Add(string(mustData(name)))
	}
	for _, s := range append(broken, "", "null", "[]", "{}", "[", `"x"`, "[[]]", "[] []") {
		f.Add(s)
	}
}

func FuzzReadPairs(f *testing.F) {
	addSeeds(f, []string{"definitional_pairs.json", "equalize_pairs.json"}, `[["woman","man"],["she","he"]]`, `[["a"]]`, `[["a","a"]]`, `[["a",""]]`)
	f.Fuzz(func(t *testing.T, s string) {
		var p [][2]string
		if checkList(t, s, func() (err error) { p, err = ReadPairs(strings.NewReader(s)); return err }) != nil {
			return
		}
		if p == nil {
			t.Fatal("nil list without error")
		}
		for _, x := range p {
			if x[0] == "" || x[1] == "" || x[0] == x[1] {
				t.Fatalf("accepted bad pair %q", x)
			}
		}
	})
}

func FuzzReadWordList(f *testing.F) {
	addSeeds(f, []string{"gender_specific_seed.json"}, `["he","she"]`, `["a","a"]`, `[""]`, `[1]`)
	f.Fuzz(func(t *testing.T, s string) {
		var w []string
		if checkList(t, s, func() (err error) { w, err = ReadWordList(strings.NewReader(s)); return err }) != nil {
			return
		}
		if w == nil || slices.Contains(w, "") || firstDuplicate(w) >= 0 {
			t.Fatalf("accepted %q", w)
		}
	})
}

func FuzzReadProfessions(f *testing.F) {
	addSeeds(f, []string{"professions.json"}, `[["accountant", 0.0, 0.4]]`, `[["a", 2, 0]]`, `[["a", 0]]`, `[["a", 1e999, 0]]`)
	f.Fuzz(func(t *testing.T, s string) {
		var p []Profession
		if checkList(t, s, func() (err error) { p, err = ReadProfessions(strings.NewReader(s)); return err }) != nil {
			return
		}
		for _, x := range p {
			if x.Word == "" || !(math.Abs(x.Definitional) <= 1) || !(math.Abs(x.Stereotypical) <= 1) {
				t.Fatalf("accepted %+v", x)
			}
		}
	})
}

func FuzzReadWEATTests(f *testing.F) {
	addSeeds(f, []string{"weat.json"},
		`[{"name":"t","X":["a"],"Y":["b"],"A":["c"],"B":["d"]}]`,
		`[{"name":"t","X":["a"],"Y":["b"],"A":[],"B":["d"]}]`,
		`[{"name":"t","X":["a","a"],"Y":["b"],"A":["c"],"B":["d"]}]`)
	f.Fuzz(func(t *testing.T, s string) {
		var tests []WEATTest
		if checkList(t, s, func() (err error) { tests, err = ReadWEATTests(strings.NewReader(s)); return err }) != nil {
			return
		}
		if len(tests) == 0 {
			t.Fatal("no tests without error")
		}
		for _, tt := range tests {
			for _, set := range [][]string{tt.X, tt.Y, tt.A, tt.B} {
				if len(set) == 0 || slices.Contains(set, "") || firstDuplicate(set) >= 0 {
					t.Fatalf("accepted a bad set in %+v", tt)
				}
			}
		}
	})
}
