package analogy

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/testenv"
)

func TestReadPairs(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []Pair
	}{
		{"wordsim", "# Word 1\tWord 2\tHuman (mean)\nlove\tsex\t6.77\ntiger\tcat\t7.35\n",
			[]Pair{{"love", "sex", 6.77, 2}, {"tiger", "cat", 7.35, 3}}},
		{"simlex", "word1\tword2\tPOS\tSimLex999\tconc(w1)\nold\tnew\tA\t1.58\t2.72\nsmart\tintelligent\tA\t9.2\t1.75\n",
			[]Pair{{"old", "new", 1.58, 2}, {"smart", "intelligent", 9.2, 3}}},
		{"men-lemma", "sun-n sunlight-n 50.000000\nautomobile-n car-n 50.000000\nrun-v walk-v 31\n",
			[]Pair{{"sun", "sunlight", 50, 1}, {"automobile", "car", 50, 2}, {"run", "walk", 31, 3}}},
		{"men-natural", "sun sunlight 50\nx-ray bone-n 12\n",
			[]Pair{{"sun", "sunlight", 50, 1}, {"x-ray", "bone-n", 12, 2}}},
	} {
		got, err := ReadPairs(strings.NewReader(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: pair %d = %+v, want %+v", c.name, i, got[i], c.want[i])
			}
		}
	}
	for _, c := range []struct{ in, want string }{
		{"a\tb\t1\nc\td\n", "line 2: want \"word1 word2 score\", got 2 fields"},
		{"a b 1\nc d e\n", "line 2: no numeric score"},
		{"a b 1\nc d NaN\n", "line 2: no numeric score"},
		{"# only comments\n", "no usable word pairs"},
		{"a\t\t3\nb\tc\t1\n", "line 1: empty word"},
	} {
		_, err := ReadPairs(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

func TestEvaluatePairs(t *testing.T) {
	v, _ := embed.NewVocab([]string{"cat", "Dog", "dog", "car", "zero"}, nil)
	emb, err := embed.New(v, 2, []float32{1, 0, 0.8, 0.6, -1, 0, 0, 1, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	pairs := []Pair{{"cat", "dog", 9, 1}, {"cat", "car", 2, 2}, {"dog", "car", 4, 3}, {"cat", "mouse", 5, 4}}
	got, err := EvaluatePairs(emb, pairs, PairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// "dog" is looked up as DOG, standing for "Dog" (0.8, 0.6): cosines
	// 0.8, 0, 0.6 against gold 9, 2, 4.
	if got.Used != 3 || got.OOV != 1 || got.Total != 4 || math.Abs(got.Spearman-1) > 1e-12 {
		t.Errorf("got %+v", got)
	}
	if _, err := EvaluatePairs(emb, pairs, PairOptions{CaseSensitive: true}); err != nil {
		t.Error(err)
	}
	d, err := EvaluatePairs(emb, pairs, PairOptions{OOVAsWrong: true})
	if err != nil || d.Used != 4 || d.OOV != 1 {
		t.Errorf("dummy: %+v %v", d, err)
	}
	if _, err := EvaluatePairs(emb, pairs[3:], PairOptions{}); !errors.Is(err, ErrNoPairs) {
		t.Errorf("all OOV: %v", err)
	}
	if _, err := EvaluatePairs(emb, []Pair{{"cat", "dog", 1, 1}, {"cat", "car", 1, 2}}, PairOptions{}); !errors.Is(err, ErrUndefined) {
		t.Errorf("constant gold: %v", err)
	}
	if _, err := EvaluatePairs(emb, pairs, PairOptions{Restrict: 1}); !errors.Is(err, ErrNoPairs) {
		t.Errorf("restrict 1: %v", err)
	}
}

func TestWordSimFile(t *testing.T) {
	path := testenv.SharedFile(t, "data/eval/wordsim353.tsv")
	pairs, err := LoadPairs(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 353 || pairs[0].Line != 3 {
		t.Errorf("%d pairs, first on line %d", len(pairs), pairs[0].Line)
	}
}
