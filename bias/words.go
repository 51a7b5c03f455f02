package bias

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/wordspace/wordspace/internal/readfile"
)

// The word lists published with the papers, shipped so that the defaults
// work offline. data/NOTICE.md gives each file's origin and licence.
//
//go:embed data/weat.json data/definitional_pairs.json data/equalize_pairs.json data/gender_specific_full.json data/gender_specific_seed.json data/professions.json
var dataFS embed.FS

// ErrFormat is matched (with errors.Is) by every error about a word-list
// file that cannot be parsed or breaks the format's rules; a *FormatError
// says where the problem is.
var ErrFormat = errors.New("bad word list")

// FormatError describes a malformed word list: the item at fault (such as
// "pair 3", or "" for the file as a whole) and what is wrong with it.
type FormatError struct {
	Item string
	Msg  string
}

func (e *FormatError) Error() string {
	if e.Item == "" {
		return fmt.Sprintf("bias: %s: %v", e.Msg, ErrFormat)
	}
	return fmt.Sprintf("bias: %s: %s: %v", e.Item, e.Msg, ErrFormat)
}

// Is makes errors.Is(err, ErrFormat) true.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

func badList(item, format string, args ...any) error {
	return &FormatError{Item: item, Msg: fmt.Sprintf(format, args...)}
}

// WEATTest is one Word Embedding Association Test: two target sets X and Y
// (e.g. flowers and insects) and two attribute sets A and B (e.g. pleasant
// and unpleasant words). A positive effect size means X is closer to A, and
// Y to B, than the other way round.
type WEATTest struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	XName string `json:"X_name"`
	YName string `json:"Y_name"`
	AName string `json:"A_name"`
	BName string `json:"B_name"`

	X []string `json:"X"`
	Y []string `json:"Y"`
	A []string `json:"A"`
	B []string `json:"B"`

	// XExcluded and YExcluded are words the paper's supplement lists but
	// the paper left out of the test (WEAT 3-5); X and Y do not hold them.
	XExcluded []string `json:"X_excluded,omitempty"`
	YExcluded []string `json:"Y_excluded,omitempty"`

	// PublishedD holds the effect sizes Caliskan et al. published, keyed
	// by vectors: "glove_840B_common_crawl" and "word2vec_googlenews".
	PublishedD map[string]float64 `json:"published_d,omitempty"`

	// IAT is the human Implicit Association Test result the test
	// replicates, or nil when the paper gives none.
	IAT *IATResult `json:"iat_original,omitempty"`
}

// IATResult is a published human IAT result. N and P are kept as the
// strings the source uses, such as "39k" and "< 1e-2".
type IATResult struct {
	Source string  `json:"source"`
	N      string  `json:"N"`
	D      float64 `json:"d"`
	P      string  `json:"p"`
}

// Profession is an entry of Bolukbasi et al.'s professions list. Both
// scores run from -1 (female) to +1 (male): Definitional says how gendered
// the word is by definition (actress: -1), Stereotypical how gendered
// crowd workers judged it by stereotype.
type Profession struct {
	Word          string
	Definitional  float64
	Stereotypical float64
}

// WEATTests returns Caliskan, Bryson & Narayanan's (2017) ten WEAT tests in
// the paper's order (ID 1..10), with the word lists of the paper's
// supplement. The result is a fresh copy the caller may modify.
func WEATTests() []WEATTest {
	tests, err := ReadWEATTests(bytes.NewReader(mustData("weat.json")))
	if err != nil {
		panic("bias: embedded weat.json: " + err.Error()) // a build defect, caught by the tests
	}
	return tests
}

// WEATTestByID returns Caliskan's test number id (1..10).
func WEATTestByID(id int) (WEATTest, error) {
	for _, t := range WEATTests() {
		if t.ID == id {
			return t, nil
		}
	}
	return WEATTest{}, fmt.Errorf("bias: no WEAT test %d (Caliskan's tests are numbered 1 to 10)", id)
}

// DefinitionalPairs returns Bolukbasi et al.'s (2016) ten [female, male]
// pairs that define the gender direction (woman/man, girl/boy, she/he, ...).
func DefinitionalPairs() [][2]string { return mustPairs("definitional_pairs.json") }

// EqualizePairs returns Bolukbasi et al.'s 52 pairs to equalise. The order
// within a pair is not uniform (["spokesman", "spokeswoman"]).
func EqualizePairs() [][2]string { return mustPairs("equalize_pairs.json") }

