package analogy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Question is one analogy question: A is to B as C is to one of Answers.
// The Google and MSR sets give one answer; BATS lists alternatives, any of
// which counts as correct.
type Question struct {
	A, B, C string
	Answers []string
	// Line is the question's line in its file (1-based), 0 when it was
	// generated, as BATS questions are from two lines.
	Line int
}

// String writes the question as "a:b::c:d".
func (q Question) String() string {
	return q.A + ":" + q.B + "::" + q.C + ":" + strings.Join(q.Answers, "/")
}

// Section is a named group of questions testing one relation.
type Section struct {
	Name string
	// Syntactic marks relations of form rather than meaning: the Google
	// set's gram* sections, every MSR question, BATS inflectional and
	// derivational morphology. The others count as semantic.
	Syntactic bool
	Questions []Question
}

// ErrNoQuestions is returned by the readers for input that holds no
// question at all.
var ErrNoQuestions = errors.New("no analogy questions")

// ErrFormat is matched (with errors.Is) by every error about malformed
// benchmark input; a *FormatError says where the problem is.
var ErrFormat = errors.New("malformed benchmark file")

// FormatError describes malformed benchmark input: the file (when known),
// the line and what is wrong with it.
type FormatError struct {
	File string // "" when reading a stream with no name
	Line int    // 1-based; 0 for the file as a whole
	Msg  string
}

func (e *FormatError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("analogy: %s:%d: %s: %v", e.File, e.Line, e.Msg, ErrFormat)
	case e.File != "":
		return fmt.Sprintf("analogy: %s: %s: %v", e.File, e.Msg, ErrFormat)
	case e.Line > 0:
		return fmt.Sprintf("analogy: line %d: %s: %v", e.Line, e.Msg, ErrFormat)
	}
	return fmt.Sprintf("analogy: %s: %v", e.Msg, ErrFormat)
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// maxLine bounds one line of a benchmark file; longer lines are an error,
// not an allocation.
const maxLine = 1 << 20

func formatError(name string, line int, format string, args ...any) error {
	return &FormatError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// scanLines calls fn for every line of r with its 1-based number, the
// line's text without the newline, and checks each line is UTF-8.
func scanLines(r io.Reader, name string, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		if !utf8.Valid(b) {
			return formatError(name, n, "not valid UTF-8")
		}
		if err := fn(n, string(b)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return formatError(name, n+1, "line longer than %d bytes", maxLine)
		}
		return fmt.Errorf("analogy: reading %s: %w", nameOr(name), err)
	}
	return nil
}

func nameOr(name string) string {
	if name == "" {
		return "input"
	}
	return name
}

func countQuestions(secs []Section) int {
	n := 0
	for _, s := range secs {
		n += len(s.Questions)
	}
	return n
}

// ReadGoogle reads the Google analogy format of questions-words.txt: a
// line ": name" starts a section, every other non-blank line holds four
// words "a b c d" separated by spaces or tabs. Sections whose name starts
// with "gram" are syntactic. A line with another number of words, or a
// question before the first section header, is an error naming the line;
// a section without questions is kept, empty.
func ReadGoogle(r io.Reader) ([]Section, error) { return readGoogle(r, "") }

