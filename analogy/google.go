package analogy

import (
	"bytes"
	_ "embed"
)

//go:embed data/questions-words.txt
var googleQuestions []byte

// GoogleQuestions returns the Google word-analogy test set (Mikolov et al.
// 2013; 19,544 questions in 14 sections, Apache License 2.0, see
// data/NOTICE.md), which ships inside the package so that vectors can be
// scored without downloading anything. Each call parses a fresh copy that
// the caller owns.
func GoogleQuestions() []Section {
	secs, err := ReadGoogle(bytes.NewReader(googleQuestions))
	if err != nil {
		panic("analogy: embedded Google questions: " + err.Error()) // a build defect, not user input
	}
	return secs
}
