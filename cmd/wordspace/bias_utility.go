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
		questions: fs.String("questions", "", "analogy questions `file` (Google format) for the utility check"),
		wordsim:   fs.String("wordsim", "", "word-pair similarity `file` (WordSim-353 format) for the utility check"),
		restrict:  fs.Int("restrict", 30000, "evaluate utility on the `N` most frequent words"),
	}
}

func (u utilityFlags) utility() (func(ctx context.Context, e *embed.Embeddings) (*audit.Utility, error), error) {
	if *u.questions == "" && *u.wordsim == "" {
		return nil, nil
	}
	return nil, fmt.Errorf("-questions and -wordsim need the analogy package, not yet in this build")
}
