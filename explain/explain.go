package explain

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/wordspace/wordspace/analogy"
	"github.com/wordspace/wordspace/corpus"
	"github.com/wordspace/wordspace/embed"
	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/transformer/inspect"
)

// Verdict says whether a claim held on the corpus.
type Verdict int

const (
	// NotSeen: the numbers do not show what the claim says.
	NotSeen Verdict = iota
	// HeldWeakly: the effect is there but small, or only part of the
	// claim held.
	HeldWeakly
	// Held: the numbers show what the claim says, by the section's rule.
	Held
)

func (v Verdict) String() string {
	switch v {
	case Held:
		return "held"
	case HeldWeakly:
		return "held weakly"
	}
	return "not seen on this corpus"
}

// Options configures Run. The zero value trains everything on the corpus
// with the defaults noted.
type Options struct {
	// Vectors are the static word vectors of sections 1-3 and the
	// transformer's initial token embedding; nil trains them on the corpus
	// (word2vec skip-gram, 100 dimensions, 5 epochs).
	Vectors *embed.Embeddings
	// Model is the transformer of sections 4-8; nil trains one.
	Model *transformer.Model
	// Quick runs everything small: a model of 2 blocks of width 32 trained
	// for 300 steps, fewer texts and resamples. For tests and a first look;
	// its verdicts mean little.
	Quick bool
	// Scaling adds section 9, the scaling-law fits (a longer run).
	Scaling bool
	// Steps is the number of transformer training steps of 16 windows of
	// 32 tokens (default 6000; Quick 300).
	Steps int
	// Vocab, DModel, Heads and Layers shape the trained transformer
	// (defaults 5000 words, width 64, 4 heads, 4 blocks; Quick 2000, 32,
	// 4, 2).
	Vocab, DModel, Heads, Layers int
	// Texts is the number of held-out sentences the heads, neurons and
	// logit lens are measured on (default 1500; Quick 150).
	Texts int
	// Analogies are the analogy questions of section 2 (nil: the built-in
	// relations, Relations).
	Analogies []analogy.Section
	// Threads is the number of goroutines (0: GOMAXPROCS).
	Threads int
	// Seed seeds every random choice; 0 is a seed like any other.
	Seed uint64
	// Progress, if not nil, is told what is being done.
	Progress func(Progress)
}

// Progress reports a stage of Run.
type Progress struct {
	// Stage names what is being done ("word vectors", "transformer", …).
	Stage string
	// Done and Total count the stage's unit of work: words for the word
	// vectors, optimisation steps for the transformer, models for the
	// scaling ladders; Total is 0 for a stage that does not count.
	Done, Total int64
	// Detail is a short description of the current figures.
	Detail string
}

func (o Options) withDefaults() Options {
	def := func(v *int, normal, quick int) {
		if *v <= 0 {
			*v = normal
			if o.Quick {
				*v = quick
			}
		}
	}
	def(&o.Steps, 6000, 300)
	def(&o.Vocab, 5000, 2000)
	def(&o.DModel, 64, 32)
	def(&o.Heads, 4, 4)
	def(&o.Layers, 4, 2)
	def(&o.Texts, 1500, 150)
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	return o
}

// Section is one claim, measured: a "## " section of the report.
type Section struct {
	Number int
	Title  string
	// Claim is the claim in one sentence.
	Claim string
	// Verdict is what the numbers say, Because the numbers behind it and
	// Rule the rule that turns them into the verdict.
	Verdict Verdict
	Because string
	Rule    string
	// Numbers are every number the section reports (all finite).
	Numbers []float64
	// Figures are the PNG files the section draws, relative to the
	// report's directory.
	Figures []string

	body  func(w *md)
	plots []figure
}

// figure is one figure of a section: its file name and how to draw it.
type figure struct {
	file string
	draw func(path string) error
}

// Stage is how long one part of the run took.
type Stage struct {
	Name    string
	Elapsed time.Duration
}

// Report is the outcome of Run.
type Report struct {
	// Corpus is the corpus's name.
	Corpus string
	// Tokens counts the corpus tokens the transformer's data were encoded
	// from, Unknown those outside its vocabulary (read as <unk>);
	// TrainTokens and HeldOutTokens are its split, with the <bos> and
	// <eos> tokens around each sentence.
	Tokens, Unknown            int64
	TrainTokens, HeldOutTokens int
	// VectorWords and VectorDim describe the static vectors.
	VectorWords, VectorDim int
	// ModelConfig and ModelParams describe the transformer; ModelTrained
	// says whether Run trained it.
	ModelConfig               transformer.Config
	ModelParams               int
	ModelTrained, VectorsMade bool
	Quick                     bool
	// Vectors and Model are the static vectors and the transformer
	// measured, given or trained; save them to measure again without
	// training.
	Vectors *embed.Embeddings
	Model   *transformer.Model

	Space      *Space
	Arithmetic *Arithmetic
	Bias       *Bias
	Context    *Context
	Heads      *Heads
	Neurons    *Neurons
	Lens       *Lens
	Training   *Training
	Scaling    *Scaling // nil without Options.Scaling

	// Sections are the claims in order.
	Sections []*Section
	// Stages time the parts of the run; Elapsed is the whole.
	Stages  []Stage
	Elapsed time.Duration
	// Threads is the number of goroutines used; Load the system load
	// averages at the start and the end, where the system reports them.
	Threads int
	Load    [2]string
}

