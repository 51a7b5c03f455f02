package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/wordspace/wordspace/bias/audit"
	"github.com/wordspace/wordspace/embed"
)

// utilityFlags name the benchmark files "bias report" measures utility
// with.
type utilityFlags struct {
	questions, wordsim *string
	restrict           *int
}

func addUtilityFlags(fs *flag.FlagSet) utilityFlags {
	return utilityFlags{
		questions: fs.String("questions", "", "analogy questions `file` (Google format, e.g. questions-words.txt) for the utility check"),
		wordsim:   fs.String("wordsim", "", "word-pair similarity `file` (WordSim-353 format) for the utility check"),
		restrict:  fs.Int("restrict", 30000, "answer analogies among the `N` most frequent words"),
	}
}

// utility returns the measurement the audit runs before and after
// debiasing (audit.LoadUtility), or nil without benchmark files. Both files
// are required together, so that the before/after table is complete.
func (u utilityFlags) utility() (func(ctx context.Context, e *embed.Embeddings) (*audit.Utility, error), error) {
	if *u.questions == "" && *u.wordsim == "" {
		return nil, nil
	}
	if *u.questions == "" || *u.wordsim == "" {
		return nil, fmt.Errorf("-questions and -wordsim go together")
	}
	if *u.restrict <= 0 {
		return nil, fmt.Errorf("-restrict must be positive, not %d", *u.restrict)
	}
	return audit.LoadUtility(*u.questions, *u.wordsim, *u.restrict)
}
