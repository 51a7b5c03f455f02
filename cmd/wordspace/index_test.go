package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexAndNeighbors builds an index with "wordspace index" and checks
// that "neighbors -index" gives the exact answers on a model small enough
// for the search to see every word.
func TestIndexAndNeighbors(t *testing.T) {
	m := vectorFile(t)
	idx := filepath.Join(t.TempDir(), "v.hnsw")
	code, out, errOut := runCmd(context.Background(), "index", "-model", m, "-output", idx, "-threads", "2")
	if code != 0 {
		t.Fatalf("index: exit %d: %s", code, errOut)
	}
	if out != "" || !strings.Contains(errOut, "indexed 5 words of dimension 3") {
		t.Errorf("index: stdout %q, stderr %q", out, errOut)
	}
	for _, args := range [][]string{
		{"-k", "3", "king"},
		{"-k", "1", "-negative", "man", "king", "woman"},
		{"-k", "4", "-ef", "2", "apple"},
	} {
		_, want, _ := runCmd(context.Background(), append([]string{"neighbors", "-model", m}, args...)...)
		code, got, errOut := runCmd(context.Background(), append([]string{"neighbors", "-model", m, "-index", idx}, args...)...)
		if code != 0 || got != want || got == "" {
			t.Errorf("neighbors %q -index: exit %d, %q (%s); exact gives %q", args, code, got, errOut, want)
		}
	}
}

func TestIndexErrors(t *testing.T) {
	m := vectorFile(t)
	dir := t.TempDir()
	idx := filepath.Join(dir, "v.hnsw")
	if code, _, errOut := runCmd(context.Background(), "index", "-model", m, "-output", idx, "-quiet"); code != 0 {
		t.Fatal(errOut)
	}
	other := filepath.Join(dir, "other.txt")
	writeFile(t, other, "2 3\na 1 2 3\nb 3 2 1\n")
	corrupt := filepath.Join(dir, "corrupt.hnsw")
	b := readFile(t, idx)
	b[len(b)/2] ^= 1
	writeFile(t, corrupt, string(b))
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"index", "-model", m}, 2, "-output is required"},
		{[]string{"index", "-output", idx}, 2, "-model is required"},
		{[]string{"index", "-model", m, "-output", idx, "-m", "1"}, 1, "M 1: must be between 2"},
		{[]string{"index", "-model", m, "-output", idx, "extra"}, 2, "unexpected argument"},
		{[]string{"neighbors", "-model", other, "-index", idx, "a"}, 1, "index does not match the vectors"},
		{[]string{"neighbors", "-model", m, "-index", corrupt, "king"}, 1, "checksum mismatch"},
		{[]string{"neighbors", "-model", m, "-index", filepath.Join(dir, "missing"), "king"}, 1, "no such file"},
		{[]string{"neighbors", "-model", m, "-index", idx, "-ef", "-1", "king"}, 2, "-ef must not be negative"},
	}
	for _, tt := range tests {
		code, _, errOut := runCmd(context.Background(), tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}
