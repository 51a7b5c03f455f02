package transformer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/wordspace/wordspace/corpus"
)

// TrainOptions controls Train. Zero fields take the defaults noted.
type TrainOptions struct {
	Steps       int     // optimisation steps (1000)
	Batch       int     // sequences of Context tokens per step (16)
	LR          float64 // peak learning rate (1e-3)
	MinLR       float64 // final learning rate of the cosine decay (LR/10)
	Warmup      int     // steps of linear warm-up (Steps/20, at least 1)
	WeightDecay float64 // AdamW decoupled weight decay on matrices (0.01)
	Clip        float64 // global gradient-norm clipping threshold (1; negative: none)
	HeldOut     float64 // fraction of sentences held out (0.02)
	EvalEvery   int     // steps between held-out evaluations (Steps/10; the last step always)
	EvalTokens  int     // held-out tokens scored per evaluation (50,000; 0 after defaults means all)
	Threads     int     // goroutines (GOMAXPROCS)
	// Progress, if set, is called every ReportEvery steps (default 10) and
	// after every held-out evaluation.
	Progress    func(Progress)
	ReportEvery int
	// Checkpoint, if set, is a path where the model and optimiser state are
	// saved every CheckpointEvery steps (default: at evaluations) and at
	// the end.
	Checkpoint      string
	CheckpointEvery int
	// Resume continues a run from a state returned by LoadCheckpoint; the
	// model must be the one loaded with it.
	Resume *TrainState
	// Data, if set, is used instead of encoding the corpus (which may then be
	// nil), so several runs can share one encoding.
	Data *Data
}

// Progress reports a training run's state. Done and Total count
// optimisation steps, as every wordspace Progress counts its job's unit of
// work.
type Progress struct {
	Done, Total int64
	// Loss is the mean training cross-entropy (nats per token) since the
	// previous report; Perplexity is exp(Loss).
	Loss, Perplexity float64
	// HeldOutLoss and HeldOutPerplexity are set (not NaN) at evaluations.
	HeldOutLoss, HeldOutPerplexity float64
	LR                             float64
	GradNorm                       float64
	TokensPerSec                   float64 // training tokens per second of wall time so far
	Elapsed                        time.Duration
}

// Result summarises a finished (or cancelled) run.
type Result struct {
	Steps                          int
	HeldOutLoss, HeldOutPerplexity float64
	Words, Unknown                 int64 // corpus tokens read and unknown
	TrainTokens, HeldOutTokens     int
	History                        []Progress // every report, in order
}

func (c TrainOptions) withDefaults() TrainOptions {
	if c.Steps <= 0 {
		c.Steps = 1000
	}
	if c.Batch <= 0 {
		c.Batch = 16
	}
	if c.LR <= 0 {
		c.LR = 1e-3
	}
	if c.MinLR <= 0 {
		c.MinLR = c.LR / 10
	}
	if c.Warmup <= 0 {
		c.Warmup = max(1, c.Steps/20)
	}
	if c.WeightDecay == 0 {
		c.WeightDecay = 0.01
	}
	if c.Clip == 0 {
		c.Clip = 1
	}
	if c.HeldOut == 0 {
		c.HeldOut = 0.02
	}
	if c.EvalEvery <= 0 {
		c.EvalEvery = max(1, c.Steps/10)
	}
	if c.EvalTokens == 0 {
		c.EvalTokens = 50000
	}
	if c.Threads <= 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
	if c.ReportEvery <= 0 {
		c.ReportEvery = 10
	}
	if c.CheckpointEvery <= 0 {
		c.CheckpointEvery = c.EvalEvery
	}
	return c
}

// fingerprint identifies the training text when src can say (a
// *corpus.Corpus of files or text in memory), for checkpoints.
func fingerprint(src corpus.Source) (string, error) {
	if f, ok := src.(interface{ Fingerprint() (string, error) }); ok {
		return f.Fingerprint()
	}
	return "", nil
}

// ErrNoData is returned when the corpus is too short for one training
// window or the held-out split is empty.
var ErrNoData = errors.New("not enough text")

