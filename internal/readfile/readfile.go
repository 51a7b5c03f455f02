// Package readfile is the Load half of wordspace's Read/Load pairs: it
// opens a file, hands it to a package's reader, and names the file in the
// error, so that every Load reports a bad file the same way.
package readfile

import (
	"fmt"
	"io"
	"os"
)

// Read opens path and returns what read makes of it. An error opening the
// file is returned with the package name pkg in front ("corpus: open x:
// no such file or directory"); an error from read with the path in front
// ("x: corpus: vocabulary line 3: ...").
func Read[T any](pkg, path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", pkg, err)
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
