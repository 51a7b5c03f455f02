package main

import (
	"context"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/bias/audit"
	"github.com/wordspace/wordspace/embed"
)

// utilityFlags name the benchmark files "bias report" measures utility
// with: the names and defaults of "wordspace eval".
type utilityFlags struct {
	analogies, similarity *string
	restrict              *int
}

func addUtilityFlags(fs *flagSet) utilityFlags {
	u := utilityFlags{
		analogies:  fs.String("analogies", "", "analogy questions `file` (Google format, e.g. questions-words.txt) for the utility check"),
		similarity: fs.String("similarity", "", "word-pair similarity `file` (WordSim-353 format) for the utility check"),
		restrict:   fs.Int("restrict", analogy.DefaultRestrict, "answer analogies among the `N` most frequent words (0: all), as eval"),
	}
	fs.alias("analogies", "questions")
	fs.alias("similarity", "wordsim")
	return u
}

func (u utilityFlags) inputs() []file {
	return []file{{flag: "analogies", path: *u.analogies}, {flag: "similarity", path: *u.similarity}}
}

// utility returns the measurement the audit runs before and after
// debiasing (audit.LoadUtility), or nil without benchmark files. Both files
// are required together, so that the before/after table is complete.
func (u utilityFlags) utility(fs *flagSet) (func(ctx context.Context, e *embed.Embeddings) (*audit.Utility, error), error) {
	if *u.analogies == "" && *u.similarity == "" {
		return nil, nil
	}
	if *u.analogies == "" || *u.similarity == "" {
		return nil, usagef(fs.cmd, "-analogies and -similarity go together")
	}
	if err := notNegative(fs, "restrict", *u.restrict); err != nil {
		return nil, err
	}
	return audit.LoadUtility(*u.analogies, *u.similarity, *u.restrict)
}
