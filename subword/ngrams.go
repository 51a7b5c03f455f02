package subword

// EOS is the token fastText puts at the end of every line. It is the one
// word fastText never splits into n-grams: known or not, it has no
// subword rows.
const EOS = "</s>"

// Hash is fastText's hash of a string: 32-bit FNV-1a, except that each
// byte is sign-extended to 32 bits before it is mixed in (fastText casts
// the byte through int8_t), so bytes ≥ 0x80 (every byte of a non-ASCII
// UTF-8 character) hash differently from plain FNV-1a. Models are only
// interchangeable with fastText's if this quirk is kept.
func Hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(int32(int8(s[i])))
		h *= 16777619
	}
	return h
}

// Ngrams returns the character n-grams of word as fastText extracts them:
// word is wrapped in "<" and ">", and every run of minn to maxn UTF-8
// characters is an n-gram, except the lone "<" and ">" (when minn is 1).
// They come in fastText's order: by starting character, shortest first.
// The word itself, wrapped, is among them when it is short enough, as in
// fastText. Characters are found by their bytes alone (a byte 10xxxxxx
// continues a character), as fastText does, so invalid UTF-8 is split the
// same way by both.
func Ngrams(word string, minn, maxn int) []string {
	var out []string
	g := newNgrams(word, minn, maxn)
	for g.next() {
		out = append(out, string(g.w[g.i:g.j]))
	}
	return out
}

// AppendBuckets appends the bucket of each n-gram of word (in Ngrams'
// order) to dst and returns it: the n-gram's Hash modulo bucket, which
// must be positive. In a model, bucket b is row Vocab().Len()+b of the
// input matrix. It allocates nothing for words of up to 60 bytes.
func AppendBuckets(dst []int32, word string, minn, maxn, bucket int) []int32 {
	g := newNgrams(word, minn, maxn)
	for g.next() {
		dst = append(dst, int32(g.h%uint32(bucket)))
	}
	return dst
}

// ngrams walks the n-grams w[i:j] of "<"+word+">", with their hashes h.
// The hashes of the n-grams starting at one character are computed
// incrementally, each extending the last.
type ngrams struct {
	w          []byte
	minn, maxn int
	i, j, n    int
	h          uint32
	buf        [64]byte
}

func newNgrams(word string, minn, maxn int) ngrams {
	g := ngrams{minn: minn, maxn: maxn, i: -1}
	if word != EOS && maxn > 0 {
		g.w = append(append(append(g.buf[:0], '<'), word...), '>')
	}
	return g
}

// next moves to the next n-gram and reports whether there is one.
func (g *ngrams) next() bool {
	w := g.w
	for {
		if g.i < 0 || g.n >= g.maxn || g.j >= len(w) {
			// Start at the next character.
			g.i++
			for g.i < len(w) && w[g.i]&0xC0 == 0x80 {
				g.i++
			}
			if g.i >= len(w) {
				return false
			}
			g.j, g.n, g.h = g.i, 0, 2166136261
		}
		// Extend by one character.
		for first := true; g.j < len(w) && (first || w[g.j]&0xC0 == 0x80); first = false {
			g.h ^= uint32(int32(int8(w[g.j])))
			g.h *= 16777619
			g.j++
		}
		g.n++
		if g.n >= g.minn && !(g.n == 1 && (g.i == 0 || g.j == len(w))) {
			return true
		}
	}
}
