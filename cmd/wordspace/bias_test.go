package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/biastest"
)

// biasModel writes random vectors for the WEAT and Bolukbasi words
// (lower-cased, as corpus-trained vocabularies are) to a text file.
func biasModel(t *testing.T) string {
	t.Helper()
	e, err := biastest.Vectors(30, 5)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "vectors.txt")
	if err := e.Save(path, embed.Text); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeFile writes a test's input file, failing the test if it cannot.
func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestBiasWEATJSON(t *testing.T) {
	model := biasModel(t)
	out, errs, code := runCLI(t, "bias", "weat", "-model", model, "-test", "6", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		ID         int              `json:"id"`
		EffectSize *float64         `json:"effect_size"`
		PValue     *float64         `json:"p_value"`
		OOV        []map[string]any `json:"oov"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.ID != 6 || r.EffectSize == nil || r.PValue == nil || *r.PValue <= 0 || *r.PValue > 1 || len(r.OOV) != 4 {
		t.Errorf("weat -json: %s", out)
	}
	// All ten, text.
	out, errs, code = runCLI(t, "bias", "weat", "-model", model, "-permutations", "1000")
	if code != 0 || strings.Count(out, "  d = ") != 10 {
		t.Errorf("exit %d, %d results: %s%s", code, strings.Count(out, "  d = "), out, errs)
	}
	if _, _, code := runCLI(t, "bias", "weat", "-model", model, "-test", "11"); code != 2 {
		t.Errorf("-test 11: exit %d", code)
	}
	// Too strict a coverage floor fails, naming the missing words.
	_, errs, code = runCLI(t, "bias", "weat", "-model", model, "-test", "9", "-min-fraction", "1")
	if code != 1 || !strings.Contains(errs, "short-term") {
		t.Errorf("-min-fraction 1: exit %d, %s", code, errs)
	}
}

func TestBiasDirectAndDebias(t *testing.T) {
	model := biasModel(t)
	out, errs, code := runCLI(t, "bias", "direct", "-model", model, "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d struct {
		DirectBias float64  `json:"direct_bias"`
		C          float64  `json:"c"`
		Words      int      `json:"words"`
		Excluded   []string `json:"excluded_gendered"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.DirectBias <= 0.01 || d.C != 1 || d.Words < 250 || len(d.Excluded) != 17 {
		t.Errorf("direct: %+v", d)
	}
	deb := filepath.Join(t.TempDir(), "debiased.bin")
	_, errs, code = runCLI(t, "bias", "debias", "-model", model, "-output", deb)
	if code != 0 || !strings.Contains(errs, "neutralised") {
		t.Fatalf("debias exit %d: %s", code, errs)
	}
	out, _, code = runCLI(t, "bias", "direct", "-model", deb, "-json")
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 {
		t.Fatalf("direct on debiased: %v %d", err, code)
	}
	if d.DirectBias >= 1e-6 {
		t.Errorf("direct bias after debiasing %v", d.DirectBias)
	}
	if _, _, code := runCLI(t, "bias", "debias", "-model", model); code != 2 {
		t.Errorf("debias without -output: exit %d", code)
	}
}

func TestBiasReport(t *testing.T) {
	model := biasModel(t)
	dir := filepath.Join(t.TempDir(), "audit")
	out, errs, code := runCLI(t, "bias", "report", "-model", model, "-out", dir, "-debias", "-bootstrap", "100", "-permutations", "1000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range []string{"report.md", "weat.png", "professions.png", "pca.png"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(out, "direct bias") || !strings.Contains(out, "WEAT 8 d") {
		t.Errorf("table: %s", out)
	}

	// Utility before and after, from small benchmark files.
	tmp := t.TempDir()
	q := filepath.Join(tmp, "questions.txt")
	ws := filepath.Join(tmp, "ws.tsv")
	writeFile(t, q, ": family\nman woman king queen\nboy girl brother sister\nhe she his her\n")
	writeFile(t, ws, "king queen 8.5\nman woman 8.3\nnurse doctor 7\nfather mother 8\n")
	out, errs, code = runCLI(t, "bias", "report", "-model", model, "-out", dir, "-debias", "-bootstrap", "0",
		"-permutations", "100", "-questions", q, "-wordsim", ws, "-json")
	if code != 0 {
		t.Fatalf("with utility: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "analogy accuracy (3 / 3 questions)") || !strings.Contains(out, "WordSim-353 Spearman (4 / 4 pairs)") {
		t.Errorf("utility rows missing: %s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.json")); err != nil {
		t.Errorf("report.json: %v", err)
	}
	if _, _, code := runCLI(t, "bias", "report", "-model", model, "-out", dir, "-questions", q); code != 2 {
		t.Errorf("-questions without -wordsim: exit %d", code)
	}
}

func TestBiasUsage(t *testing.T) {
	if _, _, code := runCLI(t, "bias"); code != 2 {
		t.Errorf("bias alone: exit %d", code)
	}
	if _, _, code := runCLI(t, "bias", "frobnicate"); code != 2 {
		t.Errorf("unknown step: exit %d", code)
	}
	if _, errs, code := runCLI(t, "bias", "weat", "-h"); code != 0 || !strings.Contains(errs, "-test") {
		t.Errorf("-h: exit %d, %s", code, errs)
	}
	if _, _, code := runCLI(t, "bias", "direct", "-model", "/nonexistent/file.txt"); code != 1 {
		t.Errorf("missing model: exit %d", code)
	}
}