// Run trains what opts does not give on src, measures every claim and
// returns the report. Cancelling ctx stops it with ctx's error.
func Run(ctx context.Context, src corpus.Source, opts Options) (*Report, error) {
	o := opts.withDefaults()
	began := time.Now()
	r := &Report{Corpus: src.Name(), Quick: o.Quick, Threads: o.Threads}
	r.Load[0] = loadAverage()
	progress := func(stage string, done, total int64, detail string) {
		if o.Progress != nil {
			o.Progress(Progress{Stage: stage, Done: done, Total: total, Detail: detail})
		}
	}
	stage := func(name string, fn func() error) error {
		t := time.Now()
		progress(name, 0, 0, "")
		if err := fn(); err != nil {
			return fmt.Errorf("explain: %s: %w", name, err)
		}
		r.Stages = append(r.Stages, Stage{name, time.Since(t)})
		return ctx.Err()
	}

	vectors := o.Vectors
	if err := stage("word vectors", func() error {
		if vectors != nil {
			return nil
		}
		var err error
		vectors, err = trainVectors(ctx, src, o, func(done, total int64, detail string) { progress("word vectors", done, total, detail) })
		r.VectorsMade = true
		return err
	}); err != nil {
		return nil, err
	}
	r.Vectors, r.VectorWords, r.VectorDim = vectors, vectors.Len(), vectors.Dim()
	steps := []struct {
		name string
		fn   func() error
	}{
		{"word space", func() (err error) { r.Space, err = measureSpace(ctx, vectors, o); return }},
		{"vector arithmetic", func() (err error) { r.Arithmetic, err = measureArithmetic(ctx, vectors, o); return }},
		{"bias", func() (err error) { r.Bias, err = measureBias(ctx, vectors, o); return }},
	}
	for _, s := range steps {
		if err := stage(s.name, s.fn); err != nil {
			return nil, err
		}
	}

	m := o.Model
	var data *transformer.Data
	var trained *transformer.Result
	if err := stage("transformer", func() error {
		var err error
		if m == nil {
			if m, err = newContextModel(vectors, o); err != nil {
				return err
			}
			r.ModelTrained = true
		}
		if data, err = encode(ctx, m, src); err != nil {
			return err
		}
		if r.ModelTrained {
			trained, err = trainContext(ctx, m, data, o.Steps, o, func(done, total int64, detail string) { progress("transformer", done, total, detail) })
		}
		return err
	}); err != nil {
		return nil, err
	}
	r.Model, r.ModelConfig, r.ModelParams = m, m.Config(), m.NumParams()
	r.Tokens, r.Unknown, r.TrainTokens, r.HeldOutTokens = data.Words, data.Unknown, len(data.Train), len(data.HeldOut)
	texts := inspect.Sentences(m, data.HeldOut, o.Texts, 4)
	steps = []struct {
		name string
		fn   func() error
	}{
		{"words in context", func() (err error) { r.Context, err = measureContext(m); return }},
		{"attention heads", func() (err error) { r.Heads, err = measureHeads(ctx, m, texts, o); return }},
		{"neurons", func() (err error) { r.Neurons, err = measureNeurons(ctx, m, texts, o); return }},
		{"logit lens", func() (err error) { r.Lens, err = measureLens(ctx, m, texts, data, o); return }},
		{"training", func() (err error) { r.Training, err = measureTraining(m, data, trained, o); return }},
	}
	if o.Scaling {
		steps = append(steps, struct {
			name string
			fn   func() error
		}{"scaling", func() (err error) {
			r.Scaling, err = measureScaling(ctx, m, data, o, func(done, total int64, detail string) { progress("scaling", done, total, detail) })
			return
		}})
	}
	for _, s := range steps {
		if err := stage(s.name, s.fn); err != nil {
			return nil, err
		}
	}
	r.Sections = []*Section{r.Space.section(), r.Arithmetic.section(), r.Bias.section(), r.Context.section(),
		r.Heads.section(), r.Neurons.section(), r.Lens.section(), r.Training.section()}
	if r.Scaling != nil {
		r.Sections = append(r.Sections, r.Scaling.section())
	}
	for i, s := range r.Sections {
		s.Number = i + 1
		for _, p := range s.plots {
			s.Figures = append(s.Figures, p.file)
		}
	}
	r.Elapsed = time.Since(began)
	r.Load[1] = loadAverage()
	return r, nil
}

// loadAverage returns the system's 1, 5 and 15-minute load averages as
// the system reports them, or "" where it does not (Linux only).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
