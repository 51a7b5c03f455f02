package embed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNPYPairBelongsTogether saves .npy pairs and checks that a
// vocabulary beside a matrix it was not written with (what an interrupted
// save leaves, or files of two saves) is refused, while the pair itself,
// vocabularies without the last line (older files, other tools) and
// partial reads load.
func TestNPYPairBelongsTogether(t *testing.T) {
	dir := t.TempDir()
	a := randomEmbeddings(t, 5, 3, 1)
	b := randomEmbeddings(t, 5, 3, 2) // same words, other values
	c := randomEmbeddings(t, 6, 3, 3) // one word more
	for _, name := range []string{"x.npy", "x.npy.gz"} {
		x := filepath.Join(dir, name)
		if err := a.Save(x, NPY); err != nil {
			t.Fatal(err)
		}
		got, err := Load(x, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sameEmbeddings(t, got, a)
		vocab := readFile(t, VocabPath(x))
		lines := strings.Split(strings.TrimSuffix(vocab, "\n"), "\n")
		if len(lines) != a.Len()+1 || !strings.HasPrefix(lines[a.Len()], "\t#wordspace-npy rows=5 crc32c=") {
			t.Fatalf("%s: vocabulary file %q", name, vocab)
		}

		// Another save's vocabulary beside this matrix.
		y := filepath.Join(dir, "y.npy")
		for _, other := range []*Embeddings{b, c} {
			if err := other.Save(y, NPY); err != nil {
				t.Fatal(err)
			}
			writeFile(t, VocabPath(x), readFile(t, VocabPath(y)))
			_, err := Load(x, LoadOptions{})
			if !errors.Is(err, ErrFormat) {
				t.Errorf("%s with the vocabulary of a %d-word save: %v, want ErrFormat", name, other.Len(), err)
			}
		}
		// The words alone, without the last line, load as before.
		writeFile(t, VocabPath(x), strings.Join(lines[:a.Len()], "\n")+"\n")
		if got, err := Load(x, LoadOptions{}); err != nil {
			t.Errorf("%s: vocabulary without its last line: %v", name, err)
		} else {
			sameEmbeddings(t, got, a)
		}
		// A partial read does not read the whole matrix and so cannot
		// check it; the words must still be the matrix's rows.
		writeFile(t, VocabPath(x), readFile(t, VocabPath(y)))
		if got, err := Load(x, LoadOptions{Limit: 2}); err != nil || got.Len() != 2 {
			t.Errorf("%s: partial read: %v", name, err)
		}
	}
	for _, bad := range []string{
		"\t#wordspace-npy rows=5 crc32c=zz\n",
		"\t#wordspace-npy rows=4 crc32c=00000000\n",
		"\t#wordspace-npy rows=5 crc32c=00000000\nextra\n",
	} {
		x := filepath.Join(dir, "x.npy")
		if err := a.Save(x, NPY); err != nil {
			t.Fatal(err)
		}
		words := strings.Join(a.Vocab().Words(), "\n") + "\n"
		writeFile(t, VocabPath(x), words+bad)
		if _, err := Load(x, LoadOptions{}); !errors.Is(err, ErrFormat) {
			t.Errorf("last line %q: %v, want ErrFormat", bad, err)
		}
		// The same line in the middle: the vocabulary is short.
		writeFile(t, VocabPath(x), strings.Join(a.Vocab().Words()[:3], "\n")+"\n"+bad+"d\ne\n")
		if _, err := Load(x, LoadOptions{}); !errors.Is(err, ErrFormat) {
			t.Errorf("last line %q in the middle: %v, want ErrFormat", bad, err)
		}
	}
}

// TestNPYSaveKeepsCountsFile checks that saving X.npy does not replace an
// X.vocab that holds word counts (the C tool's -save-vocab format), and
// leaves nothing behind.
func TestNPYSaveKeepsCountsFile(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "x.npy")
	counts := "the 1061396\nof 593677\nand 416629\n"
	writeFile(t, VocabPath(x), counts)
	err := randomEmbeddings(t, 3, 2, 1).Save(x, NPY)
	if err == nil || !strings.Contains(err.Error(), "word counts") {
		t.Fatalf("save over a counts file: %v", err)
	}
	if got := readFile(t, VocabPath(x)); got != counts {
		t.Errorf("counts file now holds %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files in the directory: %v", entries)
	}
	// An .npy vocabulary, with or without counts, is replaced.
	for _, old := range []string{"a\nb\n", "a\t3\nb\t1\n", "a b\nc\n"} {
		writeFile(t, VocabPath(x), old)
		if err := randomEmbeddings(t, 3, 2, 1).Save(x, NPY); err != nil {
			t.Errorf("save over the .npy vocabulary %q: %v", old, err)
		}
	}
}

// TestNPYSaveFailureKeepsOldPair makes the vocabulary's rename fail (its
// destination is a directory) after both files were written: the old
// matrix must stay, and no temporary file.
func TestNPYSaveFailureKeepsOldPair(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "x.npy")
	old := randomEmbeddings(t, 4, 2, 1)
	if err := old.Save(x, NPY); err != nil {
		t.Fatal(err)
	}
	matrix := readFile(t, x)
	if err := os.Remove(VocabPath(x)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(VocabPath(x), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(VocabPath(x), "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := randomEmbeddings(t, 4, 2, 2).Save(x, NPY); err == nil {
		t.Fatal("save succeeded with a directory for the vocabulary")
	}
	if readFile(t, x) != matrix {
		t.Error("the matrix was replaced although its vocabulary was not")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("files in the directory: %v", entries)
	}
}
