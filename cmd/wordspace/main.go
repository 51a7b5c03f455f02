// Command wordspace trains, converts, queries and audits word vectors.
//
// Usage:
//
//	wordspace <command> [flags] [arguments]
//
// Run "wordspace help" for the list of commands and "wordspace <command> -h"
// for a command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// command is one subcommand. run receives the arguments after the
// command's name and writes results to stdout; errors are printed by main.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order "wordspace help" shows them.
func commands() []command {
	return []command{
		demoCommand(),
		trainCommand(),
		neighborsCommand(),
		vectorsCommand(),
		indexCommand(),
		similarityCommand(),
		convertCommand(),
		infoCommand(),
		analogyCommand(),
		evalCommand(),
		ppmiCommand(),
		phrasesCommand(),
		biasCommand(),
		contextCommand(),
		explainCommand(),
		serveCommand(),
	}
}

// errUsage marks an error already explained by a usage message.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(stderr, "wordspace %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "wordspace: unknown command %q; run \"wordspace help\"\n", args[0])
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "wordspace trains, converts, queries and audits word vectors.")
	fmt.Fprintln(w, "\nUsage: wordspace <command> [flags] [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"wordspace <command> -h\" for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints a usage line before the flag list.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: wordspace %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning a flag error into errUsage (the flag package
// has already printed it).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
