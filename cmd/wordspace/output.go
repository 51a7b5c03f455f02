package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/internal/atomicfile"
)

// file is a path a flag names, for the checks commands make before they
// start work.
type file struct {
	flag, path string
	// stdout allows "-" for standard output (outputs only).
	stdout bool
	// dir marks an output directory, which is made if missing.
	dir bool
}

// checkOutputs runs before a command's long work, so that a mistake in an
// output name costs nothing: every output's directory must take new
// files, no output may be one of the inputs or lie inside an input
// directory (a corpus directory would read it as text next time), no two
// outputs may be the same file, and at most one may be standard output
// ("-"), and only where the command allows it. Errors name the paths as
// the user typed them.
func checkOutputs(cmd string, inputs []file, outputs ...file) error {
	seen := map[string]string{}
	stdoutBy := ""
	for _, o := range outputs {
		if o.path == "" {
			continue
		}
		if o.path == "-" {
			if !o.stdout {
				return usagef(cmd, "-%s -: this output cannot go to standard output; give a file name", o.flag)
			}
			if stdoutBy != "" {
				return usagef(cmd, "-%s - and -%s - would both write to standard output", stdoutBy, o.flag)
			}
			stdoutBy = o.flag
			continue
		}
		for _, in := range inputs {
			if in.path == "" || in.path == "-" {
				continue
			}
			if samePath(in.path, o.path) {
				return usagef(cmd, "-%s %s is also the input -%s: refusing to overwrite it", o.flag, o.path, in.flag)
			}
			if inside(o.path, in.path) {
				return usagef(cmd, "-%s %s is inside the input directory -%s %s, where it would be read as input next time", o.flag, o.path, in.flag, in.path)
			}
		}
		abs, err := filepath.Abs(o.path)
		if err != nil {
			return err
		}
		if prev, dup := seen[abs]; dup {
			return usagef(cmd, "-%s and -%s both name %s", prev, o.flag, o.path)
		}
		seen[abs] = o.flag
		probe := o.path // a new file, or a new directory, there
		if st, err := os.Stat(o.path); o.dir && err == nil {
			if !st.IsDir() {
				return fmt.Errorf("cannot write -%s: %s is not a directory", o.flag, o.path)
			}
			probe = filepath.Join(o.path, "report.md")
		}
		if err := atomicfile.Check(probe); err != nil {
			return fmt.Errorf("cannot write -%s: %w", o.flag, err)
		}
	}
	return nil
}

// samePath reports whether a and b name the same file: the same existing
// file (through links too), or the same name.
func samePath(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	aa, errA := filepath.Abs(a)
	ab, errB := filepath.Abs(b)
	return errA == nil && errB == nil && aa == ab
}

// inside reports whether path lies below the directory dir.
func inside(path, dir string) bool {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return false
	}
	ap, err1 := filepath.Abs(path)
	ad, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	if ep, err := filepath.EvalSymlinks(filepath.Dir(ap)); err == nil {
		ap = filepath.Join(ep, filepath.Base(ap))
	}
	if ed, err := filepath.EvalSymlinks(ad); err == nil {
		ad = ed
	}
	rel, err := filepath.Rel(ad, ap)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

