package word2vec

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/subword"
)

// Train counts the vocabulary of c (unless cfg.Vocab is given), then
// trains word vectors on it as cfg says, reading the corpus once per
// epoch. Each of cfg.Threads goroutines trains on its own share of the
// sentences, which one reader goroutine tokenises and hands out in blocks
// of about ten thousand words.
//
// If ctx is cancelled, Train stops within a fraction of a second and
// returns the partly trained model together with ctx's error; the model
// knows exactly which sentences it has trained on, so SaveCheckpoint and
// later Resume continue where it stopped. Other errors return a nil model
// when they happen before training starts.
func Train(ctx context.Context, c corpus.Source, cfg Config) (*Model, error) {
	if c == nil {
		return nil, errors.New("word2vec: nil corpus")
	}
	cfg, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	vocab := cfg.Vocab
	if vocab == nil {
		v, err := corpus.BuildVocab(ctx, c, corpus.VocabOptions{MinCount: cfg.MinCount, MaxVocab: cfg.MaxVocab})
		if err != nil {
			return nil, err
		}
		vocab = v
	} else if vocab.Len() == 0 {
		return nil, fmt.Errorf("word2vec: the given vocabulary: %w", corpus.ErrEmptyVocab)
	} else if !vocab.HasCounts() {
		return nil, errors.New("word2vec: the given vocabulary has no word counts; training needs them for subsampling and noise words")
	}
	m := newModel(cfg, vocab)
	m.cfg.Vocab = nil
	progress := cfg.Progress
	m.cfg.Progress = nil
	return m, m.train(ctx, c, progress)
}

// Resume continues training m, typically loaded with LoadCheckpoint, on
// the corpus it was trained on, from the first sentence it had not
// trained on. With one thread, an interrupted and resumed run produces
// the same vectors, bit for bit, as an uninterrupted one. Resuming a
// finished model does nothing.
func (m *Model) Resume(ctx context.Context, c corpus.Source, progress func(Progress)) error {
	if c == nil {
		return errors.New("word2vec: nil corpus")
	}
	return m.train(ctx, c, progress)
}

// SetThreads changes the number of training goroutines for a later
// Resume; n <= 0 means runtime.GOMAXPROCS(0).
func (m *Model) SetThreads(n int) {
	if n < 0 {
		n = 0
	}
	m.cfg.Threads = n
	m.cfg = m.cfg.withDefaults()
}

// batchWords is the number of words the reader hands a goroutine at a
// time: large enough that handing out costs nothing, small enough that
// cancelling waits for little.
const batchWords = 10000

type batch struct {
	ids       []int32 // the known words of the batch's sentences, end to end
	ends      []int32 // end of each sentence in ids
	sentences int64   // corpus sentences covered, including any without a known word
	tokens    int64   // corpus tokens covered
}

// trainer holds what the goroutines of one run share.
type trainer struct {
	m     *Model
	cfg   Config
	index map[string]int32
	keep  []uint32 // chance, out of 2^24, that subsampling keeps word i
	noise *noiseSampler
	tree  *huffman
	// With subwords: the input rows of word i (its own, then its n-grams')
	// are sub[subStart[i]:subStart[i+1]].
	sub      []int32
	subStart []int32
	total    float64 // words to process over all epochs
	progress func(Progress)

	words     atomic.Int64 // words processed, all epochs
	tokens    atomic.Int64
	sentences atomic.Int64 // sentences of the current epoch trained on
	alphaBits atomic.Uint64

	mu       sync.Mutex // guards loss, examples, epochsDone and calls to progress
	loss     float64
	examples int64
	// epochsDone is the progress monitor's copy of m.state.Epoch (the
	// model's state belongs to the training goroutine). The report that
	// closes an epoch advances it, so that no report names the next
	// epoch before that one.
	epochsDone int

	start      time.Time
	startWords int64
}

