//go:build unix

package cputime

import (
	"runtime"
	"syscall"
	"time"
)

// Process returns the user and system time the process has used, all
// threads together; 0 if the system cannot tell.
func Process() time.Duration { return usage(syscall.RUSAGE_SELF) }

// Thread returns the user and system time the calling thread has used
// (Linux), or Process elsewhere.
func Thread() time.Duration {
	if runtime.GOOS == "linux" {
		return usage(1) // RUSAGE_THREAD
	}
	return Process()
}

func usage(who int) time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(who, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
