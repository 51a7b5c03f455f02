package analogy

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
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
// words "a b c d" separated by spaces or tabs. Whether a section is
// syntactic is decided by IsSyntactic. A line with another number of
// words, or a question before the first section header, is an error naming
// the line; a section without questions is kept, empty.
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
			secs = append(secs, Section{Name: title})
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
	for i := range secs {
		secs[i].Syntactic = IsSyntactic(secs[i].Name, secs[i].Questions)
	}
	return secs, nil
}

// googleSemantic are the names of the Google set's semantic sections.
var googleSemantic = map[string]bool{
	"capital-common-countries": true, "capital-world": true, "currency": true, "city-in-state": true, "family": true,
}

// msrTag matches the MSR set's relation tags (JJ_JJR, NN_NNS, VBZ_VBD,
// NN_NNPOS, ...), every one of them a relation of form.
var msrTag = regexp.MustCompile(`^[A-Z]+_[A-Z]+$`)

// IsSyntactic says whether a section of questions tests a relation of
// form (plural, tense, comparative) rather than of meaning. The name
// decides when it can: the Google set's "gram..." sections and the MSR
// set's tags (JJ_JJR, ...) are syntactic, the Google set's five semantic
// sections are not. Any other name (the MSR set in questions-words form
// comes with a single ": all" header, for instance) is decided by the
// questions: syntactic when at least half of their word pairs (a, b) and
// (c, d) share their first three letters or one holds the other
// (city/cities, walk/walked, aware/unaware, but not good/better; capitals
// and countries, he/she or king/queen do not). On the Google set with its
// names removed, this gives every section its right kind.
func IsSyntactic(name string, questions []Question) bool {
	switch {
	case strings.HasPrefix(name, "gram") || msrTag.MatchString(name):
		return true
	case googleSemantic[name] || len(questions) == 0:
		return false
	}
	form := 0
	for _, q := range questions {
		if sharedStem(q.A, q.B) {
			form++
		}
		if sharedStem(q.C, q.Answers[0]) {
			form++
		}
	}
	return form >= len(questions) // half of the 2×len pairs
}

// sharedStem reports whether a and b (ignoring case) start with the same
// three letters (walk/walked; for shorter words, all of them), or one of
// at least three letters lies inside the other (aware/unaware).
func sharedStem(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	ra, rb := []rune(a), []rune(b)
	n := min(3, len(ra), len(rb))
	if n > 0 && string(ra[:n]) == string(rb[:n]) {
		return true
	}
	return len(ra) >= 3 && strings.Contains(b, a) || len(rb) >= 3 && strings.Contains(a, b)
}

// ReadCSV reads analogy questions from a CSV file with a header row naming
// the columns word1, word2, word3 and target, and optionally type (the
// relation), in any order and among other columns, as vecto distributes
// the MSR set (header ",type,word1,word2,word3,target", the first column
// a row number). Each type becomes a section, in order of first
// appearance, syntactic or not as IsSyntactic says; without a type column
// every question goes into one section named "csv".
func ReadCSV(r io.Reader) ([]Section, error) { return readCSV(r, "") }

func readCSV(r io.Reader, name string) ([]Section, error) {
	cr := csv.NewReader(io.LimitReader(r, 1<<30))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(name, err, 1)
	}
	col := map[string]int{"type": -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup || h == "type" {
			col[h] = i
		}
	}
	for _, c := range []string{"word1", "word2", "word3", "target"} {
		if _, ok := col[c]; !ok {
			return nil, formatError(name, 1, "CSV header without a %q column (want word1, word2, word3, target and optionally type)", c)
		}
	}
	var secs []Section
	bySec := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err, 0)
		}
		line, _ := cr.FieldPos(0)
		field := func(c string) (string, error) {
			i := col[c]
			if i >= len(rec) {
				return "", formatError(name, line, "%d fields, no %s column", len(rec), c)
			}
			f := strings.TrimSpace(rec[i])
			if !isWord(f) {
				return "", formatError(name, line, "%s %q is not one word", c, f)
			}
			return f, nil
		}
		var w [4]string
		for i, c := range []string{"word1", "word2", "word3", "target"} {
			if w[i], err = field(c); err != nil {
				return nil, err
			}
		}
		sec := "csv"
		if col["type"] >= 0 {
			if sec, err = field("type"); err != nil {
				return nil, err
			}
		}
		i, ok := bySec[sec]
		if !ok {
			i = len(secs)
			bySec[sec] = i
			secs = append(secs, Section{Name: sec})
		}
		secs[i].Questions = append(secs[i].Questions, Question{A: w[0], B: w[1], C: w[2], Answers: []string{w[3]}, Line: line})
	}
	if countQuestions(secs) == 0 {
		return nil, fmt.Errorf("analogy: %s: %w", nameOr(name), ErrNoQuestions)
	}
	for i := range secs {
		secs[i].Syntactic = IsSyntactic(secs[i].Name, secs[i].Questions)
	}
	return secs, nil
}

