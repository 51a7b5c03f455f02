//go:build !unix

package atomicfile

import "os"

// Without advisory locks, temporary files are neither locked nor cleaned
// up by later runs.
func lock(f *os.File) error { return nil }

func removeIfUnlocked(name string) {}

func replace(f *os.File, path string) error {
	if err := f.Close(); err != nil {
		return pathError("close", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return pathError("rename", path, err)
	}
	return nil
}

func syncDir(dir string) {}
