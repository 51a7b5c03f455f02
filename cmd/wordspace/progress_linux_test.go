package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// openPTY returns the two ends of a new pseudo-terminal: what a command
// writes to tty, a terminal, comes out of master.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("no pseudo-terminals here:", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skip("unlockpt:", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skip("ptsname:", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skip("open the terminal:", err)
	}
	// Raw mode: the bytes arrive as written (no \n → \r\n).
	if _, err := term.MakeRaw(int(s.Fd())); err != nil {
		t.Fatal(err)
	}
	return m, s
}

// screen replays what a terminal shows for text: \r returns to the start
// of the line, ESC [ K erases to its end, \n starts a new line.
func screen(text string) []string {
	lines := []string{""}
	col := 0
	for i := 0; i < len(text); i++ {
		cur := &lines[len(lines)-1]
		switch c := text[i]; {
		case c == '\r':
			col = 0
		case c == '\n':
			lines = append(lines, "")
			col = 0
		case strings.HasPrefix(text[i:], "\x1b[K"):
			*cur = (*cur)[:col]
			i += 2
		default:
			if col < len(*cur) {
				*cur = (*cur)[:col] + string(c) + (*cur)[col+1:]
			} else {
				*cur += string(c)
			}
			col++
		}
	}
	return lines
}

// On a terminal, ppmi and phrases keep one status line and erase it when a
// stage ends: what stays on the screen is their messages, one a line,
// with no leftover bar or turning mark (stale spinners once repainted
// themselves beside the live bar and garbled the last line).
func TestProgressOnTerminal(t *testing.T) {
	dir := t.TempDir()
	corpus := topicCorpusFile(t, dir)
	for _, args := range [][]string{
		{"ppmi", "-corpus", corpus, "-output", filepath.Join(dir, "p.txt"), "-size", "4", "-min-count", "1"},
		{"phrases", "-corpus", corpus, "-output", filepath.Join(dir, "j.txt"), "-threshold", "20"},
		{"train", "-train", corpus, "-output", filepath.Join(dir, "v.txt"), "-size", "4", "-iter", "3", "-min-count", "1"},
	} {
		master, tty := openPTY(t)
		got := make(chan string)
		go func() {
			b, _ := io.ReadAll(master) // ends with EIO once the terminal is closed
			got <- string(b)
		}()
		code := run(context.Background(), args, io.Discard, tty)
		tty.Close()
		raw := <-got
		master.Close()
		if code != 0 {
			t.Fatalf("%s: exit %d: %q", args[0], code, raw)
		}
		if !strings.Contains(raw, "\r") {
			t.Errorf("%s: no status line was drawn on the terminal: %q", args[0], raw)
		}
		lines := screen(raw)
		if last := lines[len(lines)-1]; last != "" {
			t.Errorf("%s: the cursor ends on a line holding %q", args[0], last)
		}
		for _, l := range lines[:len(lines)-1] {
			if l == "" || strings.ContainsAny(l, "[]|\\") || strings.Contains(l, "left") {
				t.Errorf("%s: leftover of a status line on the screen: %q\nscreen:\n%s", args[0], l, strings.Join(lines, "\n"))
			}
		}
		if !strings.HasPrefix(lines[len(lines)-2], "wrote ") && !strings.HasPrefix(lines[len(lines)-2], "trained ") {
			t.Errorf("%s: last line %q", args[0], lines[len(lines)-2])
		}
	}
}
