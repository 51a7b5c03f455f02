package ppmi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/james-bowman/sparse"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
)

// Weighting says how much a context word counts by its distance d from the
// centre word, 1 ≤ d ≤ window.
type Weighting int

const (
	// Uniform counts every context in the window once.
	Uniform Weighting = iota
	// Linear weighs a context at distance d by (L−d+1)/L, the expected
	// count under word2vec's dynamic window, which draws the window size
	// uniformly from 1..L ("dyn" in Levy et al. 2015).
	Linear
	// Harmonic weighs a context at distance d by 1/d, as GloVe does.
	Harmonic
)

var weightingNames = []string{"uniform", "linear", "harmonic"}

func (w Weighting) String() string {
	if w >= 0 && int(w) < len(weightingNames) {
		return weightingNames[w]
	}
	return fmt.Sprintf("Weighting(%d)", int(w))
}

// ParseWeighting returns the weighting named s: "uniform", "linear" or
// "harmonic".
func ParseWeighting(s string) (Weighting, error) {
	for i, n := range weightingNames {
		if strings.EqualFold(s, n) {
			return Weighting(i), nil
		}
	}
	return 0, fmt.Errorf("ppmi: unknown weighting %q (want %s)", s, strings.Join(weightingNames, ", "))
}

// CountOptions controls Count.
type CountOptions struct {
	// Window is the number of context words on each side of a word; 0
	// means 5. Windows do not cross sentence (line) boundaries.
	Window int
	// Weighting weighs a context by its distance; the zero value counts
	// every context once.
	Weighting Weighting
	// Subsample is word2vec's sample threshold t: a word with corpus
	// frequency f is kept with probability (sqrt(f/t)+1)·t/f, before the
	// windows are laid out, as in word2vec. 0 keeps every word; word2vec
	// uses 1e-3 and Levy et al. 1e-5. It needs a vocabulary with counts.
	Subsample float64
	// Seed makes subsampling reproducible. Each sentence draws from its own
	// generator, seeded by Seed and the sentence's position, so the counts
	// do not depend on Threads.
	Seed uint64
	// Threads is the number of counting goroutines; 0 means GOMAXPROCS.
	Threads int
	// ShardPairs bounds the distinct pairs a counting goroutine holds
	// before it merges them into the shared result (16 bytes each, in a
	// table twice that size); 0 means 2^21 (64 MiB). Each goroutine also
	// holds the pairs of the most frequent words in a dense triangle of
	// about the same size.
	ShardPairs int
	// Progress, if not nil, is called from time to time with the
	// vocabulary tokens read so far (Done) and the total expected (the sum
	// of the vocabulary's counts, or 0 when it has none), Stage StageCount.
	Progress func(Progress)
}

func (o CountOptions) withDefaults() (CountOptions, error) {
	if o.Window == 0 {
		o.Window = 5
	}
	if o.Window < 0 || o.Window > 1000 {
		return o, fmt.Errorf("ppmi: window %d out of range 1..1000", o.Window)
	}
	if o.Weighting < Uniform || o.Weighting > Harmonic {
		return o, fmt.Errorf("ppmi: unknown weighting %d", int(o.Weighting))
	}
	if o.Subsample < 0 || math.IsNaN(o.Subsample) || math.IsInf(o.Subsample, 0) {
		return o, fmt.Errorf("ppmi: subsample threshold %v is not a non-negative number", o.Subsample)
	}
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	if o.ShardPairs <= 0 {
		o.ShardPairs = 1 << 21
	}
	if o.ShardPairs < 1024 {
		o.ShardPairs = 1024
	}
	return o, nil
}

// ErrEmptyCounts is returned when a corpus yields no co-occurring pair.
var ErrEmptyCounts = errors.New("no co-occurrences")

