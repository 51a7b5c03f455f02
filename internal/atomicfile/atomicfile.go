// Package atomicfile writes files so that readers see either the old
// content or the complete new content, never a partial file: data goes to
// a temporary file in the same directory, which is synced and renamed over
// the destination only when writing succeeded.
//
// Destinations that are not regular files (/dev/null, /dev/stdout, a named
// pipe) cannot be replaced by a rename without destroying them, and a
// reader of a pipe never sees a partial file anyway, so they are written
// in place.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates path atomically with the bytes that write produces. If
// write returns an error, the temporary file is removed and path is left
// untouched. An existing destination that is not a regular file or a
// directory (a device or a pipe) is written directly instead.
func Write(path string, write func(w io.Writer) error) error {
	p, err := Prepare(path, write)
	if err != nil {
		return err
	}
	return p.Commit()
}

// Prepared is a file written in full to a temporary name beside its
// destination and waiting to replace it. Preparing every file of a set
// first and committing them only when all are written replaces the set
// as a whole unless the system fails between the renames.
type Prepared struct {
	tmp, path string // tmp is "" when the destination was written in place
}

// Prepare writes what write produces to a temporary file beside path,
// syncs and closes it. Commit puts it in place; Discard removes it. If
// write fails, nothing is left behind and path is untouched. A destination
// that is not a regular file or a directory (a device or a pipe) is
// written directly, and Commit then has nothing to do.
func Prepare(path string, write func(w io.Writer) error) (_ *Prepared, err error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		return &Prepared{path: path}, writeInPlace(path, write)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return nil, err
	}
	if err = bw.Flush(); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return nil, fmt.Errorf("sync %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return nil, fmt.Errorf("close %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; give it the mode a plain create would.
	if err = os.Chmod(tmp, 0o644); err != nil {
		return nil, err
	}
	return &Prepared{tmp: tmp, path: path}, nil
}

// Commit renames the prepared file over its destination. On failure the
// temporary file is removed.
func (p *Prepared) Commit() error {
	if p.tmp == "" {
		return nil
	}
	tmp := p.tmp
	p.tmp = ""
	if err := os.Rename(tmp, p.path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Discard removes the prepared file, leaving the destination untouched.
// It does nothing after Commit.
func (p *Prepared) Discard() {
	if p.tmp != "" {
		os.Remove(p.tmp)
		p.tmp = ""
	}
}

func writeInPlace(path string, write func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
