package embed

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/internal/testenv"
)

// The interoperability tests run gensim 4.2 (the Debian package
// python3-gensim) and skip when it is missing (see internal/testenv).

func needGensim(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("interoperability is tested without -race")
	}
	testenv.PythonModules(t, "gensim")
}

func runGensim(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(testenv.Python, append([]string{filepath.Join("testdata", "gensim_interop.py")}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gensim_interop.py %s: %v\n%s", args[0], err, out)
	}
}

// readDump reads the words and raw little-endian float32 matrix that
// gensim_interop.py writes.
func readDump(t *testing.T, wordsPath, vecsPath string) ([]string, []float32) {
	t.Helper()
	wb, err := os.ReadFile(wordsPath)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := os.ReadFile(vecsPath)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Split(strings.TrimSuffix(string(wb), "\n"), "\n")
	vecs := make([]float32, len(vb)/4)
	for i := range vecs {
		vecs[i] = math.Float32frombits(binary.LittleEndian.Uint32(vb[4*i:]))
	}
	return words, vecs
}

func TestGensimLoadsOurFiles(t *testing.T) {
	t.Parallel()
	needGensim(t)
	dir := t.TempDir()
	e := randomEmbeddings(t, 2000, 20, 11) // 40,000 values, words with accents
	args := []string{"load"}
	for _, f := range []Format{Text, Binary} {
		path := filepath.Join(dir, "ours."+f.String())
		if err := e.Save(path, f); err != nil {
			t.Fatal(err)
		}
		bin := "0"
		if f == Binary {
			bin = "1"
		}
		args = append(args, path, bin, path+".words", path+".vecs")
	}
	runGensim(t, args...)
	for _, f := range []Format{Text, Binary} {
		path := filepath.Join(dir, "ours."+f.String())
		words, vecs := readDump(t, path+".words", path+".vecs")
		if !slices.Equal(words, e.Vocab().Words()) {
			t.Fatalf("%v: gensim read different words", f)
		}
		if !slices.Equal(vecs, e.Data()) {
			for i := range vecs {
				if vecs[i] != e.Data()[i] {
					t.Fatalf("%v: gensim read value %d as %v, we wrote %v", f, i, vecs[i], e.Data()[i])
				}
			}
			t.Fatalf("%v: gensim read %d values, we wrote %d", f, len(vecs), len(e.Data()))
		}
	}
}

func TestWeLoadGensimFiles(t *testing.T) {
	t.Parallel()
	needGensim(t)
	dir := t.TempDir()
	txt, bin := filepath.Join(dir, "g.txt"), filepath.Join(dir, "g.bin")
	runGensim(t, "save", txt, bin, filepath.Join(dir, "words"), filepath.Join(dir, "vecs"))
	words, vecs := readDump(t, filepath.Join(dir, "words"), filepath.Join(dir, "vecs"))
	for _, path := range []string{txt, bin} {
		e, err := Load(path, LoadOptions{StrictUTF8: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(e.Vocab().Words(), words) || !slices.Equal(e.Data(), vecs) {
			t.Fatalf("%s: loaded vectors differ from gensim's", path)
		}
	}
}

// TestMostSimilarMatchesGensim trains a small model with gensim and checks
// that MostSimilar gives gensim's most_similar top 10 for 200 random words.
func TestMostSimilarMatchesGensim(t *testing.T) {
	t.Parallel()
	needGensim(t)
	dir := t.TempDir()
	// The demo corpus the repository embeds (internal/demo).
	corpus := filepath.Join("..", "internal", "demo", "demo-corpus.txt.gz")
	model, results := filepath.Join(dir, "model.bin"), filepath.Join(dir, "results.tsv")
	runGensim(t, "train", corpus, "300000", model, "200", "1", results)
	e, err := Load(model, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Neighbor{}
	var queries []string
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Split(line, "\t")
		s, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := want[f[0]]; !ok {
			queries = append(queries, f[0])
		}
		want[f[0]] = append(want[f[0]], Neighbor{Word: f[1], Score: float32(s)})
	}
	if len(queries) != 200 {
		t.Fatalf("gensim answered %d queries, want 200", len(queries))
	}
	var exact, maxDiff = 0, 0.0
	for _, q := range queries {
		got, err := e.MostSimilar([]string{q}, nil, 10, QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		g := want[q]
		if len(got) != len(g) {
			t.Fatalf("%q: %d neighbours, gensim %d", q, len(got), len(g))
		}
		same := true
		for i := range got {
			d := math.Abs(float64(got[i].Score - g[i].Score))
			maxDiff = max(maxDiff, d)
			if d > 1e-5 {
				t.Errorf("%q: neighbour %d cosine %v, gensim %v", q, i, got[i].Score, g[i].Score)
			}
			if got[i].Word != g[i].Word {
				same = false
				// Only a near tie (equal cosines at this rank, to float32
				// rounding) may put different words here.
				if math.Abs(float64(got[i].Score-g[i].Score)) > 1e-6 {
					t.Errorf("%q: neighbour %d is %q (%v), gensim's %q (%v)", q, i, got[i].Word, got[i].Score, g[i].Word, g[i].Score)
				}
			}
		}
		if same {
			exact++
		}
	}
	t.Logf("%d of %d queries have gensim's exact top 10; largest cosine difference %.2g", exact, len(queries), maxDiff)
}
