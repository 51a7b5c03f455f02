// Package readfile is the Load half of wordspace's Read/Load pairs: it
// opens a file, hands it to a package's reader, and names the file in the
// error, so that every Load reports a bad file the same way.
package readfile

import (
	"fmt"
	"io"
	"os"
)

// Remaining returns how many bytes r has left to read, when r can tell
// (a *bytes.Reader, *strings.Reader or *bytes.Buffer, or a regular
// *os.File), and -1 otherwise. Readers check what a header claims against
// it before allocating anything for the claim.
func Remaining(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case *os.File:
		fi, err := v.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		pos, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return fi.Size() - pos
	}
	return -1
}

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