func (m *Model) train(ctx context.Context, c corpus.Source, progress func(Progress)) error {
	if m.Done() {
		return nil
	}
	cfg := m.cfg
	cfg.Negative = cfg.negatives() // the workers count noise words: 0 when off
	n := m.vocab.Len()
	t := &trainer{m: m, cfg: cfg, progress: progress, index: make(map[string]int32, n)}
	for i, w := range m.vocab.Words() {
		t.index[w] = int32(i)
	}
	counts := m.vocab.Counts()
	var sum int64
	for _, c := range counts {
		sum += c
	}
	if sum == 0 {
		return fmt.Errorf("word2vec: the vocabulary's counts are all zero: %w", corpus.ErrEmptyVocab)
	}
	t.total = float64(sum) * float64(cfg.Epochs)
	t.keep = make([]uint32, n)
	for i, c := range counts {
		t.keep[i] = 1 << 24
		if cfg.Sample > 0 && c > 0 {
			th := cfg.Sample * float64(sum)
			if p := (math.Sqrt(float64(c)/th) + 1) * th / float64(c); p < 1 {
				t.keep[i] = uint32(p * (1 << 24))
			}
		}
	}
	if cfg.Negative > 0 {
		t.noise = newNoiseSampler(counts, cfg.NoiseExponent)
	}
	if cfg.HS {
		t.tree = newHuffman(counts)
	}
	if cfg.subwords() {
		t.subwordRows()
	}
	if len(m.state.RNG) != cfg.Threads {
		// A new run, or a resumed one with another thread count: seed
		// each goroutine's generator from the seed, the thread and the
		// words done so far, so that no two runs share a stream.
		r := splitmix(cfg.Seed ^ uint64(m.state.Words)*0x9e3779b97f4a7c15)
		m.state.RNG = make([]uint64, cfg.Threads)
		for i := range m.state.RNG {
			m.state.RNG[i] = r.next()
		}
	}
	t.words.Store(m.state.Words)
	t.tokens.Store(m.state.Tokens)
	t.loss, t.examples = m.state.Loss, m.state.Examples
	t.alphaBits.Store(math.Float64bits(m.state.Alpha))
	t.start, t.startWords = time.Now(), m.state.Words
	t.epochsDone = m.state.Epoch

	stop := t.monitor()
	defer stop()
	for m.state.Epoch < cfg.Epochs {
		err := t.epoch(ctx, c)
		t.save()
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("word2vec: training stopped in epoch %d after %d words: %w", m.state.Epoch+1, m.state.Words, err)
			}
			return err
		}
		if m.state.Sentences == 0 && m.state.Epoch == 0 {
			return fmt.Errorf("word2vec: corpus %s has no sentences: %w", c.Name(), corpus.ErrEmptyVocab)
		}
		m.state.Epoch++
		m.state.Sentences = 0
		t.report(true)
		t.mu.Lock()
		t.loss, t.examples = 0, 0
		t.mu.Unlock()
		t.sentences.Store(0)
		m.state.Loss, m.state.Examples = 0, 0
	}
	return m.checkFinite()
}

// subwordRows lists every word's input rows: its own, then those of its
// character n-grams, after the vocabulary's rows.
func (t *trainer) subwordRows() {
	cfg, words := t.cfg, t.m.vocab.Words()
	n := int32(len(words))
	t.subStart = make([]int32, len(words)+1)
	t.sub = make([]int32, 0, 24*len(words))
	for i, w := range words {
		t.sub = append(t.sub, int32(i))
		start := len(t.sub)
		t.sub = subword.AppendBuckets(t.sub, w, cfg.MinN, cfg.MaxN, cfg.Bucket)
		for k := start; k < len(t.sub); k++ {
			t.sub[k] += n
		}
		t.subStart[i+1] = int32(len(t.sub))
	}
}

// rows returns word's input rows (with subwords).
func (t *trainer) rows(word int32) []int32 { return t.sub[t.subStart[word]:t.subStart[word+1]] }