// Count reads src once and counts how often each pair of vocabulary
// words occurs within the window of each other. Words outside vocab are
// dropped before the windows are laid out, as word2vec does. The counts
// are symmetric: #(a,b) = #(b,a).
func Count(ctx context.Context, src corpus.Source, vocab *embed.Vocab, opts CountOptions) (*Cooccurrence, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if vocab == nil || vocab.Len() == 0 {
		return nil, errors.New("ppmi: empty vocabulary")
	}
	if vocab.Len() > math.MaxInt32 {
		return nil, fmt.Errorf("ppmi: vocabulary of %d words is too large", vocab.Len())
	}
	var keep []uint64
	if opts.Subsample > 0 {
		if keep, err = keepThresholds(vocab, opts.Subsample); err != nil {
			return nil, err
		}
	}
	units, unit := distanceWeights(opts.Window, opts.Weighting)
	var total int64
	for _, c := range vocab.Counts() {
		total += c
	}

	m := newMerger(vocab.Len())
	// Pairs of frequent words, most of all pairs in Zipfian text (70 % on
	// a 15-million-word English corpus), go to a dense triangle per
	// goroutine, as big as its hash table but at most 4096 words (64 MiB).
	f := min(vocab.Len(), denseWords, int(math.Sqrt(8*float64(opts.ShardPairs))))
	batches := make(chan *batch, opts.Threads)
	free := make(chan *batch, 2*opts.Threads)
	for range cap(free) {
		free <- &batch{}
	}
	var (
		wg   sync.WaitGroup
		read atomic.Int64 // vocabulary tokens seen by the counters
	)
	counted := make([]int64, opts.Threads)
	workers := make([]*counter, opts.Threads)
	for t := range opts.Threads {
		w := &counter{
			vocab:  vocab,
			read:   &read,
			window: opts.Window,
			units:  units,
			keep:   keep,
			seed:   opts.Seed,
			table:  newPairTable(opts.ShardPairs),
			merger: m,
			f:      int32(f),
			dense:  make([]float64, f*(f+1)/2),
		}
		workers[t] = w
		wg.Go(func() {
			for b := range batches {
				w.count(b)
				free <- b
			}
			w.flush()
			counted[t] = w.tokens
		})
	}

	// The reader only splits the corpus into batches of sentences; the
	// counters look the words up, so that the reader is not the
	// bottleneck. A Source lets the token strings be kept after the
	// callback returns (only the slice is reused).
	var (
		reported int64
		sentence int64
		cur      = <-free
	)
	send := func() {
		batches <- cur
		cur = <-free
		cur.reset(sentence)
	}
	cur.reset(0)
	err = src.Sentences(ctx, func(tokens []string) error {
		cur.words = append(cur.words, tokens...)
		cur.ends = append(cur.ends, int32(len(cur.words)))
		sentence++
		if len(cur.words) >= batchTokens {
			send()
			if r := read.Load(); opts.Progress != nil && r-reported >= 1<<20 {
				reported = r
				opts.Progress(Progress{StageCount, r, total})
			}
		}
		return nil
	})
	if err == nil && len(cur.ends) > 0 {
		send()
	}
	close(batches)
	wg.Wait()
	if err != nil {
		return nil, fmt.Errorf("ppmi: counting %s: %w", src.Name(), err)
	}
	if opts.Progress != nil {
		opts.Progress(Progress{StageCount, read.Load(), total})
	}
	var tokens int64
	for _, n := range counted {
		tokens += n
	}
	m.mergeDense(workers, f)
	counts := m.csr(1 / unit)
	if counts.NNZ() == 0 {
		return nil, fmt.Errorf("ppmi: %s: %d vocabulary tokens, no pair within a window: %w", src.Name(), read.Load(), ErrEmptyCounts)
	}
	return &Cooccurrence{
		vocab:  vocab,
		counts: counts,
		info: CountInfo{
			Corpus:    src.Name(),
			Window:    opts.Window,
			Weighting: opts.Weighting,
			Subsample: opts.Subsample,
			Seed:      opts.Seed,
			Tokens:    tokens,
		},
	}, nil
}

// denseWords is the most words whose pairs a counting goroutine keeps in
// its dense triangle.
const denseWords = 4096

// batchTokens is roughly how many tokens a reader hands a counting
// goroutine at a time.
const batchTokens = 1 << 16

// batch is a run of consecutive sentences.
type batch struct {
	first int64    // corpus position of the first sentence
	words []string // the tokens of every sentence, concatenated
	ends  []int32  // end of each sentence in words
}

func (b *batch) reset(first int64) {
	b.first = first
	clear(b.words) // let the strings go
	b.words = b.words[:0]
	b.ends = b.ends[:0]
}

// keepThresholds returns, for every word, the probability of keeping one
// of its occurrences scaled to 2^64 (word2vec's formula), for comparison
// with a random uint64.
func keepThresholds(vocab *embed.Vocab, t float64) ([]uint64, error) {
	if !vocab.HasCounts() {
		return nil, errors.New("ppmi: subsampling needs a vocabulary with word counts")
	}
	var total float64
	for _, c := range vocab.Counts() {
		total += float64(c)
	}
	keep := make([]uint64, vocab.Len())
	for i, c := range vocab.Counts() {
		p := 1.0
		if c > 0 {
			tn := t * total
			p = (math.Sqrt(float64(c)/tn) + 1) * tn / float64(c)
		}
		if p >= 1 {
			keep[i] = math.MaxUint64
		} else {
			keep[i] = uint64(p * (1 << 63) * 2)
		}
	}
	return keep, nil
}

