package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/wordspace/wordspace/transformer"
	"github.com/wordspace/wordspace/word2vec"
)

// progress shows a long job. On a terminal it keeps one status line up to
// date (a bar when the stage's size is known, a turning mark when not, the
// job's figures, elapsed time and time left), repainted at most five
// times a second and erased when the stage ends, so that nothing but the
// commands' own messages stays on the screen. Anywhere else (a log file,
// a pipe, CI) it writes plain lines without control characters: one for
// every event the job marks (the end of an epoch, a held-out evaluation)
// and one at least every logEvery in between. With quiet it is silent.
//
// Its methods are called from one goroutine at a time, as the libraries'
// Progress callbacks are.
type progress struct {
	w     io.Writer
	mode  int
	cols  int // terminal width
	stage string
	start time.Time // of the stage
	last  time.Time // last paint or line
	shown bool      // a status line is on the terminal
	turn  int
	every time.Duration // longest silence in a log (logEvery)
	// heldOut is the last held-out perplexity of transformer training.
	heldOut float64
}

const (
	progressOff = iota
	progressTerminal
	progressLog
)

// logEvery is the longest silence of a job's log.
const logEvery = 10 * time.Second

// paintEvery limits the repaints of the status line on a terminal.
const paintEvery = 200 * time.Millisecond

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, mode: progressLog, every: logEvery}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.mode = progressTerminal
		if c, _, err := term.GetSize(int(f.Fd())); err == nil && c > 20 {
			p.cols = c
		} else {
			p.cols = 80
		}
	}
	if quiet {
		p.mode = progressOff
	}
	return p
}

// set reports that stage has done out of total units (total 0: unknown),
// with desc describing the figures (empty: the counts).
func (p *progress) set(stage string, done, total int64, desc string) {
	p.update(stage, done, total, desc, false)
}

// mark is set for an event worth a line of its own in a log.
func (p *progress) mark(stage string, done, total int64, desc string) {
	p.update(stage, done, total, desc, true)
}

func (p *progress) update(stage string, done, total int64, desc string, event bool) {
	if p.mode == progressOff {
		return
	}
	now := time.Now()
	if stage != p.stage {
		p.finish()
		p.stage, p.start, p.last = stage, now, now
	}
	if total > 0 {
		done = min(done, total)
	}
	if desc == "" {
		desc = humanCount(float64(done))
		if total > 0 {
			desc += " of " + humanCount(float64(total))
		}
	}
	el := now.Sub(p.start)
	switch p.mode {
	case progressTerminal:
		if !event && p.shown && now.Sub(p.last) < paintEvery && done != total {
			return
		}
		p.last = now
		p.paint(p.terminalLine(done, total, desc, el))
	case progressLog:
		if !event && now.Sub(p.last) < p.every {
			return
		}
		p.last = now
		line := stage + ": "
		if total > 0 {
			line += fmt.Sprintf("%.1f%%  ", 100*float64(done)/float64(total))
		}
		line += desc + "  " + duration(el) + " elapsed"
		if eta, ok := remaining(done, total, el); ok {
			line += ", " + duration(eta) + " left"
		}
		fmt.Fprintln(p.w, line)
	}
}

// terminalLine is the status line: stage, bar or turning mark, figures,
// times, cut to the terminal's width so that it never wraps (a wrapped
// line cannot be repainted in place).
func (p *progress) terminalLine(done, total int64, desc string, el time.Duration) string {
	var b strings.Builder
	b.WriteString(p.stage)
	b.WriteByte(' ')
	if total > 0 {
		const width = 20
		fill := int(float64(width) * float64(done) / float64(total))
		fmt.Fprintf(&b, "[%s%s] %3.0f%%", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), 100*float64(done)/float64(total))
	} else {
		p.turn++
		b.WriteByte(`|/-\`[p.turn%4])
	}
	b.WriteString("  ")
	b.WriteString(desc)
	b.WriteString("  ")
	b.WriteString(duration(el))
	if eta, ok := remaining(done, total, el); ok {
		b.WriteString(", " + duration(eta) + " left")
	}
	s := b.String()
	if r := []rune(s); len(r) > p.cols-1 {
		s = string(r[:p.cols-1])
	}
	return s
}

// paint replaces the status line with s.
func (p *progress) paint(s string) {
	fmt.Fprintf(p.w, "\r%s\x1b[K", s)
	p.shown = true
}

// finish ends the current stage: its status line is erased.
func (p *progress) finish() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
	p.stage = ""
}

// println erases the status line, if any, and prints a message line (the
// next update paints the status line again below it).
func (p *progress) println(format string, a ...any) {
	if p.mode == progressOff {
		return
	}
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
	fmt.Fprintf(p.w, format+"\n", a...)
}

// word2vec is a word2vec.Config.Progress callback: a bar over all epochs'
// words with the epoch, words per second, learning rate and running loss;
// in a log, a line at the end of every epoch.
func (p *progress) word2vec() func(word2vec.Progress) {
	return func(w word2vec.Progress) {
		desc := fmt.Sprintf("epoch %d/%d  %s words/s  alpha %.5f  loss %.3f", w.Epoch, w.Epochs, humanCount(w.WordsPerSec), w.Alpha, w.MeanLoss())
		if w.EpochDone {
			desc = fmt.Sprintf("epoch %d/%d done  %s words/s  alpha %.5f  loss %.3f", w.Epoch, w.Epochs, humanCount(w.WordsPerSec), w.Alpha, w.MeanLoss())
			p.mark("train", w.Done, w.Total, desc)
			return
		}
		p.set("train", w.Done, w.Total, desc)
	}
}

// transformer is a transformer.TrainOptions.Progress callback: step,
// loss, perplexity, tokens per second and the last held-out perplexity;
// in a log, a line at every held-out evaluation.
func (p *progress) transformer() func(transformer.Progress) {
	return func(t transformer.Progress) {
		eval := t.HeldOutPerplexity == t.HeldOutPerplexity // not NaN: an evaluation step
		if eval {
			p.heldOut = t.HeldOutPerplexity
		}
		desc := fmt.Sprintf("step %d/%d  loss %.3f  ppl %.1f  %s tok/s", t.Done, t.Total, t.Loss, t.Perplexity, humanCount(t.TokensPerSec))
		if p.heldOut > 0 {
			desc += fmt.Sprintf("  held-out ppl %.1f", p.heldOut)
		}
		if eval {
			p.mark("train", t.Done, t.Total, desc)
			return
		}
		p.set("train", t.Done, t.Total, desc)
	}
}

// remaining estimates the time left from the rate so far.
func remaining(done, total int64, el time.Duration) (time.Duration, bool) {
	if total <= 0 || done <= 0 || done >= total || el < time.Second {
		return 0, false
	}
	return time.Duration(float64(el) * float64(total-done) / float64(done)), true
}

// duration writes 75s as 1m15s and 4000s as 1h06m.
func duration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
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