// vectorFormat picks the format of vector file path: the name's (.bin
// word2vec binary, .txt or .vec word2vec text, glove*.txt headerless, .npy,
// each optionally .gz) when it says one, else the format the flags ask
// for, else word2vec text. binary is -binary (-1 when not given), to is
// -to ("" when not given); a flag that contradicts the name is refused
// rather than writing, say, text into a file called .npy.
func vectorFormat(cmd, path, to string, binary int) (embed.Format, error) {
	asked := embed.Auto
	flagName := ""
	switch binary {
	case -1:
	case 0:
		asked, flagName = embed.Text, "-binary 0"
	case 1:
		asked, flagName = embed.Binary, "-binary 1"
	default:
		return 0, usagef(cmd, "-binary must be 0 or 1, not %d", binary)
	}
	if to != "" {
		f, err := embed.ParseFormat(to)
		if err != nil {
			return 0, usagef(cmd, "-to: %v", err)
		}
		if asked != embed.Auto && f != embed.Auto && f != asked {
			return 0, usagef(cmd, "%s and -to %s ask for different formats", flagName, to)
		}
		if f != embed.Auto {
			asked, flagName = f, "-to "+to
		}
	}
	if path == "-" {
		if asked == embed.NPY {
			return 0, usagef(cmd, "the npy format needs two files (matrix and vocabulary); it cannot go to standard output")
		}
		if asked == embed.Auto {
			asked = embed.Text
		}
		return asked, nil
	}
	named := embed.FormatFromPath(path)
	switch {
	case named == embed.Auto && asked == embed.Auto:
		return embed.Text, nil
	case named == embed.Auto:
		return asked, nil
	case asked == embed.Auto || asked == named:
		return named, nil
	case isTxt(path) && (asked == embed.Text || asked == embed.GloVe):
		return asked, nil // .txt holds either kind of text
	}
	return 0, usagef(cmd, "%s asks for %v but the name %s says %v; change one of them", flagName, asked, path, named)
}

// isTxt reports whether path ends in .txt (or .txt.gz), which names
// word2vec text and headerless (GloVe) text alike.
func isTxt(path string) bool {
	return strings.HasSuffix(strings.TrimSuffix(strings.ToLower(path), ".gz"), ".txt")
}

// vectorFiles are the files that saving vectors in format f to path
// writes: path, and for .npy the vocabulary beside it.
func vectorFiles(flag, path string, f embed.Format, stdout bool) []file {
	out := []file{{flag: flag, path: path, stdout: stdout}}
	if f == embed.NPY && path != "-" {
		out = append(out, file{flag: flag + " (vocabulary)", path: embed.VocabPath(path)})
	}
	return out
}

// saveVectors writes e in format f to path, or to stdout when path is
// "-". A file is replaced atomically (.gz compressed) and the write stops
// soon after ctx is cancelled, leaving the old file. The .npy format, two
// files, goes through embed's Save.
func saveVectors(ctx context.Context, path string, stdout io.Writer, e *embed.Embeddings, f embed.Format) error {
	return saveVectorsWith(ctx, path, stdout, e, f, embed.WriteOptions{})
}

// saveVectorsWith is saveVectors with embed's write options (for text).
func saveVectorsWith(ctx context.Context, path string, stdout io.Writer, e *embed.Embeddings, f embed.Format, opts embed.WriteOptions) error {
	if f == embed.NPY {
		if err := ctx.Err(); err != nil {
			return err
		}
		return e.Save(path, f)
	}
	return writeOutput(ctx, path, stdout, func(w io.Writer) error {
		if !strings.HasSuffix(path, ".gz") {
			return e.WriteWith(w, f, opts)
		}
		zw := gzip.NewWriter(w)
		if err := e.WriteWith(zw, f, opts); err != nil {
			return err
		}
		return zw.Close()
	})
}

// writeOutput writes to path through write: "-" is stdout, anything else
// goes through atomicfile (which writes devices and pipes in place). The
// writer write gets fails once ctx is cancelled, so a long write stops
// early and a file is left as it was.
func writeOutput(ctx context.Context, path string, stdout io.Writer, write func(io.Writer) error) error {
	write = cancellable(ctx, write)
	if path == "-" {
		bw := bufio.NewWriterSize(stdout, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return atomicfile.Write(path, write)
}

func cancellable(ctx context.Context, write func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		return write(ctxWriter{ctx, w})
	}
}

// ctxWriter fails its writes once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// flushed runs write into a buffered stdout and reports the first error of
// write or of the flush, so that a failed write (a full disk, a closed
// pipe) is never an exit status of 0.
func flushed(stdout io.Writer, write func(w *bufio.Writer) error) error {
	bw := bufio.NewWriter(stdout)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}
