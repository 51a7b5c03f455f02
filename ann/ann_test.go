package ann

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

// recallFloor is the lowest recall@10 TestRecall accepts. The test set
// is a hard one, so that a loss of quality shows: 4,000 Gaussian vectors
// of dimension 24 with no cluster structure, queried with perturbed
// copies of random rows, by a small graph (M 8, efConstruction 64)
// searched with ef 20. Measured with seeds 1 to 5 (go test -run
// TestRecall -v, amd64, with and without -tags purego, which agree):
// 0.824 to 0.840, 0.840 for seed 1. Building and searching with exact
// float32 cosines instead of int8 codes gave 0.823 to 0.844, and a
// sequential build (batches of one) 0.826 to 0.844. The floor is the
// lowest minus 0.02.
const recallFloor = 0.80

func TestRecall(t *testing.T) {
	e := mixture(t, 4000, 24, 1, 1)
	qs := queries(e, 300, 101)
	x := build(t, e, BuildOptions{M: 8, EfConstruction: 64, Ef: 20, Seed: 1})
	r := recall(t, x, qs, 10)
	t.Logf("recall@10 at ef %d: %.4f", x.Ef(), r)
	if r < recallFloor {
		t.Errorf("recall@10 %.4f, below the floor %.2f", r, recallFloor)
	}
	// More candidates must find more.
	if r2 := recall(t, x.WithEf(100), qs, 10); r2 <= r {
		t.Errorf("recall@10 %.4f at ef 100, not above %.4f at ef %d", r2, r, x.Ef())
	}
}

// sameGraph fails unless a and b have identical links and entry points.
func sameGraph(t *testing.T, a, b *Index) {
	t.Helper()
	if a.entry != b.entry || a.maxLevel != b.maxLevel {
		t.Fatalf("entry %d on layer %d, want %d on layer %d", a.entry, a.maxLevel, b.entry, b.maxLevel)
	}
	if !slices.Equal(a.links0, b.links0) || !slices.Equal(a.upperStart, b.upperStart) || !slices.Equal(a.upper, b.upper) {
		t.Fatal("the graphs differ")
	}
}

