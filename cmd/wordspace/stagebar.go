package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// stageBar shows the progress of a job that runs in named stages (count,
// then factorise, ...): one bar per stage, a spinner when the stage's size
// is unknown. It stays silent when w is not a terminal or quiet is set, so
// logs and pipes get no control characters.
type stageBar struct {
	w     io.Writer
	on    bool
	stage string
	bar   *progressbar.ProgressBar
}

func newStageBar(w io.Writer, quiet bool) *stageBar {
	f, ok := w.(*os.File)
	return &stageBar{w: w, on: !quiet && ok && term.IsTerminal(int(f.Fd()))}
}

// update moves the bar of stage to done out of total (0: unknown),
// closing the previous stage's bar when the stage changes.
func (b *stageBar) update(stage string, done, total int64) {
	if !b.on {
		return
	}
	if stage != b.stage || b.bar == nil {
		b.finish()
		b.stage = stage
		max := total
		if max <= 0 {
			max = -1
		}
		b.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription(fmt.Sprintf("%-8s", stage)),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetRenderBlankState(true),
		)
	}
	if total > 0 && b.bar.GetMax64() != total {
		b.bar.ChangeMax64(total)
	}
	b.bar.Set64(done)
}

// finish closes the current bar, leaving it on its own line.
func (b *stageBar) finish() {
	if b.bar != nil {
		b.bar.Finish()
		fmt.Fprintln(b.w)
		b.bar = nil
	}
}
