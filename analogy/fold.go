package analogy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// upper returns s upper-cased the way Python's str.upper does, which is
// how gensim compares words case-insensitively: Unicode simple upper-case
// mapping plus the unconditional full mappings that turn one character
// into several (ß → SS, ﬁ → FI, ...). Two words are the same
// case-insensitively when their upper forms are equal.
func upper(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if m, ok := fullUpper[r]; ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// fullUpper holds the unconditional one-to-many upper-case mappings of
// Unicode's SpecialCasing.txt that occur in Latin and Armenian text.
// (Greek letters with iota subscript also expand; they are rare enough in
// word lists to leave to the simple mapping.)
var fullUpper = map[rune]string{
	'ß': "SS",
	'ŉ': "ʼN",
	'ǰ': "J̌",
	'ẖ': "H̱",
	'ẗ': "T̈",
	'ẘ': "W̊",
	'ẙ': "Y̊",
	'ẚ': "Aʾ",
	'ﬀ': "FF",
	'ﬁ': "FI",
	'ﬂ': "FL",
	'ﬃ': "FFI",
	'ﬄ': "FFL",
	'ﬅ': "ST",
	'ﬆ': "ST",
	'և': "ԵՒ",
	'ﬓ': "ՄՆ",
	'ﬔ': "ՄԵ",
	'ﬕ': "ՄԻ",
	'ﬖ': "ՎՆ",
	'ﬗ': "ՄԽ",
}
