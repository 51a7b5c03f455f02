//go:build unix

package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// lock takes an exclusive advisory lock on f, held until f is closed (or
// its process dies): the mark of a temporary file still being written.
func lock(f *os.File) error {
	return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
}

// removeIfUnlocked removes name unless a living process holds its lock.
func removeIfUnlocked(name string) {
	f, err := os.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return // being written
	}
	os.Remove(name)
}

// replace renames f over path and closes it. The rename comes first, so
// that f stays locked, and safe from another process's clean-up, until it
// has its final name.
func replace(f *os.File, path string) error {
	if err := os.Rename(f.Name(), path); err != nil {
		return pathError("rename", path, err)
	}
	if err := f.Close(); err != nil {
		return pathError("close", path, err)
	}
	return nil
}

// syncDir makes a rename in dir durable; a failure only weakens that
// promise, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
