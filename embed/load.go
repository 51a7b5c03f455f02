package embed

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/wordspace/wordspace/internal/readfile"
)

// LoadOptions controls Load, Read and ReadNPY. The zero value reads every
// word, detects the format and keeps words that are not valid UTF-8 byte
// for byte.
type LoadOptions struct {
	// Limit reads only the first Limit words of the file, like gensim's
	// limit= argument; the rest of the file is not read. 0 (or less)
	// means no limit.
	Limit int
	// StrictUTF8 makes a word that is not valid UTF-8 an error. By
	// default such words are kept byte for byte (the GoogleNews vectors
	// hold a few).
	StrictUTF8 bool
	// Format reads the input as this format instead of detecting it;
	// Auto (the zero value) detects.
	Format Format
}

// Read buffer sizes: big files get a large buffer, so that a binary row of
// a few thousand dimensions is decoded straight out of it and reads are
// few; small inputs a small one, so that reading many of them is cheap.
const (
	smallBuf = 64 << 10
	bigBuf   = 1 << 20
)

// unbackedBudget is how many bytes of vectors are allocated up front on
// the word of a header alone, when the input's size is unknown; beyond it
// the matrix grows as rows actually arrive.
const unbackedBudget = 1 << 20

// gzipRatio bounds the up-front allocation for a gzip file: the vectors
// are assumed to take at most this many times the compressed size.
const gzipRatio = 8

// MaxWordLen bounds a word's length in bytes. Real vocabularies stay far
// below it; a longer "word" in a file means the file is not what it claims
// to be, so the readers refuse it, NewVocab refuses it too, and package
// corpus cuts longer tokens to this length, so that whatever is trained
// can be saved and read back.
const MaxWordLen = 1024

// Load reads word vectors from the file at path. The format is detected
// from the content (word2vec text or binary, headerless text, .npy) unless
// opts.Format says otherwise, and gzip compression is detected from the
// magic bytes. For .npy files the vocabulary is read from VocabPath(path).
func Load(path string, opts LoadOptions) (*Embeddings, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	e, err := read(f, size, opts, func() (io.ReadCloser, error) { return os.Open(VocabPath(path)) })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// Read reads word vectors from r, detecting the format (unless
// opts.Format says otherwise) and gzip compression. An .npy matrix needs
// its vocabulary too: use ReadNPY or Load for those.
func Read(r io.Reader, opts LoadOptions) (*Embeddings, error) {
	return read(r, readfile.Remaining(r), opts, nil)
}

func read(r io.Reader, size int64, cfg LoadOptions, openVocab func() (io.ReadCloser, error)) (*Embeddings, error) {
	bufSize := smallBuf
	switch {
	case size > 64<<20:
		bufSize = bigBuf
	case size >= 0 && size < smallBuf:
		bufSize = int(size) + 64 // the whole input, and room to see its end
	}
	budget := int64(unbackedBudget)
	if size >= 0 {
		budget = size
	}
	br := bufio.NewReaderSize(r, bufSize)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &FormatError{Format: cfg.Format, Msg: "bad gzip header", Err: err}
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, bufSize)
		if size >= 0 {
			budget = max(budget, gzipRatio*size)
		}
		size = -1 // the uncompressed size is unknown until the end
	}
	format := cfg.Format
	if format == Auto {
		var err error
		if format, err = detect(br); err != nil {
			return nil, err
		}
	}
	src := &source{br: br, size: size, budget: budget, format: format, cfg: cfg}
	switch format {
	case Text, GloVe:
		return src.readText()
	case Binary:
		return src.readBinary()
	case NPY:
		if openVocab == nil {
			return nil, fmt.Errorf("embed: an .npy matrix needs its vocabulary: use ReadNPY or Load")
		}
		vf, err := openVocab()
		if err != nil {
			return nil, fmt.Errorf("embed: npy vocabulary: %w", err)
		}
		defer vf.Close()
		return readNPY(src, vf)
	}
	return nil, fmt.Errorf("embed: cannot read format %v", format)
}

// npyMagic starts every .npy file.
const npyMagic = "\x93NUMPY"

// detect looks at the start of the stream without consuming it and names
// its format.
func detect(br *bufio.Reader) (Format, error) {
	head, err := br.Peek(min(64<<10, br.Size()))
	if len(head) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return Auto, &FormatError{Format: Auto, Offset: 0, Msg: "empty file"}
		}
		if corrupt(err) {
			return Auto, &FormatError{Format: Auto, Offset: 0, Msg: "corrupt gzip data", Err: err}
		}
		return Auto, fmt.Errorf("embed: read: %w", err)
	}
	if bytes.HasPrefix(head, []byte(npyMagic)) {
		return NPY, nil
	}
	nl := bytes.IndexByte(head, '\n')
	var dim int
	ok := nl >= 0
	if ok {
		_, dim, ok = parseHeader(head[:nl])
	}
	if !ok {
		// Headerless text has no NUL bytes; without the word2vec
		// header, such a file (an image, an archive) holds no vectors.
		if at := bytes.IndexByte(head, 0); at >= 0 {
			return Auto, &FormatError{Format: Auto, Offset: int64(at),
				Msg: "not a vector file: binary data (a NUL byte) and no word2vec header"}
		}
		return GloVe, nil
	}
	// A header: text or binary? In text the first row is a word and dim
	// numbers; in binary it is a word and raw bytes, which essentially
	// never form dim valid numbers on one line.
	rest := head[nl+1:]
	for len(rest) > 0 && rest[0] == '\n' {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return Text, nil
	}
	if end := bytes.IndexByte(rest, '\n'); end >= 0 {
		rest = rest[:end]
	} else if whole := err != nil || len(head) < 64<<10; !whole {
		// The row does not fit in the window: judge by its characters.
		return guessByCharset(rest), nil
	} // else the input ends without a newline: judge the whole row.
	rest = trimRight(rest)
	fields := splitFields(rest, nil)
	if len(fields)-1 < dim { // not dim+1, which overflows for a dimension of 2^63-1
		return Binary, nil
	}
	parsed := true
	for _, f := range fields[len(fields)-dim:] {
		if _, err := strconv.ParseFloat(string(f), 32); err != nil {
			parsed = false
		}
	}
	if parsed || len(fields) == dim+1 && printable(rest[fieldSpans(rest, nil)[0].end:]) {
		// A row of dim numbers, or of dim fields of plain text of which
		// some are not numbers: the text reader will say which.
		return Text, nil
	}
	return Binary, nil
}