func sameResults(t *testing.T, a, b *Index, qs [][]float32) {
	t.Helper()
	for i, q := range qs {
		ra, err := a.Search(q, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.Search(q, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ra, rb) {
			t.Fatalf("query %d: %v, want %v", i, ra, rb)
		}
	}
}

func TestDeterministic(t *testing.T) {
	e := mixture(t, 3000, 16, 30, 3)
	qs := queries(e, 50, 4)
	one := build(t, e, BuildOptions{Threads: 1, Seed: 7})
	for _, threads := range []int{2, 3, 8} {
		x := build(t, e, BuildOptions{Threads: threads, Seed: 7})
		sameGraph(t, x, one)
		sameResults(t, x, one, qs)
	}
	other := build(t, e, BuildOptions{Threads: 1, Seed: 8})
	if slices.Equal(other.upperStart, one.upperStart) {
		t.Error("seeds 7 and 8 drew the same layers")
	}
}

func TestRoundTrip(t *testing.T) {
	e := mixture(t, 2000, 24, 20, 5)
	qs := queries(e, 50, 6)
	x := build(t, e, BuildOptions{M: 8, EfConstruction: 50, Ef: 33, Seed: 2})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.Len()%4 != 0 {
		t.Errorf("file of %d bytes", buf.Len())
	}
	for _, stream := range []bool{false, true} {
		var r = bytes.NewReader(buf.Bytes())
		var y *Index
		var err error
		if stream {
			y, err = Read(struct{ *bytes.Reader }{r}, e) // hides the length
		} else {
			y, err = Read(r, e)
		}
		if err != nil {
			t.Fatal(err)
		}
		sameGraph(t, y, x)
		if yo, xo := y.Options(), x.Options(); yo.M != xo.M || yo.EfConstruction != xo.EfConstruction || yo.Ef != xo.Ef || yo.Seed != xo.Seed {
			t.Errorf("options %+v, want %+v", y.Options(), x.Options())
		}
		sameResults(t, y, x, qs)
	}
	path := filepath.Join(t.TempDir(), "v.hnsw")
	if err := x.Save(path); err != nil {
		t.Fatal(err)
	}
	y, err := Load(path, e)
	if err != nil {
		t.Fatal(err)
	}
	sameGraph(t, y, x)
	sameResults(t, y, x, qs)
}

func TestConcurrentSearch(t *testing.T) {
	e := mixture(t, 2000, 16, 20, 9)
	qs := queries(e, 40, 10)
	x := build(t, e, BuildOptions{Seed: 1})
	want := make([][]embed.Neighbor, len(qs))
	for i, q := range qs {
		var err error
		if want[i], err = x.Search(q, 5, nil); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			y := x
			if g%2 == 1 {
				y = x.WithEf(x.Ef()) // same ef, another Index value on the same graph
			}
			for r := range 3 {
				for i := range qs {
					i := (i + g + r) % len(qs)
					got, err := y.Search(qs[i], 5, nil)
					if err != nil {
						errs <- err
						return
					}
					if !slices.Equal(got, want[i]) {
						errs <- errors.New("a concurrent search gave another answer")
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestSkip(t *testing.T) {
	e := mixture(t, 1500, 16, 15, 11)
	x := build(t, e, BuildOptions{Seed: 1})
	q := e.Row(3)
	all, err := x.Search(q, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if all[0].Index != 3 {
		t.Errorf("the nearest row to row 3 is %d", all[0].Index)
	}
	// Skipping the ten best still gives ten answers, none of them skipped.
	banned := map[int]bool{}
	for _, n := range all {
		banned[n.Index] = true
	}
	got, err := x.Search(q, 10, func(i int) bool { return banned[i] })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 {
		t.Fatalf("%d answers, want 10", len(got))
	}
	for _, n := range got {
		if banned[n.Index] {
			t.Errorf("skipped row %d returned", n.Index)
		}
	}
	// Skipping all but a few rows makes the graph walk find too few: the
	// scan completes them.
	keep := map[int]bool{5: true, 700: true, 1499: true}
	got, err = x.Search(q, 3, func(i int) bool { return !keep[i] })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d answers, want 3", len(got))
	}
	for _, n := range got {
		if !keep[n.Index] {
			t.Errorf("row %d returned", n.Index)
		}
	}
	// Skipping everything returns nothing, without error.
	got, err = x.Search(q, 3, func(int) bool { return true })
	if err != nil || len(got) != 0 {
		t.Errorf("skipping every row: %v, %v", got, err)
	}
}

// TestWithIndex checks the index through embed's query options: with ef
// as large as the vocabulary the walk finds the exact answer.
func TestWithIndex(t *testing.T) {
	e := mixture(t, 800, 16, 10, 13)
	x := build(t, e, BuildOptions{Seed: 1}).WithEf(800)
	w := e.Vocab().Words()
	for _, q := range [][2][]string{{w[:1], nil}, {w[1:3], w[3:4]}} {
		want, err := e.MostSimilar(q[0], q[1], 10, embed.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.MostSimilar(q[0], q[1], 10, embed.QueryOptions{Index: x})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d answers, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].Index != want[i].Index || math.Abs(float64(got[i].Score-want[i].Score)) > 1e-5 {
				t.Errorf("answer %d: %+v, want %+v", i, got[i], want[i])
			}
		}
	}
}

func TestSmall(t *testing.T) {
	for _, n := range []int{1, 2, 3, 40} {
		e := mixture(t, n, 3, 2, uint64(n))
		x := build(t, e, BuildOptions{M: 2, Threads: 2})
		got, err := x.Search(e.Row(0), n, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Errorf("n = %d: %d answers", n, len(got))
		}
		seen := map[int]bool{}
		for _, g := range got {
			if seen[g.Index] {
				t.Errorf("n = %d: row %d twice", n, g.Index)
			}
			seen[g.Index] = true
		}
	}
	// Zero vectors have cosine 0 with everything and must not break the
	// walk.
	v, _ := embed.NewVocab([]string{"a", "b", "c", "d"}, nil)
	e, err := embed.New(v, 2, []float32{0, 0, 1, 0, 0, 0, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	x := build(t, e, BuildOptions{})
	got, err := x.Search([]float32{1, 0.1}, 4, nil)
	if err != nil || len(got) != 4 || got[0].Word != "b" {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestBuildCancelAndProgress(t *testing.T) {
	e := mixture(t, 3000, 8, 10, 1)
	var reports []Progress
	_, err := Build(context.Background(), e, BuildOptions{Progress: func(p Progress) { reports = append(reports, p) }, ProgressInterval: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < 2 {
		t.Fatalf("%d progress reports", len(reports))
	}
	for i, p := range reports {
		if p.Total != 3000 || (i > 0 && p.Done <= reports[i-1].Done) {
			t.Fatalf("report %d: %+v after %+v", i, p, reports[max(i-1, 0)])
		}
	}
	if last := reports[len(reports)-1]; last.Done != last.Total {
		t.Errorf("last report %+v", last)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err = Build(ctx, e, BuildOptions{ProgressInterval: 1, Progress: func(Progress) {
		if calls++; calls == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled build: %v", err)
	}
}

func TestBadOptionsAndQueries(t *testing.T) {
	e := mixture(t, 100, 4, 3, 1)
	for _, o := range []BuildOptions{{M: 1}, {M: -1}, {M: maxM + 1}, {EfConstruction: -1}, {Ef: -2}, {Threads: -1}} {
		if _, err := Build(context.Background(), e, o); err == nil {
			t.Errorf("Build accepted %+v", o)
		}
	}
	if _, err := Build(context.Background(), nil, BuildOptions{}); err == nil {
		t.Error("Build accepted nil embeddings")
	}
	x := build(t, e, BuildOptions{})
	for _, k := range []int{0, -1, 101} {
		if _, err := x.Search(e.Row(0), k, nil); !errors.Is(err, ErrBadK) {
			t.Errorf("k = %d: %v, want ErrBadK", k, err)
		}
	}
	if _, err := x.Search(make([]float32, 3), 1, nil); err == nil {
		t.Error("query of the wrong length accepted")
	}
	if _, err := x.Search([]float32{1, float32(math.NaN()), 0, 0}, 1, nil); !errors.Is(err, embed.ErrNotFinite) {
		t.Errorf("NaN query: %v, want ErrNotFinite", err)
	}
}

func TestMismatchAndCorruption(t *testing.T) {
	e := mixture(t, 500, 8, 5, 1)
	x := build(t, e, BuildOptions{Seed: 3})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()

	// Other vectors: another size, the same size with other values, the
	// same values under other words.
	other := mixture(t, 500, 8, 5, 2)
	shorter := mixture(t, 499, 8, 5, 1)
	words := slices.Clone(e.Vocab().Words())
	words[0], words[1] = words[1], words[0]
	v, _ := embed.NewVocab(words, nil)
	renamed, _ := embed.New(v, 8, e.Data())
	for name, f := range map[string]*embed.Embeddings{"other values": other, "fewer rows": shorter, "other words": renamed} {
		if _, err := Read(bytes.NewReader(file), f); !errors.Is(err, ErrMismatch) {
			t.Errorf("%s: %v, want ErrMismatch", name, err)
		}
	}

	// Corruption anywhere is caught by a checksum or a check.
	for _, off := range []int{0, 9, 20, 60, 124, headerSize + 5, len(file) / 2, len(file) - 10, len(file) - 1} {
		bad := slices.Clone(file)
		bad[off] ^= 0x10
		_, err := Read(bytes.NewReader(bad), e)
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
			t.Errorf("byte %d flipped: %v, want a *FormatError", off, err)
		}
	}
	for _, cut := range []int{0, 5, headerSize, headerSize + 100, len(file) - 1} {
		for _, hide := range []bool{false, true} {
			var r = bytes.NewReader(file[:cut])
			var err error
			if hide {
				_, err = Read(struct{ *bytes.Reader }{r}, e)
			} else {
				_, err = Read(r, e)
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("cut at %d (length hidden %v): %v, want ErrFormat", cut, hide, err)
			}
		}
	}
	if _, err := Read(bytes.NewReader(append(slices.Clone(file), 0)), e); !errors.Is(err, ErrFormat) {
		t.Errorf("trailing byte: %v, want ErrFormat", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing"), e); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}