// csvError turns an error of encoding/csv into a FormatError.
func csvError(name string, err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return formatError(name, pe.Line, "CSV: %v", pe.Err)
	}
	if errors.Is(err, csv.ErrFieldCount) {
		return formatError(name, line, "CSV: %v", err)
	}
	if err == io.EOF {
		return fmt.Errorf("analogy: %s: %w", nameOr(name), ErrNoQuestions)
	}
	return fmt.Errorf("analogy: reading %s: %w", nameOr(name), err)
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
	return ReadBATSRelation(f, p)
}

// ReadBATSRelation reads one BATS relation file ("word<TAB>answer1/answer2"
// lines, as ReadBATS reads each file of the tree) into a section named
// after name's base name without extension, syntactic when that starts
// with I or D as in BATS.
func ReadBATSRelation(r io.Reader, name string) (Section, error) {
	pairs, err := readBATSPairs(r, name)
	if err != nil {
		return Section{}, err
	}
	base := strings.TrimSuffix(path.Base(filepath.ToSlash(name)), path.Ext(name))
	sec := Section{Name: base, Syntactic: strings.HasPrefix(base, "I") || strings.HasPrefix(base, "D")}
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
		if !isWord(word) || rest == "" {
			return formatError(name, n, "want \"word<TAB>answer1/answer2\", got %q", line)
		}
		var answers []string
		for _, a := range strings.Split(rest, "/") {
			if a = strings.Join(strings.Fields(a), " "); a != "" { // a multi-word answer, spaced once
				answers = append(answers, a)
			}
		}
		if len(answers) == 0 {
			return formatError(name, n, "no answer after %q", word)
		}
		// The first one-word answer is the b of the questions this pair
		// asks; multi-word answers may only be accepted answers.
		i := slices.IndexFunc(answers, func(a string) bool { return !strings.Contains(a, " ") })
		if i < 0 {
			return formatError(name, n, "no one-word answer after %q", word)
		}
		answers[0], answers[i] = answers[i], answers[0]
		pairs = append(pairs, batsPair{word, answers})
		return nil
	})
	return pairs, err
}

// LoadQuestions reads an analogy benchmark from path, in whichever of the
// forms it is distributed in: a directory is read as BATS; a file named
// X.questions with an X.answers beside it as the split MSR form; any other
// file by its first line that is not blank (or a "#" comment): ": name"
// starts the Google format (questions-words.txt, also the MSR set in that
// form), a CSV header naming word1, word2, word3 and target the CSV form
// (ReadCSV), four words a line of MSR questions, two (a tab or a space
// between them) a BATS relation file. A file that fits none of them is an
// error that says which forms were tried.
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
	return readQuestionsFile(f, filepath.Base(path))
}

// readQuestionsFile reads one file in the format its first line that is
// neither blank nor a comment shows: Google, CSV, MSR or a BATS relation.
func readQuestionsFile(r io.Reader, name string) ([]Section, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	first, n, err := firstLine(br)
	if err != nil {
		return nil, fmt.Errorf("analogy: reading %s: %w", nameOr(name), err)
	}
	fields := strings.Fields(first)
	switch {
	case first == "":
		return nil, fmt.Errorf("analogy: %s: %w", name, ErrNoQuestions)
	case strings.HasPrefix(first, ":"):
		return readGoogle(br, name)
	case isCSVHeader(first):
		return readCSV(br, name)
	case len(fields) == 4:
		return readMSR(br, name)
	case len(fields) == 2 || strings.Count(first, "\t") == 1:
		sec, err := ReadBATSRelation(br, name)
		if err != nil {
			return nil, err
		}
		if len(sec.Questions) == 0 {
			return nil, fmt.Errorf("analogy: %s: %w (a BATS relation file needs two pairs)", name, ErrNoQuestions)
		}
		return []Section{sec}, nil
	}
	return nil, formatError(name, n, "not a known analogy format: line %q fits none of Google (\": section\" headers, then \"a b c d\" lines), "+
		"MSR (\"a b c d\" lines, X.questions with X.answers, or CSV with word1,word2,word3,target columns) "+
		"and BATS (\"word<TAB>answer1/answer2\" lines, or a directory of such files)", truncate(first, 60))
}

// isCSVHeader reports whether line looks like the header of ReadCSV's
// form: comma-separated, naming word1.
func isCSVHeader(line string) bool {
	l := strings.ToLower(line)
	return strings.Contains(l, ",") && strings.Contains(l, "word1")
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}

// firstLine peeks at the first line that is neither blank nor a "#"
// comment, without consuming anything, and returns it with its number.
func firstLine(br *bufio.Reader) (string, int, error) {
	for size := 4096; ; size *= 4 {
		b, err := br.Peek(size)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return "", 0, err
		}
		complete := err != nil // the whole file, or as much as the buffer holds
		lines := strings.Split(string(b), "\n")
		for i, l := range lines {
			if i == len(lines)-1 && !complete {
				break // may be cut
			}
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
				return t, i + 1, nil
			}
		}
		if complete {
			return "", 0, nil
		}
	}
}

// isWord reports whether s can be a word of a question: not empty, valid
// UTF-8 and without white space of any kind (a carriage return inside a
// CSV field is one).
func isWord(s string) bool {
	return s != "" && utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsSpace) < 0
}
