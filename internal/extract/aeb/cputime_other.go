//go:build !unix

package aeb

import "time"

// CPUTime is 0 where the process CPU time is not known.
func CPUTime() time.Duration { return 0 }