// GenderSpecific returns Bolukbasi et al.'s 1,441 gender-specific words
// (learned from the seed list), which hard debiasing leaves gendered.
func GenderSpecific() []string { return mustWords("gender_specific_full.json") }

// GenderSpecificSeed returns the 218 hand-picked seed words the full
// gender-specific list was learned from.
func GenderSpecificSeed() []string { return mustWords("gender_specific_seed.json") }

// Professions returns Bolukbasi et al.'s 320 professions with their
// definitional and stereotypical gender scores.
func Professions() []Profession {
	p, err := ReadProfessions(bytes.NewReader(mustData("professions.json")))
	if err != nil {
		panic("bias: embedded professions.json: " + err.Error())
	}
	return p
}

// ProfessionWords returns the words of Professions.
func ProfessionWords() []string {
	var w []string
	for _, p := range Professions() {
		w = append(w, p.Word)
	}
	return w
}

func mustData(name string) []byte {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		panic("bias: embedded " + name + ": " + err.Error())
	}
	return b
}

func mustPairs(name string) [][2]string {
	p, err := ReadPairs(bytes.NewReader(mustData(name)))
	if err != nil {
		panic("bias: embedded " + name + ": " + err.Error())
	}
	return p
}

func mustWords(name string) []string {
	w, err := ReadWordList(bytes.NewReader(mustData(name)))
	if err != nil {
		panic("bias: embedded " + name + ": " + err.Error())
	}
	return w
}

// ReadWEATTests parses tests in the format of weat.json: a JSON array of
// objects with id, name, X_name, Y_name, A_name, B_name, X, Y, A, B and
// optionally X_excluded, Y_excluded, published_d and iat_original. Every
// test needs a name and four non-empty lists of non-empty words.
func ReadWEATTests(r io.Reader) ([]WEATTest, error) {
	var tests []WEATTest
	if err := decodeArray(r, &tests); err != nil {
		return nil, err
	}
	if len(tests) == 0 {
		return nil, badList("", "no tests")
	}
	for i, t := range tests {
		label := t.Name
		if label == "" {
			label = fmt.Sprintf("test %d", i+1)
		}
		for _, s := range []struct {
			name  string
			words []string
		}{{"X", t.X}, {"Y", t.Y}, {"A", t.A}, {"B", t.B}} {
			item := fmt.Sprintf("%s: set %s", label, s.name)
			if len(s.words) == 0 {
				return nil, badList(item, "empty")
			}
			if err := checkWords(item, s.words); err != nil {
				return nil, err
			}
		}
	}
	return tests, nil
}

// LoadWEATTests reads a weat.json-format file.
func LoadWEATTests(path string) ([]WEATTest, error) {
	return loadFile(path, ReadWEATTests)
}

// ReadWordList parses a JSON array of words, the format of
// gender_specific_full.json.
func ReadWordList(r io.Reader) ([]string, error) {
	var words []string
	if err := decodeArray(r, &words); err != nil {
		return nil, err
	}
	if err := checkWords("", words); err != nil {
		return nil, err
	}
	return words, nil
}

// LoadWordList reads a file in the format of ReadWordList.
func LoadWordList(path string) ([]string, error) { return loadFile(path, ReadWordList) }

// ReadPairs parses a JSON array of two-word arrays, the format of
// definitional_pairs.json and equalize_pairs.json.
func ReadPairs(r io.Reader) ([][2]string, error) {
	var raw [][]string
	if err := decodeArray(r, &raw); err != nil {
		return nil, err
	}
	pairs := make([][2]string, len(raw))
	for i, p := range raw {
		item := fmt.Sprintf("pair %d", i+1)
		if len(p) != 2 {
			return nil, badList(item, "%d words, want 2", len(p))
		}
		if p[0] == p[1] {
			return nil, badList(item, "pairs %q with itself", p[0])
		}
		if err := checkWords(item, p); err != nil {
			return nil, err
		}
		pairs[i] = [2]string{p[0], p[1]}
	}
	return pairs, nil
}

// LoadPairs reads a file in the format of ReadPairs.
func LoadPairs(path string) ([][2]string, error) { return loadFile(path, ReadPairs) }