// printable reports whether b is plain ASCII text without control bytes.
func printable(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\r') || c >= 0x7f {
			return false
		}
	}
	return true
}

func guessByCharset(row []byte) Format {
	i := bytes.IndexAny(row, " \t")
	if i < 0 {
		return Binary
	}
	for _, c := range row[i:] {
		if !bytes.ContainsRune([]byte("0123456789+-.eE \t\rnaifNAIFty"), rune(c)) {
			return Binary
		}
	}
	return Text
}

// parseHeader parses a word2vec header line "N D".
func parseHeader(line []byte) (n, dim int, ok bool) {
	fields := splitFields(trimSpace(line), nil)
	if len(fields) != 2 {
		return 0, 0, false
	}
	a, err1 := strconv.ParseUint(string(fields[0]), 10, 63)
	b, err2 := strconv.ParseUint(string(fields[1]), 10, 63)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return int(a), int(b), true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// splitFields appends the space- or tab-separated fields of line to dst.
func splitFields(line []byte, dst [][]byte) [][]byte {
	var spans []span
	for _, sp := range fieldSpans(line, spans) {
		dst = append(dst, line[sp.start:sp.end:sp.end])
	}
	return dst
}

// span is the position of a field in a line.
type span struct{ start, end int }

// fieldSpans appends the positions of the space- or tab-separated fields
// of line to dst.
func fieldSpans(line []byte, dst []span) []span {
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			break
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		dst = append(dst, span{i, j})
		i = j
	}
	return dst
}

// source is an input being parsed, with the position reached for error
// messages.
type source struct {
	br     *bufio.Reader
	size   int64 // bytes in the stream, or -1 when unknown
	budget int64 // bytes of vectors that may be allocated before they arrive
	off    int64 // bytes consumed so far
	at     int64 // offset of the line or row being parsed, for errors
	line   int   // lines consumed so far (text formats)
	format Format
	cfg    LoadOptions
	long   []byte // a line longer than the read buffer
}

func (s *source) errorf(word string, cause error, format string, args ...any) error {
	return &FormatError{Format: s.format, Line: s.line, Offset: s.at, Word: word, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// rowCapacity returns how many rows of dim values to allocate up front
// for a file that claims n rows: all of them when the stream's size is
// known (the caller has checked that it can hold them), else as many as
// the budget allows; the matrix then grows as rows actually arrive.
func (s *source) rowCapacity(n, dim int) int {
	if s.cfg.Limit > 0 && s.cfg.Limit < n {
		n = s.cfg.Limit
	}
	if s.size >= 0 {
		return n
	}
	// A row also costs a word and a map entry: count about 64 bytes for those.
	return int(min(int64(n), s.budget/(4*int64(dim)+64)))
}

// readErr turns an error from the underlying reader into the error to
// return: corrupt compressed data is malformed input, anything else an
// I/O error.
func (s *source) readErr(err error) error {
	if corrupt(err) {
		s.at = s.off
		return s.errorf("", err, "corrupt gzip data")
	}
	return fmt.Errorf("embed: read: %w", err)
}

// corrupt reports whether err comes from bad compressed data.
func corrupt(err error) bool {
	var ce flate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &ce) || errors.Is(err, io.ErrUnexpectedEOF)
}

// checkWord validates a word read from the input.
func (s *source) checkWord(w []byte) error {
	switch {
	case len(w) == 0:
		return s.errorf("", nil, "empty word")
	case len(w) > MaxWordLen:
		return s.errorf(string(w[:64]), nil, "word of %d bytes is longer than the limit of %d", len(w), MaxWordLen)
	case s.cfg.StrictUTF8 && !utf8.Valid(w):
		return s.errorf(string(w), nil, "word is not valid UTF-8")
	}
	return nil
}

// vocabBuilder gathers the words of a file in order.
type vocabBuilder struct {
	words []string
	index map[string]int
}

func newVocabBuilder(capacity int) vocabBuilder {
	return vocabBuilder{words: make([]string, 0, capacity), index: make(map[string]int, capacity)}
}

// add checks word and appends it, rejecting a repeated word.
func (b *vocabBuilder) add(s *source, word []byte) (string, error) {
	if err := s.checkWord(word); err != nil {
		return "", err
	}
	w := string(word)
	n := len(b.index)
	b.index[w] = len(b.words) // one map operation both inserts and detects a repeat
	if len(b.index) == n {
		j := slices.Index(b.words, w)
		return "", s.errorf(w, ErrDuplicateWord, "word %d repeats word %d", len(b.words)+1, j+1)
	}
	b.words = append(b.words, w)
	return w, nil
}

// build makes the Embeddings from what a reader gathered; the words are
// distinct and the values finite, checked as they were read.
func build(v vocabBuilder, counts []int64, dim int, data []float32) *Embeddings {
	return &Embeddings{vocab: &Vocab{words: v.words, index: v.index, counts: counts}, dim: dim, data: data}
}
