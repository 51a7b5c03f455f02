// Package testenv finds what wordspace's larger tests compare against: the
// shared data and scripts beside the repository (../shared) and the
// reference tools (gensim, PyTorch, scikit-learn, fastText, Chromium,
// hnswlib, faiss). Every test that needs one of them asks here, so that
// there is one rule for all of them:
//
//   - When the thing is present, the test gets its path and runs.
//   - When it is absent, the test is skipped with a message that says what
//     is missing and how to get it, so that a fresh clone without ../shared
//     and without the tools still passes `go test ./...`.
//   - When WORDSPACE_REQUIRE_REFERENCE is set (to anything but "" or "0"),
//     as .ci/run sets it, an absent thing fails the test instead: a CI run
//     that means to compare with the references cannot pass by skipping
//     them.
//
// The shared directory is $WORDSPACE_SHARED when that is set, otherwise
// "shared" beside the directory holding the module's go.mod.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// RequireVar is the environment variable that turns a missing reference
// into a test failure.
const RequireVar = "WORDSPACE_REQUIRE_REFERENCE"

// SharedVar names the shared directory when it is not ../shared.
const SharedVar = "WORDSPACE_SHARED"

// Python is the interpreter the reference scripts run with: Debian's, whose
// python3-gensim, python3-torch, ... packages the tools come from (a
// python3 earlier in PATH, from pyenv or a virtual environment, usually
// lacks them).
const Python = "/usr/bin/python3"

// Required reports whether missing references fail tests rather than skip
// them.
func Required() bool {
	v := os.Getenv(RequireVar)
	return v != "" && v != "0"
}

// missing skips t, or fails it when references are required, saying what
// is missing and how to provide it.
func missing(t testing.TB, what, hint string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is set but %s (%s)", RequireVar, what, hint)
	}
	t.Skipf("skipped: %s (%s; set %s=1 to make this a failure)", what, hint, RequireVar)
}

// SharedDir returns the shared directory, or "" with the reason it is not
// usable. It does not skip; most tests want Shared or SharedFile.
func SharedDir() (string, error) {
	if dir := os.Getenv(SharedVar); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "", fmt.Errorf("$%s=%s is not a directory", SharedVar, dir)
		}
		return filepath.Abs(dir)
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(root), "shared")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("no shared directory at %s", dir)
	}
	return dir, nil
}

// moduleRoot finds the directory of go.mod above the working directory
// (a test runs in its package's directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = up
	}
}

const sharedHint = "clone the shared data beside the repository as ../shared, or set " + SharedVar

// Shared returns the shared directory after checking that each of the
// given files (slash-separated paths relative to it) exists; otherwise it
// skips t, or fails it when references are required.
func Shared(t testing.TB, files ...string) string {
	t.Helper()
	dir, err := SharedDir()
	if err != nil {
		missing(t, "the shared data directory is missing: "+err.Error(), sharedHint)
		return ""
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if _, err := os.Stat(p); err != nil {
			missing(t, fmt.Sprintf("%s is missing from the shared directory", f), sharedHint)
		}
	}
	return dir
}

// SharedFile returns the path of one file of the shared directory
// (slash-separated, relative to it), skipping or failing t as Shared does
// when it is missing.
func SharedFile(t testing.TB, file string) string {
	t.Helper()
	return filepath.Join(Shared(t, file), filepath.FromSlash(file))
}

var (
	mu      sync.Mutex
	imports = map[string]error{} // module → result of importing it
)

// aptPackages names the Debian package of each Python module the tests use.
var aptPackages = map[string]string{
	"gensim":  "python3-gensim",
	"numpy":   "python3-numpy",
	"scipy":   "python3-scipy",
	"torch":   "python3-torch",
	"sklearn": "python3-sklearn",
	"hnswlib": "python3-hnswlib",
	"faiss":   "python3-faiss",
}

// PythonModules returns Python after checking that it imports every given
// module; otherwise it skips t, or fails it when references are required.
// Each module is tried once per test binary.
func PythonModules(t testing.TB, modules ...string) string {
	t.Helper()
	for _, mod := range modules {
		mu.Lock()
		err, done := imports[mod]
		if !done {
			out, e := exec.Command(Python, "-c", "import "+mod).CombinedOutput()
			if e != nil {
				err = fmt.Errorf("%v: %s", e, lastLine(out))
			}
			imports[mod] = err
		}
		mu.Unlock()
		if err != nil {
			pkg := aptPackages[mod]
			if pkg == "" {
				pkg = "python3-" + mod
			}
			missing(t, fmt.Sprintf("%s cannot import %s: %v", Python, mod, err), "apt-get install "+pkg)
		}
	}
	return Python
}

// Command returns the path of an executable, looked up as exec.LookPath
// does; if it is missing it skips t, or fails it when references are
// required. aptPackage names the Debian package that provides it.
func Command(t testing.TB, name, aptPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, fmt.Sprintf("%s not found: %v", name, err), "apt-get install "+aptPackage)
	}
	return p
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
