package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotText is matched (with errors.Is) by the error Open returns for a
// file that holds binary data (an image, an archive, a model) rather than
// text: training on it would "succeed" and learn nothing useful.
var ErrNotText = errors.New("not a text file")

// ErrChanged is matched by the error of a trainer asked to resume a
// checkpoint on another corpus than the one it was trained on (as their
// fingerprints tell).
var ErrChanged = errors.New("not the corpus the checkpoint was trained on")

// sniffLen is how much of each file (after decompression) Open looks at
// for binary data.
const sniffLen = 4096

// checkText returns an error matching ErrNotText when the start of the
// file at path (decompressed if it is gzip) holds a NUL byte, which text
// in any 8-bit encoding or UTF-8 never does. UTF-16 text has them too, and
// is refused as the tokenizer cannot read it either.
func checkText(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	r, err := maybeGunzip(f)
	if err != nil {
		return fmt.Errorf("corpus: %s: %w", path, err)
	}
	buf := make([]byte, sniffLen)
	n, err := io.ReadFull(r, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fmt.Errorf("corpus: reading %s: %w", path, err)
	}
	if i := bytes.IndexByte(buf[:n], 0); i >= 0 {
		return fmt.Errorf("corpus: %s: binary data (a NUL byte at offset %d), %w; give text, plain or gzip, one sentence a line", path, i, ErrNotText)
	}
	return nil
}

// Fingerprint identifies the text of c and how it is tokenised, so that a
// trainer resuming from a checkpoint can tell that it is being given
// another corpus. For files (Open) it hashes each file's size and its
// first and last 64 KiB, which is cheap for any size and changes with any
// edit that changes the size or either end; the names do not count, so a
// moved corpus is still the same. For text in memory (FromString,
// FromReader) it hashes all of it. It returns "" when c cannot tell: a
// derived stream (FromFunc) or a custom opener (New).
func (c *Corpus) Fingerprint() (string, error) {
	if c.fingerprint == nil {
		return "", nil
	}
	return c.fingerprint()
}

// fingerprintHash starts a hash with the tokenisation settings.
func fingerprintHash(opts TokenOptions) (h interface {
	io.Writer
	Sum([]byte) []byte
}) {
	s := sha256.New()
	fmt.Fprintf(s, "wordspace corpus v1\nlower %v strip %v stem %q\n", opts.Lower, opts.StripPunct, opts.Stem)
	return s
}

func fingerprintString(h interface{ Sum([]byte) []byte }) string {
	return "sha256:" + hex.EncodeToString(h.Sum(nil)[:16])
}

func filesFingerprint(files []string, opts TokenOptions) (string, error) {
	h := fingerprintHash(opts)
	const edge = 64 << 10
	buf := make([]byte, edge)
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return "", fmt.Errorf("corpus: %w", err)
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return "", fmt.Errorf("corpus: %w", err)
		}
		binary.Write(h, binary.LittleEndian, st.Size())
		n, err := io.ReadFull(f, buf)
		if err == nil || err == io.ErrUnexpectedEOF || err == io.EOF {
			h.Write(buf[:n])
			if st.Size() > edge {
				n, err = f.ReadAt(buf, max(st.Size()-edge, edge))
				if err == io.EOF {
					err = nil
				}
				h.Write(buf[:n])
			} else {
				err = nil
			}
		}
		f.Close()
		if err != nil {
			return "", fmt.Errorf("corpus: reading %s: %w", p, err)
		}
	}
	return fingerprintString(h), nil
}

func dataFingerprint(data []byte, opts TokenOptions) func() (string, error) {
	return func() (string, error) {
		h := fingerprintHash(opts)
		binary.Write(h, binary.LittleEndian, int64(len(data)))
		h.Write(data)
		return fingerprintString(h), nil
	}
}
