package embed

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is a file format for word vectors.
type Format int

const (
	// Auto detects the format from the content (the zero value).
	Auto Format = iota
	// Text is the word2vec text format: a header line "N D", then one word
	// and its D values a line, separated by spaces. fastText's .vec files
	// use the same format.
	Text
	// Binary is the word2vec binary format of the original C tool and the
	// GoogleNews vectors: a header line "N D", then per word the word, a
	// space and D little-endian float32 values, usually followed by a
	// newline.
	Binary
	// GloVe is headerless text, as written by GloVe and many other tools:
	// one word and its values a line; the dimension is taken from the
	// first line.
	GloVe
	// NPY is a NumPy .npy file holding the N×D matrix (float32 or float64,
	// C or Fortran order) with the vocabulary in a text file beside it, one
	// word a line (optionally a tab and its count): for "vectors.npy" the
	// vocabulary is "vectors.vocab". Its last line, when wordspace wrote
	// it, gives the matrix's rows and checksum (see WriteNPY).
	NPY
)

var formatNames = [...]string{Auto: "auto", Text: "text", Binary: "binary", GloVe: "glove", NPY: "npy"}

// String returns the format's name as ParseFormat accepts it.
func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// describe names the format in error messages.
func (f Format) describe() string {
	switch f {
	case Text:
		return "word2vec text"
	case Binary:
		return "word2vec binary"
	case GloVe:
		return "headerless text"
	case NPY:
		return "npy"
	}
	return f.String()
}

// ParseFormat returns the format named s: "text" (also "vec", "txt",
// "word2vec"), "binary" (also "bin"), "glove", "npy" or "auto".
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "auto", "":
		return Auto, nil
	case "text", "txt", "vec", "word2vec", "fasttext":
		return Text, nil
	case "binary", "bin":
		return Binary, nil
	case "glove":
		return GloVe, nil
	case "npy":
		return NPY, nil
	}
	return Auto, fmt.Errorf("embed: unknown format %q (want text, binary, glove or npy)", s)
}

// FormatFromPath guesses a format from a file name's extension, ignoring a
// trailing ".gz": ".bin" is Binary, ".txt" and ".vec" are Text, ".npy" is
// NPY, and a name containing "glove" with a ".txt" extension is GloVe. It
// returns Auto when the name says nothing.
func FormatFromPath(path string) Format {
	base := strings.ToLower(filepath.Base(path))
	base = strings.TrimSuffix(base, ".gz")
	switch filepath.Ext(base) {
	case ".bin":
		return Binary
	case ".npy":
		return NPY
	case ".vec", ".w2v":
		return Text
	case ".txt":
		if strings.Contains(base, "glove") {
			return GloVe
		}
		return Text
	case ".glove":
		return GloVe
	}
	return Auto
}

// VocabPath returns the vocabulary file that goes with the .npy file path:
// the name without ".npy" (and ".gz") plus ".vocab".
func VocabPath(npyPath string) string {
	p := strings.TrimSuffix(npyPath, ".gz")
	p = strings.TrimSuffix(p, ".npy")
	return p + ".vocab"
}
