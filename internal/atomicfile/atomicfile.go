// Package atomicfile writes files so that readers see either the old
// content or the complete new content, never a partial file: data goes to
// a temporary file in the same directory, which is synced and renamed over
// the destination only when writing succeeded.
//
// The temporary file is named ".NAME.wordspace-tmp-RANDOM" beside NAME and
// is locked while it is written. A process killed in the middle of a save
// (kill -9, a power cut) leaves it behind; the next Write or Check of the
// same destination removes such leftovers, recognising them by the name
// and by the lock no living process holds.
//
// The new file gets the mode of the file it replaces, or for a new file
// what os.Create would give it (0666 less the umask).
//
// Destinations that are not regular files (/dev/null, /dev/stdout, a named
// pipe) cannot be replaced by a rename without destroying them, and a
// reader of a pipe never sees a partial file anyway, so they are written
// in place.
//
// Prepare and Commit split Write in two, so that a set of files (embed
// saves vectors.npy with its vectors.vocab) is written in full before any
// of them replaces its old version.
//
// Errors name the destination, never the temporary file, as *fs.PathError
// values (so errors.Is(err, fs.ErrNotExist) and the like work), also when
// the caller's write function passes on an error of the writer it was
// given; its own errors come back unchanged.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tmpInfix sits between the destination's name and a random suffix in the
// names of temporary files.
const tmpInfix = ".wordspace-tmp-"

// staleAge is how old an unlocked temporary file must be before it counts
// as left behind: younger ones may belong to a writer that has created
// its file but not yet locked it.
const staleAge = 2 * time.Second

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
//
// The temporary file stays open and locked until Commit or Discard, so
// that no other process's clean-up takes it for a leftover. Call one of
// them: a Prepared dropped without either keeps its descriptor and leaves
// its temporary file for a later Write or Check to remove once this
// process has exited.
type Prepared struct {
	f    *os.File // the locked temporary file; nil when written in place or done
	path string
}

// Prepare writes what write produces to a temporary file beside path and
// syncs it. Commit puts it in place; Discard removes it. If write fails,
// nothing is left behind and path is untouched. A destination that is not
// a regular file or a directory (a device or a pipe) is written directly,
// and Commit then has nothing to do.
func Prepare(path string, write func(w io.Writer) error) (_ *Prepared, err error) {
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return nil, &fs.PathError{Op: "write", Path: path, Err: errors.New("is a directory")}
	case err == nil && !st.Mode().IsRegular():
		if err := writeInPlace(path, write); err != nil {
			return nil, err
		}
		return &Prepared{path: path}, nil
	}
	perm := fs.FileMode(0o666) // less the umask, applied by the kernel
	keepMode := err == nil
	if keepMode {
		perm = st.Mode().Perm()
	}
	RemoveStale(path)
	f, err := createTemp(path, perm)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
			f.Close()
		}
	}()
	bw := bufio.NewWriterSize(destWriter{f, path}, 1<<20)
	if err = write(bw); err != nil {
		return nil, err
	}
	if err = bw.Flush(); err != nil {
		return nil, err
	}
	if err = f.Sync(); err != nil {
		return nil, pathError("sync", path, err)
	}
	if keepMode {
		// The kernel applied the umask to perm at creation; an existing
		// file keeps exactly the bits it had.
		if err = f.Chmod(perm); err != nil {
			return nil, pathError("chmod", path, err)
		}
	}
	return &Prepared{f: f, path: path}, nil
}

// Commit renames the prepared file over its destination. On failure the
// temporary file is removed and the destination is untouched. A second
// Commit, or one after Discard, does nothing.
func (p *Prepared) Commit() error {
	if p.f == nil {
		return nil
	}
	f := p.f
	p.f = nil
	if err := replace(f, p.path); err != nil {
		os.Remove(f.Name())
		f.Close()
		return err
	}
	syncDir(filepath.Dir(p.path))
	return nil
}

// Discard removes the prepared file, leaving the destination untouched.
// It does nothing after Commit or a first Discard.
func (p *Prepared) Discard() {
	if p.f == nil {
		return
	}
	// Removed while still locked, so no other writer's clean-up races it.
	os.Remove(p.f.Name())
	p.f.Close()
	p.f = nil
}

// Check reports whether path can be written by Write, without touching
// path itself: its directory exists and takes new files, and path is not
// a directory. Commands call it before long work so that a typo in an
// output name fails at once. It also removes temporary files that earlier,
// killed writers of path left behind.
func Check(path string) error {
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return &fs.PathError{Op: "write", Path: path, Err: errors.New("is a directory")}
	case err == nil && !st.Mode().IsRegular():
		return nil // a device or a pipe, written in place
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return pathError("write", path, err)
	}
	RemoveStale(path)
	f, err := createTemp(path, 0o600)
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// RemoveStale removes the temporary files of path that no living writer
// holds: those a killed process left behind. Write and Check call it; it
// is exported for commands that want to tidy up without writing.
func RemoveStale(path string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + tmpInfix
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		if info, err := e.Info(); err != nil || time.Since(info.ModTime()) < staleAge {
			continue
		}
		removeIfUnlocked(filepath.Join(dir, e.Name()))
	}
}

// createTemp creates a new, locked temporary file for path with perm
// (less the umask).
func createTemp(path string, perm fs.FileMode) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf(".%s%s%08x", base, tmpInfix, rand.Uint32()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, pathError("create", path, err)
		}
		if err := lock(f); err != nil {
			f.Close()
			os.Remove(name)
			return nil, pathError("create", path, err)
		}
		return f, nil
	}
	return nil, &fs.PathError{Op: "create", Path: path, Err: errors.New("no free temporary file name")}
}

// destWriter writes to the temporary file and reports its errors (a full
// disk) under the destination's name.
type destWriter struct {
	f    *os.File
	path string
}

func (d destWriter) Write(p []byte) (int, error) {
	n, err := d.f.Write(p)
	if err != nil {
		err = pathError("write", d.path, err)
	}
	return n, err
}

// pathError names path (the destination the caller gave) in an error
// whose own path, if any, is a temporary file.
func pathError(op, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return &fs.PathError{Op: op, Path: path, Err: err}
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
		return pathError("write", path, err)
	}
	return f.Close()
}
