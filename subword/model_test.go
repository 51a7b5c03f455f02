package subword

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

// testModel returns a small model with random weights: dim 8, n-grams of
// 3..5 characters in 31 buckets.
func testModel(t testing.TB, args Args, words ...string) *Model {
	t.Helper()
	if len(words) == 0 {
		words = []string{"</s>", "cat", "cats", "dog", "naïve", "日本"}
	}
	counts := make([]int64, len(words))
	for i := range counts {
		counts[i] = int64(100 - i)
	}
	vocab, err := embed.NewVocab(words, counts)
	if err != nil {
		t.Fatal(err)
	}
	if args.Dim == 0 {
		args.Dim = 8
	}
	r := rand.New(rand.NewPCG(1, 2))
	in := make([]float32, (len(words)+args.Bucket)*args.Dim)
	for i := range in {
		in[i] = r.Float32() - 0.5
	}
	out := make([]float32, len(words)*args.Dim)
	for i := range out {
		out[i] = r.Float32() - 0.5
	}
	m, err := New(vocab, args, in, out, 1234)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var ngramArgs = Args{MinN: 3, MaxN: 5, Bucket: 31}

func TestVector(t *testing.T) {
	m := testModel(t, ngramArgs)
	d := m.Dim()
	row := func(i int32) []float32 { return m.in[int(i)*d : int(i+1)*d] }
	for _, c := range []struct {
		word  string
		known bool
	}{{"cat", true}, {"cats", true}, {"catz", false}, {"naïf", false}, {"</s>", true}} {
		v, err := m.Vector(c.word)
		if err != nil {
			t.Fatalf("%s: %v", c.word, err)
		}
		if m.Known(c.word) != c.known {
			t.Errorf("Known(%q) = %v", c.word, !c.known)
		}
		// The mean of the word's row (if known) and its n-grams' rows,
		// computed here in float64 from the definition.
		var rows []int32
		if i, ok := m.Vocab().Index(c.word); ok {
			rows = append(rows, int32(i))
		}
		for _, g := range Ngrams(c.word, 3, 5) {
			rows = append(rows, int32(m.Vocab().Len())+int32(Hash(g)%31))
		}
		if c.word == "</s>" && len(rows) != 1 {
			t.Fatalf("EOS has %d rows, want its own only", len(rows))
		}
		if got := m.AppendRows(nil, c.word); !slices.Equal(got, rows) {
			t.Errorf("AppendRows(%q) = %v, want %v", c.word, got, rows)
		}
		for k := range d {
			var s float64
			for _, r := range rows {
				s += float64(row(r)[k])
			}
			if want := s / float64(len(rows)); math.Abs(float64(v[k])-want) > 1e-6 {
				t.Errorf("Vector(%q)[%d] = %v, want %v", c.word, k, v[k], want)
			}
		}
	}
	// A word with no rows at all is unknown, as in a model without subwords.
	plain := testModel(t, Args{})
	if _, err := plain.Vector("catz"); !errors.Is(err, embed.ErrUnknownWord) {
		t.Errorf("no n-grams: got %v, want ErrUnknownWord", err)
	}
	if v, err := plain.Vector("cat"); err != nil || !slices.Equal(v, plain.in[plain.Dim():2*plain.Dim()]) {
		t.Errorf("no n-grams: the vector of a known word is not its row: %v, %v", v, err)
	}
}

func TestEmbeddings(t *testing.T) {
	m := testModel(t, ngramArgs)
	e, err := m.Embeddings()
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != m.Vocab().Len() || e.Dim() != m.Dim() {
		t.Fatalf("%d×%d embeddings", e.Len(), e.Dim())
	}
	for i, w := range m.Vocab().Words() {
		v, _ := m.Vector(w)
		if !slices.Equal(e.Row(i), v) {
			t.Errorf("row %d (%s) = %v, Vector gives %v", i, w, e.Row(i), v)
		}
	}
	if e2, _ := m.Embeddings(); e2 != e {
		t.Error("Embeddings is not computed once")
	}
}

func TestMostSimilar(t *testing.T) {
	m := testModel(t, ngramArgs)
	e, _ := m.Embeddings()
	// All words known: exactly embed's answer.
	got, err := m.MostSimilar([]string{"cat"}, nil, 3, embed.QueryOptions{})
	want, _ := e.MostSimilar([]string{"cat"}, nil, 3, embed.QueryOptions{})
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("known word: %v, %v; want %v", got, err, want)
	}
	// An unseen word: the nearest vectors to its n-gram vector, by brute force.
	v, _ := m.Vector("catz")
	got, err = m.MostSimilar([]string{"catz"}, nil, 2, embed.QueryOptions{Exclude: []string{"dog"}})
	if err != nil {
		t.Fatal(err)
	}
	var best []embed.Neighbor
	for i, w := range m.Vocab().Words() {
		if w != "dog" {
			best = append(best, embed.Neighbor{Word: w, Index: i, Score: float32(embed.Cosine(v, e.Row(i)))})
		}
	}
	slices.SortFunc(best, func(a, b embed.Neighbor) int { return -cmpFloat(a.Score, b.Score) })
	if len(got) != 2 {
		t.Fatalf("got %d neighbours", len(got))
	}
	for i := range got {
		if got[i].Word != best[i].Word || math.Abs(float64(got[i].Score-best[i].Score)) > 1e-5 {
			t.Errorf("neighbour %d: %+v, want %+v", i, got[i], best[i])
		}
	}
	if _, err := m.MostSimilar(nil, nil, 2, embed.QueryOptions{}); !errors.Is(err, embed.ErrEmptyQuery) {
		t.Errorf("empty query: %v", err)
	}
}

