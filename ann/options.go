package ann

import (
	"fmt"
	"runtime"
	"time"
)

// Defaults for the zero fields of BuildOptions.
const (
	DefaultM              = 16
	DefaultEfConstruction = 200
	DefaultEf             = 64
)

// BuildOptions are the settings of Build. The zero value is usable: every
// zero field means the documented default.
type BuildOptions struct {
	// M is the number of links each vector keeps to others on the upper
	// layers of the graph; the bottom layer keeps up to 2·M. More links
	// give better recall for a given Ef at the cost of memory (about
	// 8·M + 4 bytes a vector, besides dim + 4 bytes of int8 codes) and
	// build time. 0 means DefaultM (16);
	// it must be between 2 and 1024.
	M int
	// EfConstruction is the number of candidates kept while looking for
	// a new vector's neighbours during the build. Larger values build a
	// better graph, more slowly. 0 means DefaultEfConstruction (200);
	// values below M are raised to M.
	EfConstruction int
	// Ef is the number of candidates a search keeps by default (see
	// Index.WithEf): the main trade of speed against recall. It is
	// saved with the index. 0 means DefaultEf (64).
	Ef int
	// Threads is the number of goroutines that insert vectors at the
	// same time; 0 means runtime.GOMAXPROCS(0). The graph does not
	// depend on it: the same vectors, options and Seed build the same
	// index with any number of threads.
	Threads int
	// Seed draws the layer of every vector.
	Seed uint64
	// Progress, if not nil, is called from one goroutine at a time
	// every ProgressInterval while building, and once at the end.
	Progress func(Progress)
	// ProgressInterval is how often Progress is called; 0 means a second.
	ProgressInterval time.Duration
}

// Progress reports how far a build has come.
type Progress struct {
	// Done counts the vectors inserted so far; it reaches Total, the
	// number of vectors, when the build ends.
	Done, Total int64
	// Elapsed is the time since Build started.
	Elapsed time.Duration
}

// maxM bounds M so that a corrupt header cannot ask for huge link lists.
const maxM = 1024

// maxLevel bounds the number of layers. The layer of a vector is drawn
// with probability M^-level, so even 2^32 vectors with M = 2 reach about
// 32 layers.
const maxLevel = 64

func (o *BuildOptions) validate() error {
	switch {
	case o.M < 0 || o.M == 1 || o.M > maxM:
		return fmt.Errorf("ann: M %d: must be between 2 and %d (0 for the default %d)", o.M, maxM, DefaultM)
	case o.EfConstruction < 0:
		return fmt.Errorf("ann: efConstruction %d: must not be negative", o.EfConstruction)
	case o.Ef < 0:
		return fmt.Errorf("ann: ef %d: must not be negative", o.Ef)
	case o.Threads < 0:
		return fmt.Errorf("ann: threads %d: must not be negative", o.Threads)
	}
	if o.M == 0 {
		o.M = DefaultM
	}
	if o.EfConstruction == 0 {
		o.EfConstruction = DefaultEfConstruction
	}
	o.EfConstruction = max(o.EfConstruction, o.M)
	if o.Ef == 0 {
		o.Ef = DefaultEf
	}
	if o.Threads == 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	if o.ProgressInterval <= 0 {
		o.ProgressInterval = time.Second
	}
	return nil
}
