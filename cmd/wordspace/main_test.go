package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mainEnv makes the test binary run main() with its arguments, so that
// tests can start wordspace as a process of its own (signals, kill -9).
const mainEnv = "WORDSPACE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// wordspaceProcess starts wordspace with args as a separate process whose
// standard error the returned channel delivers line by line.
func wordspaceProcess(t *testing.T, args ...string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, stderr)
		close(lines)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, lines
}

// waitFor reads lines until one contains want and returns everything read.
func waitFor(t *testing.T, lines <-chan string, want string) string {
	t.Helper()
	var seen []string
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the process ended before printing %q:\n%s", want, strings.Join(seen, "\n"))
			}
			seen = append(seen, l)
			if strings.Contains(l, want) {
				return strings.Join(seen, "\n")
			}
		case <-timeout:
			t.Fatalf("no %q after 2 minutes:\n%s", want, strings.Join(seen, "\n"))
		}
	}
}

// rest returns the remaining lines once the process has ended.
func rest(lines <-chan string) string {
	var seen []string
	for l := range lines {
		seen = append(seen, l)
	}
	return strings.Join(seen, "\n")
}

// SIGTERM (docker stop, systemd, CI) and SIGHUP (a closed terminal) stop
// training as Ctrl-C does: a checkpoint is saved, the message is the same
// and the exit status is 130. The process is interrupted once its log
// shows the first epoch done.
func TestSignalsSaveCheckpoint(t *testing.T) {
	dir := t.TempDir()
	corpus := groupCorpus(t, dir, 3000)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		out := dir + "/vec-" + sig.String() + ".txt"
		cmd, lines := wordspaceProcess(t, "train", "-train", corpus, "-output", out, "-size", "16", "-min-count", "1",
			"-iter", "1000", "-threads", "1")
		waitFor(t, lines, "epoch 1/1000 done")
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		log := rest(lines)
		err := cmd.Wait()
		code := cmd.ProcessState.ExitCode()
		if code != exitInterrupted || !strings.Contains(log, "wordspace train: interrupted in epoch ") ||
			!strings.Contains(log, "checkpoint saved to "+out+".ckpt") {
			t.Errorf("%v: exit %d (%v), want %d; log:\n%s", sig, code, err, exitInterrupted, log)
		}
		if _, err := os.Stat(out + ".ckpt"); err != nil {
			t.Errorf("%v: no checkpoint: %v", sig, err)
		}
	}

	// context train: the same message, its checkpoint, status 130.
	out := dir + "/m.model"
	cmd, lines := wordspaceProcess(t, "context", "train", "-corpus", corpus, "-output", out, "-d-model", "8", "-heads", "2",
		"-layers", "1", "-context", "8", "-steps", "1000000", "-eval-every", "5", "-batch", "2", "-threads", "1")
	waitFor(t, lines, "held-out ppl")
	cmd.Process.Signal(syscall.SIGTERM)
	log := rest(lines)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || !strings.Contains(log, "wordspace context train: interrupted at step ") ||
		!strings.Contains(log, "checkpoint saved to "+out+".ckpt") {
		t.Errorf("context train: exit %d, want %d; log:\n%s", code, exitInterrupted, log)
	}
	if _, err := os.Stat(out + ".ckpt"); err != nil {
		t.Errorf("context train: no checkpoint: %v", err)
	}
}
