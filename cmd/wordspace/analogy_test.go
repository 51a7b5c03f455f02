package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
)

// analogyModel writes a tiny model where man:king :: woman:queen holds.
func analogyModel(t *testing.T) string {
	t.Helper()
	words := []string{"man", "woman", "king", "queen", "boy", "girl", "prince", "princess"}
	data := []float32{
		0, 1, 0, 0.2, 0, -1, 0, 0.2, 1, 1, 0, 0.3, 1, -1, 0, 0.3,
		0, 1, 1, 0.1, 0, -1, 1, 0.1, 1, 1, 1, 0.2, 1, -1, 1, 0.2,
	}
	v, err := embed.NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embed.New(v, 4, data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "toy.txt")
	if err := e.Save(path, embed.Text); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAnalogyCommand(t *testing.T) {
	model := analogyModel(t)
	for _, args := range [][]string{{"man", "king", "woman"}, {"man:king::woman"}, {"man:king::woman:?"}} {
		out, errs, code := runCLI(t, append([]string{"analogy", "-model", model, "-k", "3"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 || lines[0] != "# man : king :: woman : ?  (3CosAdd)" || !strings.HasPrefix(lines[1], "queen\t") {
			t.Errorf("%v: output %q", args, out)
		}
	}
	out, _, code := runCLI(t, "analogy", "-model", model, "-method", "mul", "-k", "1", "-i", "MAN", "King", "woman")
	if code != 0 || !strings.Contains(out, "(3CosMul)\nqueen\t") {
		t.Errorf("3CosMul, case-insensitive: exit %d, %q", code, out)
	}

	// Questions from standard input; a bad one is reported and skipped.
	old := stdin
	stdin = strings.NewReader("man king woman\nman unicorn woman\nonly two\nboy prince girl\n")
	defer func() { stdin = old }()
	out, errs, code := runCLI(t, "analogy", "-model", model, "-k", "1")
	if code != 0 {
		t.Fatalf("stdin: exit %d: %s", code, errs)
	}
	for _, want := range []string{"queen\t", "# man unicorn woman: analogy: \"unicorn\"", "# only two:", "princess\t"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdin output lacks %q:\n%s", want, out)
		}
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"analogy", "-model", model, "man", "king"}, 2, "want three words"},
		{[]string{"analogy", "-model", model, "-method", "div", "man", "king", "woman"}, 2, "unknown analogy method"},
		{[]string{"analogy", "-model", model, "man", "king", "unicorn"}, 1, "word not in vocabulary"},
		{[]string{"analogy", "man", "king", "woman"}, 2, "-model is required"},
		{[]string{"analogy", "-model", model, "-k", "0", "man", "king", "woman"}, 2, "-k must be positive"},
		{[]string{"analogy", "-model", model, "-restrict", "-1", "man", "king", "woman"}, 2, "-restrict must not be negative"},
	} {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
	_, errs, _ = runCLI(t, "analogy", "-h")
	if !strings.Contains(errs, "man:king :: woman:?") || !strings.Contains(errs, "king:man :: woman:?") {
		t.Errorf("-h does not explain the order:\n%s", errs)
	}
}

func TestEvalCommand(t *testing.T) {
	model := analogyModel(t)
	dir := t.TempDir()
	questions := filepath.Join(dir, "q.txt")
	writeFile(t, questions, ": family\nman king woman queen\nboy prince girl princess\nman king dragon unicorn\n: gram-empty\n")
	pairs := filepath.Join(dir, "pairs.tsv")
	writeFile(t, pairs, "# w1\tw2\tscore\nking\tqueen\t8\nking\tprince\t7\nman\tgirl\t1\nman\tunicorn\t5\n")
	details := filepath.Join(dir, "details.tsv")

	out, errs, code := runCLI(t, "eval", "-model", model, "-analogies", questions, "-pairs", pairs, "-restrict", "0", "-json", "-details", details)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Analogy struct {
			Correct, Evaluated, Skipped int
			Accuracy                    *float64
			Sections                    []struct {
				Name                        string
				Correct, Evaluated, Skipped int
				Accuracy                    *float64
			}
		}
		Pairs struct {
			Spearman    *float64
			Used, Total int
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	a := got.Analogy
	if a.Correct != 2 || a.Evaluated != 2 || a.Skipped != 1 || a.Accuracy == nil || *a.Accuracy != 100 {
		t.Errorf("analogy %+v", a)
	}
	if len(a.Sections) != 2 || a.Sections[1].Name != "gram-empty" || a.Sections[1].Accuracy != nil || a.Sections[0].Skipped != 1 {
		t.Errorf("sections %+v", a.Sections)
	}
	if got.Pairs.Spearman == nil || got.Pairs.Used != 3 || got.Pairs.Total != 4 {
		t.Errorf("pairs %+v", got.Pairs)
	}
	if b, err := os.ReadFile(details); err != nil || !strings.Contains(string(b), "family\tman\tking\twoman\tqueen\tcorrect\tqueen\n") ||
		!strings.Contains(string(b), "dragon\tunicorn\tskipped\t\n") {
		t.Errorf("details: %v\n%s", err, b)
	}

	out, errs, code = runCLI(t, "eval", "-model", model, "-analogies", questions, "-method", "mul")
	if code != 0 || !strings.Contains(out, "gram-empty") || !strings.Contains(out, "      n/a\n") ||
		!strings.Contains(out, "summary: analogy 3CosMul ") {
		t.Errorf("table: exit %d %s\n%s", code, errs, out)
	}

	allOOV := filepath.Join(dir, "oov.txt")
	writeFile(t, allOOV, ": s\na b c d\n")
	out, _, code = runCLI(t, "eval", "-model", model, "-analogies", allOOV, "-json")
	if code != 0 || !strings.Contains(out, `"accuracy": null`) {
		t.Errorf("all OOV: exit %d\n%s", code, out)
	}

	bad := filepath.Join(dir, "bad.txt")
	writeFile(t, bad, ": s\nman king woman\n")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"eval", "-model", model}, 2, "give -analogies, -similarity or both"},
		{[]string{"eval", "-model", model, "-analogies", bad}, 1, "bad.txt:2: want 4 words"},
		{[]string{"eval", "-model", model, "-analogies", questions, "-method", "sub"}, 2, "unknown analogy method"},
		{[]string{"eval", "-model", model, "-analogies", questions, "-restrict", "-1"}, 2, "must not be negative"},
		{[]string{"eval", "-model", model, "-pairs", filepath.Join(dir, "absent.tsv")}, 1, "no such file"},
	} {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
}
