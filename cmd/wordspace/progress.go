package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/word2vec"
)

// progress shows a long job on a terminal: one bar per named stage (count,
// then factorise, ...; a single stage for training), a spinner while a
// stage's size is unknown, a description of the current figures at the
// line end, and the time left. It stays silent when w is not a terminal or
// quiet is set, so logs and pipes get no control characters.
type progress struct {
	w       io.Writer
	on      bool
	stage   string
	bar     *progressbar.ProgressBar
	done    int64 // the current stage's position and size (0: unknown)
	total   int64
	heldOut float64 // last held-out perplexity of transformer training
}

func newProgress(w io.Writer, quiet bool) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: !quiet && ok && term.IsTerminal(int(f.Fd()))}
}

// set moves the bar of stage to done out of total (0: unknown) with desc
// after it, closing the previous stage's bar when the stage changes.
func (p *progress) set(stage string, done, total int64, desc string) {
	if !p.on {
		return
	}
	if total > 0 {
		done = min(done, total)
	}
	if desc == "" {
		desc = fmt.Sprintf("%s %d", stage, done)
		if total > 0 {
			desc += fmt.Sprintf("/%d", total)
		}
	}
	if stage != p.stage || p.bar == nil {
		p.finish()
		p.stage = stage
		p.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionSetWidth(24),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionSetRenderBlankState(true),
		)
	}
	if total > 0 && p.bar.GetMax64() != total {
		p.bar.ChangeMax64(total)
	}
	p.done, p.total = done, total
	p.bar.Describe(desc)
	p.bar.Set64(done)
}

// finish closes the current bar, leaving it on its own line: full when
// its stage completed, as it stood when the job stopped early.
func (p *progress) finish() {
	if p.bar == nil {
		return
	}
	if p.total > 0 && p.done == p.total {
		p.bar.Finish()
	} else {
		p.bar.Exit()
	}
	fmt.Fprintln(p.w)
	p.bar = nil
}

// word2vec is a word2vec.Config.Progress callback: epoch, a bar over all
// epochs' words, words per second, learning rate and running loss.
func (p *progress) word2vec() func(word2vec.Progress) {
	return func(w word2vec.Progress) {
		p.set("train", w.Done, w.Total, fmt.Sprintf("epoch %d/%d  %s words/s  alpha %.5f  loss %.3f",
			w.Epoch, w.Epochs, humanCount(w.WordsPerSec), w.Alpha, w.MeanLoss()))
	}
}

// transformer is a transformer.TrainOptions.Progress callback: step, loss,
// perplexity, tokens per second and the last held-out perplexity.
func (p *progress) transformer() func(transformer.Progress) {
	return func(t transformer.Progress) {
		if t.HeldOutPerplexity == t.HeldOutPerplexity { // not NaN: an evaluation step
			p.heldOut = t.HeldOutPerplexity
		}
		desc := fmt.Sprintf("step %d/%d  loss %.3f  ppl %.1f  %s tok/s", t.Done, t.Total, t.Loss, t.Perplexity, humanCount(t.TokensPerSec))
		if p.heldOut > 0 {
			desc += fmt.Sprintf("  held-out ppl %.1f", p.heldOut)
		}
		p.set("train", t.Done, t.Total, desc)
	}
}

// humanCount writes 612345 as 612k.
func humanCount(x float64) string {
	switch {
	case x >= 10e6:
		return fmt.Sprintf("%.0fM", x/1e6)
	case x >= 1e6:
		return fmt.Sprintf("%.1fM", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.0fk", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}
