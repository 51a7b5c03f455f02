// Command wordspace trains, converts, queries and audits word vectors.
//
// Usage:
//
//	wordspace <command> [flags] [arguments]
//
// Run "wordspace help" for the list of commands and "wordspace <command> -h"
// for a command's flags. Flags may come before or after the arguments;
// "--" ends the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
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

// usageError is a mistake in the command line: main prints it with a
// pointer to the command's help and exits with status 2.
type usageError struct {
	cmd, msg string
}

func (e *usageError) Error() string { return e.msg }

// errUsage is a usage error already explained to the user.
var errUsage = &usageError{}

func usagef(cmd, format string, a ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, a...)}
}

// interruptedError is what a command returns when a signal stopped it;
// detail says where ("in epoch 2 ...", "at step 40 ...") and what it
// saved, if anything.
type interruptedError struct{ detail string }

func (e *interruptedError) Error() string {
	if e.detail == "" {
		return "interrupted"
	}
	return "interrupted " + e.detail
}

// subcommandError names the subcommand ("bias report") an error came
// from, for main's message.
type subcommandError struct {
	cmd string
	err error
}

func (e *subcommandError) Error() string { return e.err.Error() }
func (e *subcommandError) Unwrap() error { return e.err }

// inSubcommand wraps err, if any, with the name of the subcommand.
func inSubcommand(cmd string, err error) error {
	if err == nil {
		return nil
	}
	return &subcommandError{cmd: cmd, err: err}
}

// exitInterrupted is the status of a command stopped by Ctrl-C, SIGTERM or
// SIGHUP: 128 + SIGINT, as shells report it.
const exitInterrupted = 130

func main() {
	ctx, stop := interruptContext()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interruptContext returns a context that the first SIGINT (Ctrl-C),
// SIGTERM or SIGHUP cancels. SIGTERM is what docker stop, systemd and CI
// runners send, SIGHUP what a closed terminal sends: both stop a command
// as Ctrl-C does, so that training saves its checkpoint. Once the first
// signal is caught, the signals have their default effect again, so a
// second Ctrl-C ends the process at once.
func interruptContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stderr)
		return 0
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version())
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitStatus(ctx, c.name, c.run(ctx, args[1:], stdout, stderr), stderr)
		}
	}
	fmt.Fprintf(stderr, "wordspace: unknown command %q\nRun \"wordspace help\" for the list of commands.\n", args[0])
	return 2
}

// exitStatus prints err as main does for every command and returns the
// exit status: 0, 1 for a failure, 2 for a mistake in the command line,
// 130 after an interruption.
func exitStatus(ctx context.Context, name string, err error, stderr io.Writer) int {
	var ue *usageError
	var ie *interruptedError
	if se := (*subcommandError)(nil); errors.As(err, &se) {
		name = se.cmd
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue) && ue.msg == "":
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "wordspace %s: %s\nRun \"wordspace %s -h\" for help.\n", ue.cmd, ue.msg, ue.cmd)
		return 2
	case errors.As(err, &ie):
		fmt.Fprintf(stderr, "wordspace %s: %v\n", name, ie)
		return exitInterrupted
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		fmt.Fprintf(stderr, "wordspace %s: %v\n", name, &interruptedError{})
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "wordspace %s: %v\n", name, err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "wordspace trains, converts, queries and audits word vectors.")
	fmt.Fprintln(w, "\nUsage: wordspace <command> [flags] [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
Run "wordspace <command> -h" for a command's flags; flags may come before or
after the arguments, and "--" ends them. "wordspace --version" prints the
version.`)
}

// version describes the binary: the module version (or "devel" for a
// build from a checkout), the commit it was built from when known, and the
// Go release.
func version() string {
	v, rev := "devel", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		var modified bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += "+changes"
		}
	}
	s := "wordspace " + v
	if rev != "" {
		s += " (commit " + rev + ")"
	}
	return s + " " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
