package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/wordspace/wordspace/word2vec"
)

// trainBar shows training progress on a terminal: epoch, a bar over all
// epochs' words, words per second, learning rate, running loss and the
// time left. It stays silent when w is not a terminal or quiet is set, so
// logs and pipes get no control characters.
type trainBar struct {
	bar *progressbar.ProgressBar
	w   io.Writer
}

func newTrainBar(w io.Writer, quiet bool) *trainBar {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &trainBar{}
	}
	return &trainBar{w: w, bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetWidth(24),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

func (b *trainBar) update(p word2vec.Progress) {
	if b.bar == nil {
		return
	}
	if b.bar.GetMax64() != p.TotalWords {
		b.bar.ChangeMax64(p.TotalWords)
	}
	b.bar.Describe(fmt.Sprintf("epoch %d/%d  %s words/s  alpha %.5f  loss %.3f",
		p.Epoch, p.Epochs, humanCount(p.WordsPerSec), p.Alpha, p.MeanLoss()))
	b.bar.Set64(min(p.Words, p.TotalWords))
}

func (b *trainBar) finish() {
	if b.bar != nil {
		b.bar.Exit()
		fmt.Fprintln(b.w)
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
