package inspect

import (
	"bytes"
	"errors"
	"runtime/metrics"
	"strings"
	"testing"
)

func TestAmbiguousWords(t *testing.T) {
	items := AmbiguousWords()
	if len(items) != 30 || items[0].Word != "bank" {
		t.Fatalf("%d words, first %q", len(items), items[0].Word)
	}
	for _, it := range items {
		for s := range 2 {
			for i := range 2 {
				if lastIndex(it.Sentences[s][i], it.Word) < 0 {
					t.Errorf("%q missing from %v", it.Word, it.Sentences[s][i])
				}
			}
		}
	}
}

func TestReadAmbiguous(t *testing.T) {
	bad := []string{
		"bank the river bank | the bank || a bank | the bank",         // no colon
		"bank: the river bank | the bank",                             // one sense
		"bank: the river bank || the money bank | the bank",           // one sentence
		"bank: the river bank | a shore || the money bank | the bank", // word missing
		"two words: a two | b two || c two | d two",
	}
	for _, s := range bad {
		if _, err := ReadAmbiguous(strings.NewReader(s)); !errors.Is(err, ErrFormat) {
			t.Errorf("%q: error %v, want ErrFormat", s, err)
		}
	}
	items, err := ReadAmbiguous(strings.NewReader("# comment\n\nbat: a flying bat | the bat || hit with a bat | the cricket bat\n"))
	if err != nil || len(items) != 1 || strings.Join(items[0].Sentences[1][1], " ") != "the cricket bat" {
		t.Errorf("items %v, error %v", items, err)
	}
	if _, err := ReadAmbiguous(strings.NewReader(strings.Repeat("x", maxSenseLine+1))); !errors.Is(err, ErrFormat) {
		t.Error("overlong line: no error")
	}
}

func FuzzReadAmbiguous(f *testing.F) {
	f.Add([]byte(sensesTxt))
	f.Add([]byte("a: a | a || a | a"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
		metrics.Read(sample)
		before := sample[0].Value.Uint64()
		items, err := ReadAmbiguous(bytes.NewReader(b))
		metrics.Read(sample)
		if got := sample[0].Value.Uint64() - before; got > uint64(1<<20+64*len(b)) {
			t.Fatalf("allocated %d bytes for %d bytes of input", got, len(b))
		}
		if err != nil {
			var fe *FormatError
			if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			return
		}
		for _, it := range items {
			for s := range 2 {
				for i := range 2 {
					if lastIndex(it.Sentences[s][i], it.Word) < 0 {
						t.Fatalf("accepted %q without the word in %v", it.Word, it.Sentences[s][i])
					}
				}
			}
		}
	})
}

func TestSenses(t *testing.T) {
	m := inductionModel(t, 12)
	items := []Ambiguous{
		{Word: "w1", Sentences: [2][2][]string{{{"w2", "w3", "w1"}, {"w2", "w1"}}, {{"w5", "w6", "w1"}, {"w6", "w1"}}}},
		{Word: "zzz", Sentences: [2][2][]string{{{"zzz"}, {"zzz"}}, {{"zzz"}, {"zzz"}}}},
	}
	rep, err := Senses(m, items)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Words) != 1 || len(rep.Skipped) != 1 || rep.Skipped[0] != "zzz" {
		t.Errorf("words %v, skipped %v", rep.Words, rep.Skipped)
	}
	if len(rep.Layers) != 4 || rep.Static.Gap() != 0 || rep.Static.Wins != 0 {
		t.Errorf("%d layers, static %+v", len(rep.Layers), rep.Static)
	}
	// Block 0 writes the previous word into the stream: w1 after w2 (sense
	// A) and after w6 (sense B) gives same-sense pairs the same previous
	// word in one case of two. The bag of words before: sense A shares w2.
	if rep.Bag.Wins != 1 || !(rep.Bag.Same > rep.Bag.Different) {
		t.Errorf("bag %+v", rep.Bag)
	}
	if !(rep.Layers[1].Gap() > rep.Layers[0].Gap()) {
		t.Errorf("block 0 did not separate the senses: gaps %v then %v", rep.Layers[0].Gap(), rep.Layers[1].Gap())
	}
	if _, err := Senses(m, items[1:]); !errors.Is(err, ErrNoText) {
		t.Errorf("no known word: %v", err)
	}
}
