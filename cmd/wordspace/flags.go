package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// flagSet is a command's flags: the standard library's flag.FlagSet, read
// from anywhere among the arguments (as users of most command-line tools
// expect), with old spellings kept as aliases.
//
// A word that starts with "-" names a flag wherever it stands; an unknown
// one is an error, never data. "--" ends the flags: every word after it is
// an argument, so "neighbors -model M -- -ism" looks up "-ism". A lone
// "-" is an argument (standard input or output).
type flagSet struct {
	*flag.FlagSet
	cmd      string // "train", "bias report"
	synopsis string
	stderr   io.Writer
	aliases  map[string]string // old spelling → flag name
}

// newFlagSet returns the flags of command cmd; synopsis follows
// "Usage: wordspace cmd" in the help text.
func newFlagSet(cmd, synopsis string, stderr io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(cmd, flag.ContinueOnError), cmd: cmd, synopsis: synopsis,
		stderr: stderr, aliases: map[string]string{}}
	fs.SetOutput(io.Discard) // errors are reported through main, help by usage
	return fs
}

// alias makes each old spelling another name of flag name.
func (fs *flagSet) alias(name string, old ...string) {
	f := fs.Lookup(name)
	if f == nil {
		panic("alias of undefined flag -" + name)
	}
	for _, o := range old {
		fs.Var(f.Value, o, "old spelling of -"+name)
		fs.aliases[o] = name
	}
}

// parse reads the flags from anywhere in args and leaves the other words,
// in order, in fs.Args(). -h prints the help and returns flag.ErrHelp; a
// bad flag is a usage error.
func (fs *flagSet) parse(args []string) error {
	flags, words, short := fs.split(args)
	if !short {
		flags = append(append(flags, "--"), words...)
	}
	err := fs.Parse(flags) // with a flag's value missing, Parse reports it
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.usage()
		return err
	case err != nil:
		return usagef(fs.cmd, "%v", err)
	}
	return nil
}

// split separates flags (with their values) from the other words; short
// reports a last flag that lacks its value.
func (fs *flagSet) split(args []string) (flags, words []string, short bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(words, args[i+1:]...), false
		}
		if len(a) < 2 || a[0] != '-' {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimPrefix(a[1:], "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // Parse reports it
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 == len(args) {
			return flags, words, true
		}
		flags = append(flags, args[i+1])
		i++
	}
	return flags, words, false
}

// isSet reports whether flag name was given, under its name or an alias.
func (fs *flagSet) isSet(name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name || fs.aliases[f.Name] == name {
			set = true
		}
	})
	return set
}

// noArgs is a usage error when words other than flags were given.
func (fs *flagSet) noArgs() error {
	if fs.NArg() != 0 {
		return usagef(fs.cmd, "unexpected argument %q (this command takes only flags)", fs.Arg(0))
	}
	return nil
}

// required is a usage error naming the first of the flags that is empty.
func (fs *flagSet) required(names ...string) error {
	for _, n := range names {
		if fs.Lookup(n).Value.String() == "" {
			return usagef(fs.cmd, "-%s is required", n)
		}
	}
	return nil
}

// usage prints the synopsis and every flag with its old spellings.
func (fs *flagSet) usage() {
	w := fs.stderr
	fmt.Fprintf(w, "Usage: wordspace %s %s\n", fs.cmd, strings.TrimRight(fs.synopsis, "\n"))
	fmt.Fprintln(w, "\nFlags (before or after the arguments; -- ends them):")
	old := map[string][]string{}
	for o, n := range fs.aliases {
		old[n] = append(old[n], "-"+o)
	}
	fs.VisitAll(func(f *flag.Flag) {
		if _, isAlias := fs.aliases[f.Name]; isAlias {
			return
		}
		name, help := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		if len(line) <= 4 {
			line += "\t"
		} else {
			line += "\n    \t"
		}
		line += strings.ReplaceAll(help, "\n", "\n    \t")
		if !isZeroDefault(f) {
			if g, ok := f.Value.(flag.Getter); ok && isString(g.Get()) {
				line += fmt.Sprintf(" (default %q)", f.DefValue)
			} else {
				line += fmt.Sprintf(" (default %v)", f.DefValue)
			}
		}
		if o := old[f.Name]; len(o) > 0 {
			sort.Strings(o)
			line += " (also " + strings.Join(o, ", ") + ")"
		}
		fmt.Fprintln(w, line)
	})
}

// isZeroDefault reports whether f's default is a zero value, which the
// help does not show (as flag.PrintDefaults); a flag whose 0 means
// something says so in its help.
func isZeroDefault(f *flag.Flag) bool {
	return f.DefValue == "" || f.DefValue == "0" || f.DefValue == "false"
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}
