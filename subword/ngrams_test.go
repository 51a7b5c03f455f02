package subword

import (
	"slices"
	"strings"
	"testing"
)

func TestNgrams(t *testing.T) {
	for _, c := range []struct {
		word       string
		minn, maxn int
		want       string // space-separated
	}{
		{"where", 3, 3, "<wh whe her ere re>"},
		{"where", 5, 6, "<wher <where where where> here>"},
		{"ab", 1, 2, "<a a ab b b>"}, // the lone "<" and ">" are left out
		{"ab", 1, 1, "a b"},
		{"ab", 3, 6, "<ab <ab> ab>"},
		{"a", 3, 6, "<a>"},
		{"naïve", 3, 3, "<na naï aïv ïve ve>"}, // characters, not bytes
		{"日本", 2, 2, "<日 日本 本>"},
		{"x", 4, 6, ""},                     // "<x>" is shorter than 4 characters
		{"where", 4, 3, ""},                 // minn > maxn: none
		{"where", 0, 0, ""},                 // maxn 0: none
		{EOS, 3, 6, ""},                     // fastText never splits its end-of-line token
		{"a\x80b", 3, 3, "<a\x80b a\x80b>"}, // a stray continuation byte joins the character before it
	} {
		got := strings.Join(Ngrams(c.word, c.minn, c.maxn), " ")
		if got != c.want {
			t.Errorf("Ngrams(%q, %d, %d) = %q, want %q", c.word, c.minn, c.maxn, got, c.want)
		}
	}
}

func TestHash(t *testing.T) {
	// Expected values from gensim 4's ft_hash_bytes, an independent
	// implementation of fastText's hash; the non-ASCII ones depend on the
	// sign extension of bytes ≥ 0x80.
	for _, c := range []struct {
		s    string
		want uint32
	}{
		{"abc", 440920331},
		{"<he", 1133188580},
		{"hel", 179613742},
		{"<né", 3020065143},
		{"日", 3213514749},
		{"naï", 3249590546},
		{"<日本語", 3574004581},
		{"ïve>", 445788548},
	} {
		if got := Hash(c.s); got != c.want {
			t.Errorf("Hash(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestAppendBuckets(t *testing.T) {
	for _, word := range []string{"where", "naïve", "日本語", "a", "a-very-long-word-that-does-not-fit-in-sixty-four-bytes-of-stack-buffer"} {
		for _, bucket := range []int{1, 97, 2000000} {
			var want []int32
			for _, g := range Ngrams(word, 3, 6) {
				want = append(want, int32(Hash(g)%uint32(bucket)))
			}
			got := AppendBuckets([]int32{-1}, word, 3, 6, bucket)
			if !slices.Equal(got[1:], want) || got[0] != -1 {
				t.Errorf("AppendBuckets(%q, bucket %d) = %v, want [-1 %v]", word, bucket, got, want)
			}
		}
	}
}

func TestAppendBucketsAllocs(t *testing.T) {
	dst := make([]int32, 0, 64)
	if n := testing.AllocsPerRun(100, func() { dst = AppendBuckets(dst[:0], "unhappiness", 3, 6, 2000000) }); n != 0 {
		t.Errorf("AppendBuckets allocates %v times per call", n)
	}
}

func BenchmarkAppendBuckets(b *testing.B) {
	dst := make([]int32, 0, 64)
	for b.Loop() {
		dst = AppendBuckets(dst[:0], "unhappiness", 3, 6, 2000000)
	}
}