func readGoogle(r io.Reader, name string) ([]Section, error) {
	var secs []Section
	err := scanLines(r, name, func(n int, line string) error {
		if strings.HasPrefix(line, ":") {
			// gensim: line.lstrip(': ').strip()
			title := strings.TrimSpace(strings.TrimLeft(line, ": "))
			if title == "" {
				return formatError(name, n, "section header without a name")
			}
			secs = append(secs, Section{Name: title, Syntactic: strings.HasPrefix(title, "gram")})
			return nil
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			return nil
		}
		if len(secs) == 0 {
			return formatError(name, n, "question before the first \": section\" header")
		}
		if len(f) != 4 {
			return formatError(name, n, "want 4 words \"a b c d\", got %d", len(f))
		}
		s := &secs[len(secs)-1]
		s.Questions = append(s.Questions, Question{A: f[0], B: f[1], C: f[2], Answers: []string{f[3]}, Line: n})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if countQuestions(secs) == 0 {
		return nil, fmt.Errorf("analogy: %s: %w", nameOr(name), ErrNoQuestions)
	}
	return secs, nil
}

// ReadMSR reads the MSR analogy set (Mikolov, Yih and Zweig 2013) in its
// one-file form: one question "a b c d" per line, blank lines and lines
// starting with '#' ignored. All questions go into one syntactic section
// named "msr".
func ReadMSR(r io.Reader) ([]Section, error) { return readMSR(r, "") }

func readMSR(r io.Reader, name string) ([]Section, error) {
	sec := Section{Name: "msr", Syntactic: true}
	err := scanLines(r, name, func(n int, line string) error {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			return nil
		}
		if len(f) != 4 {
			return formatError(name, n, "want 4 words \"a b c d\", got %d", len(f))
		}
		sec.Questions = append(sec.Questions, Question{A: f[0], B: f[1], C: f[2], Answers: []string{f[3]}, Line: n})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(sec.Questions) == 0 {
		return nil, fmt.Errorf("analogy: %s: %w", nameOr(name), ErrNoQuestions)
	}
	return []Section{sec}, nil
}

// ReadMSRSplit reads the MSR set as originally distributed: questions
// holds "a b c" lines (word_relationship.questions) and answers the
// matching "TAG d" lines (word_relationship.answers), where TAG names the
// relation, such as JJ_JJR. Each tag becomes a syntactic section, in order
// of first appearance.
func ReadMSRSplit(questions, answers io.Reader) ([]Section, error) {
	return readMSRSplit(questions, answers, "questions", "answers")
}

func readMSRSplit(questions, answers io.Reader, qname, aname string) ([]Section, error) {
	type ans struct {
		tag, word string
	}
	var as []ans
	err := scanLines(answers, aname, func(n int, line string) error {
		f := strings.Fields(line)
		if len(f) == 0 {
			return nil
		}
		if len(f) != 2 {
			return formatError(aname, n, "want \"TAG answer\", got %d fields", len(f))
		}
		as = append(as, ans{f[0], f[1]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var secs []Section
	bySec := map[string]int{}
	k := 0
	err = scanLines(questions, qname, func(n int, line string) error {
		f := strings.Fields(line)
		if len(f) == 0 {
			return nil
		}
		if len(f) != 3 {
			return formatError(qname, n, "want 3 words \"a b c\", got %d", len(f))
		}
		if k >= len(as) {
			return formatError(qname, n, "question %d has no line in %s (it has %d answers)", k+1, aname, len(as))
		}
		a := as[k]
		k++
		i, ok := bySec[a.tag]
		if !ok {
			i = len(secs)
			bySec[a.tag] = i
			secs = append(secs, Section{Name: a.tag, Syntactic: true})
		}
		secs[i].Questions = append(secs[i].Questions, Question{A: f[0], B: f[1], C: f[2], Answers: []string{a.word}, Line: n})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if k != len(as) {
		return nil, &FormatError{Msg: fmt.Sprintf("%d questions in %s but %d answers in %s", k, qname, len(as), aname)}
	}
	if k == 0 {
		return nil, fmt.Errorf("analogy: %s: %w", qname, ErrNoQuestions)
	}
	return secs, nil
}

// ReadBATS reads a BATS-style directory tree (Gladkova, Drozd and Matsuoka
// 2016): every .txt file below the root is one relation, each line
// "word<TAB>answer1/answer2/..." (a single space works as well as the
// tab). Every ordered pair of two lines (a, a'), (c, c') of a file becomes
// the question a:a'[0]::c:?, and any of c's answers counts as correct.
// Files are read in path order and named after their base name without
// extension; names starting with I or D (inflectional and derivational
// morphology in BATS) are syntactic, the others semantic. A file of more
// than 1,000 pairs (a million questions) is an error.
func ReadBATS(fsys fs.FS) ([]Section, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if p != "." && strings.HasPrefix(base, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(base), ".txt") && !strings.HasPrefix(strings.ToLower(base), "readme") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analogy: reading BATS directory: %w", err)
	}
	sort.Strings(files)
	var secs []Section
	for _, p := range files {
		s, err := readBATSFile(fsys, p)
		if err != nil {
			return nil, err
		}
		secs = append(secs, s)
	}
	if countQuestions(secs) == 0 {
		return nil, fmt.Errorf("analogy: BATS directory (%d relation files): %w", len(files), ErrNoQuestions)
	}
	return secs, nil
}

func readBATSFile(fsys fs.FS, p string) (Section, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return Section{}, fmt.Errorf("analogy: %w", err)
	}
	defer f.Close()
	pairs, err := readBATSPairs(f, p)
	if err != nil {
		return Section{}, err
	}
	name := strings.TrimSuffix(path.Base(p), path.Ext(p))
	sec := Section{Name: name, Syntactic: strings.HasPrefix(name, "I") || strings.HasPrefix(name, "D")}
	for i, x := range pairs {
		for j, y := range pairs {
			if i == j || x.word == y.word {
				continue
			}
			sec.Questions = append(sec.Questions, Question{A: x.word, B: x.answers[0], C: y.word, Answers: y.answers})
		}
	}
	return sec, nil
}

type batsPair struct {
	word    string
	answers []string
}

// maxBATSPairs bounds the pairs of one BATS relation file, which become
// about their square in questions (BATS has 50 a file): a larger file is
// an error, not gigabytes of questions.
const maxBATSPairs = 1000

func readBATSPairs(r io.Reader, name string) ([]batsPair, error) {
	var pairs []batsPair
	err := scanLines(r, name, func(n int, line string) error {
		if strings.TrimSpace(line) == "" {
			return nil
		}
		if len(pairs) == maxBATSPairs {
			return formatError(name, n, "more than %d pairs in one relation (BATS has 50)", maxBATSPairs)
		}
		var word, rest string
		if i := strings.IndexByte(line, '\t'); i >= 0 {
			word, rest = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		} else if f := strings.Fields(line); len(f) == 2 {
			word, rest = f[0], f[1]
		} else {
			return formatError(name, n, "want \"word<TAB>answer1/answer2\", got %q", line)
		}
		if word == "" || strings.ContainsAny(word, " \t") || rest == "" {
			return formatError(name, n, "want \"word<TAB>answer1/answer2\", got %q", line)
		}
		var answers []string
		for _, a := range strings.Split(rest, "/") {
			if a = strings.TrimSpace(a); a != "" {
				answers = append(answers, a)
			}
		}
		if len(answers) == 0 {
			return formatError(name, n, "no answer after %q", word)
		}
		pairs = append(pairs, batsPair{word, answers})
		return nil
	})
	return pairs, err
}

// LoadQuestions reads an analogy benchmark from path: a directory is read
// as BATS; a file whose first non-blank line starts with ':' as the Google
// format; a file named X.questions with an X.answers beside it as the
// split MSR form; any other file as one-line-per-question MSR.
func LoadQuestions(path string) ([]Section, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("analogy: %w", err)
	}
	if st.IsDir() {
		secs, err := ReadBATS(os.DirFS(path))
		if err != nil {
			return nil, fmt.Errorf("%w (in %s)", err, path)
		}
		return secs, nil
	}
	if strings.HasSuffix(path, ".questions") {
		ans := strings.TrimSuffix(path, ".questions") + ".answers"
		if _, err := os.Stat(ans); err == nil {
			qf, err := os.Open(path)
			if err != nil {
				return nil, fmt.Errorf("analogy: %w", err)
			}
			defer qf.Close()
			af, err := os.Open(ans)
			if err != nil {
				return nil, fmt.Errorf("analogy: %w", err)
			}
			defer af.Close()
			return readMSRSplit(qf, af, filepath.Base(path), filepath.Base(ans))
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("analogy: %w", err)
	}
	defer f.Close()
	return readGoogleOrMSR(f, filepath.Base(path))
}

// readGoogleOrMSR reads the Google format if the first non-blank line
// starts with ':', the one-file MSR format otherwise.
func readGoogleOrMSR(r io.Reader, name string) ([]Section, error) {
	br := bufio.NewReader(r)
	google, err := looksGoogle(br)
	if err != nil {
		return nil, fmt.Errorf("analogy: reading %s: %w", nameOr(name), err)
	}
	if google {
		return readGoogle(br, name)
	}
	return readMSR(br, name)
}

// looksGoogle peeks at the first non-blank line without consuming it.
func looksGoogle(br *bufio.Reader) (bool, error) {
	for n := 512; ; n *= 4 {
		b, err := br.Peek(n)
		t := bytes.TrimLeft(b, " \t\r\n")
		if len(t) > 0 {
			return t[0] == ':', nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull) {
				return false, nil
			}
			return false, err
		}
	}
}