// Train trains m on next-word prediction over src (read through package
// corpus, as word2vec reads it, so the tokens match the static vectors'):
// each step draws cfg.Batch windows of Context+1 tokens at random
// positions of the training stream (from the model's seed and the step
// number, so a resumed run draws the same windows), runs forward and backward passes, clips the
// gradient norm, and updates with AdamW under a warm-up + cosine schedule.
// The held-out split is scored every EvalEvery steps. Cancelling ctx stops
// after the current step, saves the checkpoint if one is configured, and
// returns the result so far with ctx's error. With one worker the run is
// deterministic for a fixed seed.
func Train(ctx context.Context, m *Model, src corpus.Source, cfg TrainOptions) (*Result, error) {
	cfg = cfg.withDefaults()
	fp, err := fingerprint(src)
	if err != nil {
		return nil, err
	}
	if r := cfg.Resume; r != nil && r.Corpus != "" && fp != "" && r.Corpus != fp {
		return nil, fmt.Errorf("transformer: resume: %s is %w", src.Name(), corpus.ErrChanged)
	}
	data := cfg.Data
	if data == nil {
		if src == nil {
			return nil, fmt.Errorf("transformer: no corpus: %w", ErrNoData)
		}
		var err error
		if data, err = Encode(ctx, m, src, cfg.HeldOut); err != nil {
			return nil, err
		}
	}
	T := m.cfg.Context
	if len(data.Train) < T+2 {
		return nil, fmt.Errorf("transformer: %d training tokens, need more than a window of %d: %w", len(data.Train), T+1, ErrNoData)
	}
	res := &Result{Words: data.Words, Unknown: data.Unknown, TrainTokens: len(data.Train), HeldOutTokens: len(data.HeldOut),
		HeldOutLoss: math.NaN(), HeldOutPerplexity: math.NaN()}
	opt := NewAdamW(cfg.WeightDecay)
	start := 0
	if cfg.Resume != nil {
		start = cfg.Resume.Step
		if cfg.Resume.Opt != nil {
			opt = cfg.Resume.Opt
		}
	}
	tr := newTrainer(m, cfg.Batch, cfg.Threads, opt, cfg.Clip)
	defer tr.close()
	tr.ws.dropStep = uint64(start)
	var eval *workspace
	if heldOutWindows(len(data.HeldOut), T, cfg.EvalTokens) > 0 {
		eval = newWorkspace(m, cfg.Batch, T, cfg.Threads, false)
		defer eval.close()
	}
	sched := Schedule{Peak: cfg.LR, Min: cfg.MinLR, Warmup: cfg.Warmup, Total: cfg.Steps}
	began := time.Now()
	var lossSum float64
	lossN := 0
	tokens := 0
	report := func(step int, gradNorm float64, evaluated bool) {
		p := Progress{Done: int64(step), Total: int64(cfg.Steps), Loss: math.NaN(), Perplexity: math.NaN(),
			HeldOutLoss: math.NaN(), HeldOutPerplexity: math.NaN(), LR: sched.At(step - 1), GradNorm: gradNorm}
		if lossN > 0 {
			p.Loss = lossSum / float64(lossN)
			p.Perplexity = math.Exp(p.Loss)
		}
		if evaluated {
			p.HeldOutLoss, p.HeldOutPerplexity = res.HeldOutLoss, res.HeldOutPerplexity
		}
		p.Elapsed = time.Since(began)
		p.TokensPerSec = float64(tokens) / p.Elapsed.Seconds()
		res.History = append(res.History, p)
		if cfg.Progress != nil {
			cfg.Progress(p)
		}
		lossSum, lossN = 0, 0
	}
	save := func(step int) error {
		if cfg.Checkpoint == "" {
			return nil
		}
		plan := cfg
		plan.Progress, plan.Resume, plan.Data = nil, nil, nil
		return m.SaveCheckpoint(cfg.Checkpoint, &TrainState{Step: step, Opt: opt, Options: plan, Corpus: fp})
	}
	ws := tr.ws
	step := start
	pcg := rand.NewPCG(0, 0)
	rng := rand.New(pcg)
	for step < cfg.Steps {
		if err := ctx.Err(); err != nil {
			res.Steps = step
			if serr := save(step); serr != nil {
				return res, errors.Join(err, serr)
			}
			return res, err
		}
		pcg.Seed(m.cfg.Seed, uint64(step)) // windows depend on the step alone: resumable
		for b := range cfg.Batch {
			s := rng.IntN(len(data.Train) - T)
			copy(ws.ids[b*T:(b+1)*T], data.Train[s:s+T])
			tgt := ws.tgt[b*T : (b+1)*T]
			copy(tgt, data.Train[s+1:s+T+1])
			for i, t := range tgt {
				if t == BosID {
					tgt[i] = -1
				}
			}
		}
		loss, gn := tr.step(sched.At(step))
		step++
		tokens += ws.N
		lossSum += loss
		lossN++
		evaluated := false
		if eval != nil && (step%cfg.EvalEvery == 0 || step == cfg.Steps) {
			res.HeldOutLoss = evaluate(eval, data.HeldOut, cfg.EvalTokens)
			res.HeldOutPerplexity = math.Exp(res.HeldOutLoss)
			evaluated = true
		}
		if step%cfg.ReportEvery == 0 || evaluated || step == cfg.Steps {
			report(step, gn, evaluated)
		}
		if step%cfg.CheckpointEvery == 0 && step < cfg.Steps {
			if err := save(step); err != nil {
				return res, err
			}
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			res.Steps = step
			return res, fmt.Errorf("transformer: training diverged at step %d (loss %v); lower the learning rate", step, loss)
		}
	}
	res.Steps = step
	return res, save(step)
}

// Evaluate returns the mean cross-entropy (nats per token; exp of it is the
// perplexity) of m over the held-out stream h of an encoded corpus (see
// Encode), in consecutive windows of the model's context, batch windows at
// a time, scoring at most maxTokens predictions (0: all). The targets are
// the ones Baselines scores.
func Evaluate(m *Model, h []int32, batch, maxTokens, threads int) float64 {
	if batch <= 0 {
		batch = 16
	}
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	if heldOutWindows(len(h), m.cfg.Context, maxTokens) <= 0 {
		return math.NaN()
	}
	ws := newWorkspace(m, batch, m.cfg.Context, threads, false)
	defer ws.close()
	return evaluate(ws, h, maxTokens)
}

// evaluate returns the mean cross-entropy of the model over the held-out
// stream h in consecutive windows of the workspace's length (each token
// after the first predicted once, <bos> targets excluded), scoring at most
// maxTokens predictions (0: all).
func evaluate(ws *workspace, h []int32, maxTokens int) float64 {
	T := ws.T
	windows := heldOutWindows(len(h), T, maxTokens)
	var sum float64
	n := 0
	for w0 := 0; w0 < windows; w0 += ws.B {
		for b := range ws.B {
			ids, tgt := ws.ids[b*T:(b+1)*T], ws.tgt[b*T:(b+1)*T]
			if w := w0 + b; w < windows {
				copy(ids, h[w*T:(w+1)*T])
				copy(tgt, h[w*T+1:(w+1)*T+1])
				for i, t := range tgt {
					if t == BosID {
						tgt[i] = -1
					}
				}
			} else {
				clear(ids)
				for i := range tgt {
					tgt[i] = -1
				}
			}
		}
		loss, count := ws.evalLoss()
		sum += loss * float64(count)
		n += count
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