// save copies the shared counters into the model's state.
func (t *trainer) save() {
	s := &t.m.state
	s.Words = t.words.Load()
	s.Tokens = t.tokens.Load()
	s.Sentences += t.sentences.Swap(0)
	s.Alpha = math.Float64frombits(t.alphaBits.Load())
	t.mu.Lock()
	s.Loss, s.Examples = t.loss, t.examples
	t.mu.Unlock()
}

// epoch trains on the rest of the current epoch: the reader (this
// goroutine) fills batches from a pool, the workers train on them and
// give them back. On cancellation the reader stops handing out batches
// and the workers finish those they hold, so every sentence counted as
// done has been trained on in full.
func (t *trainer) epoch(ctx context.Context, c corpus.Source) error {
	threads := t.cfg.Threads
	free := make(chan *batch, 2*threads+1)
	for range cap(free) {
		free <- &batch{ids: make([]int32, 0, batchWords+corpus.MaxSentenceTokens), ends: make([]int32, 0, 1024)}
	}
	work := make(chan *batch, threads)
	var wg sync.WaitGroup
	for i := range threads {
		w := newWorker(t, t.m.state.RNG[i])
		wg.Go(func() {
			for b := range work {
				w.train(b)
				free <- b
			}
			t.m.state.RNG[i] = w.rng
		})
	}
	skip := t.m.state.Sentences
	var seen int64
	b := <-free
	send := func() error {
		select {
		case work <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		b = <-free
		b.ids, b.ends, b.sentences, b.tokens = b.ids[:0], b.ends[:0], 0, 0
		return nil
	}
	err := corpus.SentenceIDs(ctx, c, t.index, func(ids []int32, tokens int) error {
		if seen++; seen <= skip {
			return nil
		}
		b.ids = append(b.ids, ids...)
		b.ends = append(b.ends, int32(len(b.ids)))
		b.sentences++
		b.tokens += int64(tokens)
		if len(b.ids) >= batchWords {
			return send()
		}
		return nil
	})
	if err == nil && b.sentences > 0 {
		err = send()
	}
	close(work)
	wg.Wait()
	return err
}

// alpha is the learning rate after done words: linear decay from Alpha
// to MinAlpha.
func (t *trainer) alpha(done int64) float32 {
	a, end := t.cfg.Alpha, t.cfg.MinAlpha
	return float32(max(a-(a-end)*float64(done)/(t.total+1), end))
}

// monitor calls the progress callback every ProgressInterval until the
// returned function is called.
func (t *trainer) monitor() (stop func()) {
	if t.progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(t.cfg.ProgressInterval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				t.report(false)
			case <-done:
				return
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// report calls the progress callback: from the monitor every interval,
// and from the training goroutine with epochDone to close an epoch.
func (t *trainer) report(epochDone bool) {
	if t.progress == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	words := t.words.Load()
	elapsed := time.Since(t.start)
	if epochDone {
		t.epochsDone++
	}
	epoch := min(t.epochsDone+1, t.cfg.Epochs)
	if epochDone {
		epoch = t.epochsDone
	}
	p := Progress{
		Epoch:     epoch,
		Epochs:    t.cfg.Epochs,
		Done:      words,
		Total:     int64(t.total),
		Tokens:    t.tokens.Load(),
		Alpha:     math.Float64frombits(t.alphaBits.Load()),
		Elapsed:   elapsed,
		Loss:      t.loss,
		Examples:  t.examples,
		EpochDone: epochDone,
	}
	if s := elapsed.Seconds(); s > 0 {
		p.WordsPerSec = float64(words-t.startWords) / s
	}
	t.progress(p)
}

// longestPath is the length of the longest Huffman path, 0 without
// hierarchical softmax.
func (t *trainer) longestPath() int {
	if t.tree == nil {
		return 0
	}
	return t.tree.longest
}