// ReadProfessions parses the format of professions.json: a JSON array of
// [word, definitional score, stereotypical score] triples, scores in
// [-1, 1].
func ReadProfessions(r io.Reader) ([]Profession, error) {
	var raw [][]json.RawMessage
	if err := decodeArray(r, &raw); err != nil {
		return nil, err
	}
	out := make([]Profession, len(raw))
	for i, t := range raw {
		item := fmt.Sprintf("profession %d", i+1)
		if len(t) != 3 {
			return nil, badList(item, "%d fields, want [word, definitional, stereotypical]", len(t))
		}
		var p Profession
		if err := json.Unmarshal(t[0], &p.Word); err != nil || p.Word == "" {
			return nil, badList(item, "first field is not a word")
		}
		for j, dst := range []*float64{&p.Definitional, &p.Stereotypical} {
			if err := json.Unmarshal(t[j+1], dst); err != nil || *dst < -1 || *dst > 1 {
				return nil, badList(item, "%q: score %d is not a number in [-1, 1]", p.Word, j+1)
			}
		}
		out[i] = p
	}
	return out, nil
}

// LoadProfessions reads a file in the format of ReadProfessions.
func LoadProfessions(path string) ([]Profession, error) { return loadFile(path, ReadProfessions) }

// LoadNeutralWords reads a list of neutral words: a file in the format of
// ReadProfessions (its words), or else in that of ReadWordList.
func LoadNeutralWords(path string) ([]string, error) {
	if p, err := LoadProfessions(path); err == nil {
		words := make([]string, len(p))
		for i, x := range p {
			words[i] = x.Word
		}
		return words, nil
	}
	return LoadWordList(path)
}

// WordLists are the word lists of a gender audit after Bolukbasi et al.
// (2016). A nil list means the built-in one (see Defaults).
type WordLists struct {
	// Definitional pairs define the gender direction.
	Definitional [][2]string
	// Equalize pairs are equalised by hard debiasing.
	Equalize [][2]string
	// GenderSpecific words keep their gender component.
	GenderSpecific []string
	// Neutral words are measured by the direct bias: the professions.
	Neutral []string
}

// Defaults returns l with each nil list replaced by the built-in one:
// DefinitionalPairs, EqualizePairs, GenderSpecific and ProfessionWords.
func (l WordLists) Defaults() WordLists {
	if l.Definitional == nil {
		l.Definitional = DefinitionalPairs()
	}
	if l.Equalize == nil {
		l.Equalize = EqualizePairs()
	}
	if l.GenderSpecific == nil {
		l.GenderSpecific = GenderSpecific()
	}
	if l.Neutral == nil {
		l.Neutral = ProfessionWords()
	}
	return l
}

// ListFiles names files to read WordLists from; "" keeps the built-in
// list. Definitional and Equalize are in the format of ReadPairs,
// GenderSpecific in that of ReadWordList, Neutral in either that of
// ReadProfessions or of ReadWordList.
type ListFiles struct {
	Definitional, Equalize, GenderSpecific, Neutral string
}

// LoadWordLists reads the lists files names, the built-in ones for the
// others.
func LoadWordLists(files ListFiles) (WordLists, error) {
	var l WordLists
	var err error
	if files.Definitional != "" {
		if l.Definitional, err = LoadPairs(files.Definitional); err != nil {
			return l, err
		}
	}
	if files.Equalize != "" {
		if l.Equalize, err = LoadPairs(files.Equalize); err != nil {
			return l, err
		}
	}
	if files.GenderSpecific != "" {
		if l.GenderSpecific, err = LoadWordList(files.GenderSpecific); err != nil {
			return l, err
		}
	}
	if files.Neutral != "" {
		if l.Neutral, err = LoadNeutralWords(files.Neutral); err != nil {
			return l, err
		}
	}
	return l.Defaults(), nil
}

func loadFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	return readfile.Read("bias", path, read)
}

// decodeStrict decodes one JSON value into v and rejects trailing data,
// so that a truncated or concatenated file is not half-read.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badList("", "%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badList("", "data after the JSON value")
	}
	return nil
}

// decodeArray decodes a JSON array into the slice *v points to, strictly
// as decodeStrict does; null, which decodes to a nil slice without error,
// is refused: a nil list means "the built-in one" to WordLists.Defaults.
func decodeArray[T any](r io.Reader, v *[]T) error {
	if err := decodeStrict(r, v); err != nil {
		return err
	}
	if *v == nil {
		return badList("", "null, want a JSON array")
	}
	return nil
}

// checkWords rejects empty and repeated words in the list named item.
func checkWords(item string, words []string) error {
	for i, w := range words {
		if w == "" {
			return badList(item, "word %d is empty", i+1)
		}
	}
	if i := firstDuplicate(words); i >= 0 {
		return badList(item, "word %q is listed twice", words[i])
	}
	return nil
}

func firstDuplicate(words []string) int {
	seen := make(map[string]bool, len(words))
	for i, w := range words {
		if seen[w] {
			return i
		}
		seen[w] = true
	}
	return -1
}