func cmpFloat(a, b float32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestNew(t *testing.T) {
	vocab, _ := embed.NewVocab([]string{"a", "b"}, nil)
	for _, c := range []struct {
		name    string
		args    Args
		in, out int
		want    string
	}{
		{"no buckets for n-grams", Args{Dim: 2, MinN: 3, MaxN: 6}, 4, 4, "n-grams need buckets"},
		{"input size", Args{Dim: 2, Bucket: 3}, 4, 4, "input matrix has 4 values"},
		{"output size", Args{Dim: 2}, 4, 3, "not a multiple"},
		{"dimension", Args{}, 0, 0, "dimension 0"},
		{"loss", Args{Dim: 2, Loss: 9}, 4, 4, "unknown loss"},
	} {
		_, err := New(vocab, c.args, make([]float32, c.in), make([]float32, c.out), 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error about %q", c.name, err, c.want)
		}
	}
	in := []float32{0, 0, float32(math.NaN()), 0}
	if _, err := New(vocab, Args{Dim: 2}, in, nil, 0); !errors.Is(err, embed.ErrNotFinite) {
		t.Errorf("NaN: got %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, args := range []Args{ngramArgs, {}, {Method: CBOW, Loss: HierarchicalSoftmax, MinN: 1, MaxN: 2, Bucket: 5}} {
		m := testModel(t, args)
		var buf bytes.Buffer
		if err := m.Write(&buf); err != nil {
			t.Fatal(err)
		}
		for _, stream := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(buf.Bytes())
			if stream {
				r = io.MultiReader(r)
			}
			got, err := Read(r)
			if err != nil {
				t.Fatal(err)
			}
			sameModel(t, got, m)
		}
	}
}

func sameModel(t *testing.T, got, want *Model) {
	t.Helper()
	if got.Args() != want.Args() || got.ntokens != want.ntokens {
		t.Fatalf("args %+v, %d tokens; want %+v, %d", got.Args(), got.ntokens, want.Args(), want.ntokens)
	}
	if !slices.Equal(got.Vocab().Words(), want.Vocab().Words()) || !slices.Equal(got.Vocab().Counts(), want.Vocab().Counts()) {
		t.Fatalf("vocabulary %v %v, want %v %v", got.Vocab().Words(), got.Vocab().Counts(), want.Vocab().Words(), want.Vocab().Counts())
	}
	if !slices.Equal(got.labels, want.labels) || !slices.Equal(got.labelCounts, want.labelCounts) {
		t.Fatalf("labels %v, want %v", got.labels, want.labels)
	}
	if !slices.Equal(got.in, want.in) || !slices.Equal(got.out, want.out) {
		t.Fatal("matrices differ")
	}
}

func TestReadErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := testModel(t, ngramArgs).Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	// Every proper prefix is a file cut short.
	for n := range len(good) {
		_, err := Read(bytes.NewReader(good[:n]))
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("cut at %d of %d bytes: got %v, want a FormatError for a file cut short", n, len(good), err)
		}
	}
	const dictAt = 8 + 56 // the dictionary's offset
	patch := func(at int, b ...byte) []byte {
		p := slices.Clone(good)
		copy(p[at:], b)
		return p
	}
	inputAt := bytes.Index(good, []byte("日本\x00")) + len("日本\x00") + 9 // the input matrix's flag
	outputAt := inputAt + 17 + 37*8*4
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"magic", patch(0, 1), "byte 0: header: magic number"},
		{"vec file", []byte("6 100\nthe 0.1 0.2\n"), "not a fastText model"},
		{"version", patch(4, 13), "byte 4: header: version 13"},
		{"dimension", patch(8, 0), "dimension 0"},
		{"words", patch(dictAt, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f), "do not fit"},
		{"word count", patch(dictAt+4, 2), "are not 2 words and 0 labels"},
		{"pruned", patch(dictAt+20, 0, 0, 0, 0, 0, 0, 0, 0), "quantised"},
		{"quantised input", patch(inputAt, 1), "input matrix: quantised"},
		{"rows", patch(inputAt+1, 9), "rows, want 37"},
		{"huge", patch(outputAt+1, 0, 0, 0, 0, 0, 0, 0, 0x40), "output matrix: 4611686018427387904×8 matrix does not fit"},
		{"NaN", patch(inputAt+17, 0, 0, 0xc0, 0x7f), "value is not finite"},
		{"trailing", append(slices.Clone(good), 0), "data after the output matrix"},
		{"label type", patch(bytes.Index(good, []byte("cat\x00"))+12, 1), "type 1 where a word"},
	} {
		_, err := Read(bytes.NewReader(c.in))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want a FormatError about %q", c.name, err, c.want)
		}
	}
	if _, err := Read(bytes.NewReader(patch(inputAt, 1))); !errors.Is(err, ErrQuantized) {
		t.Errorf("quantised: %v does not match ErrQuantized", err)
	}
}
