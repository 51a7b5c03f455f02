//go:build race

package embed

// raceEnabled skips the gensim interoperability tests under the race
// detector: they test file contents, not concurrency, and would only
// slow the race run down.
const raceEnabled = true
