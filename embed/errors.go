package embed

import (
	"errors"
	"fmt"
)

// ErrUnknownWord is returned (wrapped in an *UnknownWordError) when a query
// names a word that is not in the vocabulary.
var ErrUnknownWord = errors.New("word not in vocabulary")

// UnknownWordError names the word that was not found. It matches
// ErrUnknownWord with errors.Is.
type UnknownWordError struct {
	Word string
}

func (e *UnknownWordError) Error() string {
	return fmt.Sprintf("embed: %q: %v", e.Word, ErrUnknownWord)
}

// Is makes errors.Is(err, ErrUnknownWord) true.
func (e *UnknownWordError) Is(target error) bool { return target == ErrUnknownWord }

func unknown(word string) error { return &UnknownWordError{Word: word} }

// ErrNotFinite is returned when a vector holds NaN or ±Inf, which would
// poison every similarity computed from it.
var ErrNotFinite = errors.New("value is not finite")

// ErrEmptyQuery is returned when a query has no words or vectors to work on.
var ErrEmptyQuery = errors.New("empty query")