// distanceWeights returns the weight of a context at each distance
// 1..window (index 0 unused) as whole numbers, and the unit that turns them
// into the real weights. Whole numbers make the sums exact, so the counts
// do not depend on the order in which goroutines add them up.
func distanceWeights(window int, w Weighting) ([]float64, float64) {
	units := make([]float64, window+1)
	switch w {
	case Linear:
		for d := 1; d <= window; d++ {
			units[d] = float64(window - d + 1)
		}
		return units, float64(window)
	case Harmonic:
		l := int64(1)
		for d := int64(2); d <= int64(window) && l > 0; d++ {
			l = lcm(l, d)
			if l > 1<<24 {
				l = 0
			}
		}
		if l == 0 {
			// Too many distances for exact whole numbers (window > 18):
			// fall back to fractions.
			for d := 1; d <= window; d++ {
				units[d] = 1 / float64(d)
			}
			return units, 1
		}
		for d := 1; d <= window; d++ {
			units[d] = float64(l / int64(d))
		}
		return units, float64(l)
	default:
		for d := 1; d <= window; d++ {
			units[d] = 1
		}
		return units, 1
	}
}

func lcm(a, b int64) int64 {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

// counter is one counting goroutine's state.
type counter struct {
	vocab  *embed.Vocab
	read   *atomic.Int64
	ids    []int32
	window int
	units  []float64
	keep   []uint64
	seed   uint64
	table  *pairTable
	merger *merger
	rng    rand.PCG
	kept   []int32
	tokens int64
	// dense holds the pairs (r, c), r ≤ c < f, at c(c+1)/2 + r.
	f     int32
	dense []float64
}

func (w *counter) count(b *batch) {
	start := int32(0)
	var read int64
	for k, end := range b.ends {
		s := w.ids[:0]
		for _, t := range b.words[start:end] {
			if i, ok := w.vocab.Index(t); ok {
				s = append(s, int32(i))
			}
		}
		w.ids = s
		read += int64(len(s))
		start = end
		if w.keep != nil {
			w.rng.Seed(w.seed, uint64(b.first)+uint64(k))
			w.kept = w.kept[:0]
			for _, id := range s {
				if th := w.keep[id]; th == math.MaxUint64 || w.rng.Uint64() < th {
					w.kept = append(w.kept, id)
				}
			}
			s = w.kept
		}
		w.tokens += int64(len(s))
		w.sentence(s)
	}
	w.read.Add(read)
}

// sentence counts the pairs of s. Each pair is stored once, under
// (min, max); the matrix is made symmetric when it is assembled, which
// halves the work here. A word paired with itself is counted twice, once
// from each side.
func (w *counter) sentence(s []int32) {
	t := w.table
	for i, a := range s {
		lim := min(i+w.window, len(s)-1)
		for j := i + 1; j <= lim; j++ {
			b := s[j]
			v := w.units[j-i]
			r, c := a, b
			if r > c {
				r, c = c, r
			} else if r == c {
				v *= 2
			}
			if c < w.f {
				w.dense[int(c)*int(c+1)/2+int(r)] += v
				continue
			}
			t.add(uint64(r)<<32|uint64(c), v)
			if t.n >= t.limit {
				w.flush()
			}
		}
	}
}

func (w *counter) flush() {
	if w.table.n > 0 {
		w.merger.merge(w.table)
		w.table.clear()
	}
}

// pair is one count of the upper triangle, keyed by row<<32 | column.
type pair struct {
	key uint64
	val float64
}

// pairTable is an open-addressing hash table of pair counts. Keys are
// stored plus one so that zero marks an empty slot; key and value share a
// slot so that a probe touches one cache line.
type pairTable struct {
	slots []pair
	shift uint
	n     int
	limit int
	run   []pair // scratch for merging
	tmp   []pair // scratch for sorting
}

func newPairTable(limit int) *pairTable {
	size, shift := 1, uint(64)
	for size < 2*limit {
		size *= 2
		shift--
	}
	return &pairTable{slots: make([]pair, size), shift: shift, limit: limit}
}

func (t *pairTable) add(key uint64, v float64) {
	k := key + 1
	mask := uint64(len(t.slots) - 1)
	h := (k * 0x9e3779b97f4a7c15) >> t.shift
	for {
		p := &t.slots[h]
		switch p.key {
		case k:
			p.val += v
			return
		case 0:
			p.key, p.val = k, v
			t.n++
			return
		}
		h = (h + 1) & mask
	}
}

func (t *pairTable) clear() {
	clear(t.slots)
	t.n = 0
}

// merger accumulates the shards' counts in bands of rows (row mod
// numBands), each a run of pairs sorted by key, so that merging a shard
// locks and copies one band at a time rather than the whole result.
type merger struct {
	n     int
	bands [numBands]struct {
		mu    sync.Mutex
		pairs []pair
	}
}

const numBands = 64

func newMerger(n int) *merger { return &merger{n: n} }

// merge adds the contents of t to the bands.
func (m *merger) merge(t *pairTable) {
	var sizes [numBands + 1]int
	for _, p := range t.slots {
		if p.key != 0 {
			sizes[((p.key-1)>>32)%numBands+1]++
		}
	}
	for b := 1; b <= numBands; b++ {
		sizes[b] += sizes[b-1]
	}
	if cap(t.run) < t.n {
		t.run = make([]pair, t.n)
	}
	run := t.run[:t.n]
	pos := sizes
	for _, p := range t.slots {
		if p.key != 0 {
			b := ((p.key - 1) >> 32) % numBands
			run[pos[b]] = pair{p.key - 1, p.val}
			pos[b]++
		}
	}
	for b := range numBands {
		part := run[sizes[b]:sizes[b+1]]
		if len(part) == 0 {
			continue
		}
		if cap(t.tmp) < len(part) {
			t.tmp = make([]pair, len(part))
		}
		radixSort(part, t.tmp[:len(part)])
		band := &m.bands[b]
		band.mu.Lock()
		band.pairs = mergeRuns(band.pairs, part)
		band.mu.Unlock()
	}
}

// radixSort sorts a by key, using tmp (as long as a) as scratch: one
// counting pass per byte of the key, skipping bytes that are the same in
// every key.
func radixSort(a, tmp []pair) {
	if len(a) == 0 {
		return
	}
	var or, and uint64 = 0, math.MaxUint64
	for _, p := range a {
		or |= p.key
		and &= p.key
	}
	src, dst := a, tmp
	for shift := uint(0); shift < 64; shift += 8 {
		if (or^and)>>shift&0xff == 0 {
			continue // this byte does not vary
		}
		var count [257]int
		for _, p := range src {
			count[(p.key>>shift)&0xff+1]++
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, p := range src {
			b := (p.key >> shift) & 0xff
			dst[count[b]] = p
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
}

// mergeDense adds up the dense triangles of the workers and merges them
// into the bands.
func (m *merger) mergeDense(workers []*counter, f int) {
	sum := workers[0].dense
	for _, w := range workers[1:] {
		for i, v := range w.dense {
			sum[i] += v
		}
		w.dense = nil
	}
	var runs [numBands][]pair
	for r := range f {
		b := r % numBands
		for c := r; c < f; c++ {
			if v := sum[c*(c+1)/2+r]; v != 0 {
				runs[b] = append(runs[b], pair{uint64(r)<<32 | uint64(c), v})
			}
		}
	}
	workers[0].dense = nil
	for b := range runs {
		m.bands[b].pairs = mergeRuns(m.bands[b].pairs, runs[b])
	}
}

// mergeRuns merges two runs sorted by key, adding the values of equal keys.
func mergeRuns(a, b []pair) []pair {
	if len(a) == 0 {
		return slices.Clone(b)
	}
	out := make([]pair, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].key < b[j].key:
			out = append(out, a[i])
			i++
		case a[i].key > b[j].key:
			out = append(out, b[j])
			j++
		default:
			out = append(out, pair{a[i].key, a[i].val + b[j].val})
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// csr assembles the symmetric matrix from the upper-triangle bands, scaling
// every value by scale, and releases the bands.
func (m *merger) csr(scale float64) *sparse.CSR {
	n := m.n
	indptr := make([]int, n+1)
	for b := range m.bands {
		for _, p := range m.bands[b].pairs {
			r, c := int(p.key>>32), int(uint32(p.key))
			indptr[r+1]++
			if r != c {
				indptr[c+1]++
			}
		}
	}
	for i := range n {
		indptr[i+1] += indptr[i]
	}
	nnz := indptr[n]
	ind := make([]int, nnz)
	data := make([]float64, nnz)
	next := slices.Clone(indptr[:n])
	var cursor [numBands]int
	// Rows in increasing order: row c receives its lower-triangle entries
	// (r, c), r < c, from earlier rows before its own entries (c, c' ≥ c),
	// so every row comes out sorted by column.
	for r := range n {
		b := r % numBands
		pairs := m.bands[b].pairs
		k := cursor[b]
		for ; k < len(pairs) && int(pairs[k].key>>32) == r; k++ {
			c, v := int(uint32(pairs[k].key)), pairs[k].val*scale
			ind[next[r]], data[next[r]] = c, v
			next[r]++
			if c != r {
				ind[next[c]], data[next[c]] = r, v
				next[c]++
			}
		}
		cursor[b] = k
	}
	for b := range m.bands {
		m.bands[b].pairs = nil
	}
	return sparse.NewCSR(n, n, indptr, ind, data)
}
