//go:build !unix

package cputime

import "time"

// Process returns 0: this system's processor time is not read.
func Process() time.Duration { return 0 }

// Thread returns 0: this system's processor time is not read.
func Thread() time.Duration { return 0 }
