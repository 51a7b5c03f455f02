package embed

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestNewVocabRejects(t *testing.T) {
	long := strings.Repeat("x", MaxWordLen+1)
	for _, c := range []struct {
		name   string
		words  []string
		counts []int64
		want   error // nil: any error
	}{
		{"empty word", []string{"a", ""}, nil, nil},
		{"duplicate", []string{"a", "b", "a"}, nil, ErrDuplicateWord},
		{"too long", []string{"a", long}, nil, nil},
		{"negative count", []string{"a", "b"}, []int64{1, -1}, nil},
		{"counts overflow", []string{"a", "b", "c"}, []int64{math.MaxInt64, math.MaxInt64, math.MaxInt64}, nil},
		{"counts just overflow", []string{"a", "b"}, []int64{math.MaxInt64, 1}, nil},
		{"count for each word", []string{"a", "b"}, []int64{1}, nil},
	} {
		v, err := NewVocab(c.words, c.counts)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: %v, %v", c.name, v, err)
		}
	}
	if _, err := NewVocab([]string{"a", strings.Repeat("y", MaxWordLen)}, []int64{math.MaxInt64 - 1, 1}); err != nil {
		t.Errorf("longest word and largest total: %v", err)
	}
}

// TestNPYVocabCountsOverflow checks the .npy vocabulary reader, which
// builds vocabularies without NewVocab, for the same bound on totals.
func TestNPYVocabCountsOverflow(t *testing.T) {
	e, err := New(mustVocab(t, []string{"a", "b", "c"}), 1, []float32{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	var m, v strings.Builder
	if err := e.WriteNPY(&m, &v); err != nil {
		t.Fatal(err)
	}
	vocab := "a\t9223372036854775807\nb\t9223372036854775807\nc\t9223372036854775807\n"
	_, err = ReadNPY(strings.NewReader(m.String()), strings.NewReader(vocab), LoadOptions{})
	if !errors.Is(err, ErrFormat) {
		t.Errorf("counts adding up past MaxInt64: %v, want ErrFormat", err)
	}
}

func mustVocab(t *testing.T, words []string) *Vocab {
	t.Helper()
	v, err := NewVocab(words, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
