package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// console prints the quickstart's account of what happens. Callbacks and the
// download report from different goroutines, so it serialises the lines, and
// draws the download's progress as a bar redrawn in place with \r on a
// terminal, or as a line every 25% when the output is a file or a pipe.
type console struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	barShown bool  // a bar is on the current line (tty only)
	lastPct  int64 // percentage the bar shows (tty only)
	nextStep int64 // next percentage to print (not a tty)
}

func newConsole(f *os.File) *console {
	fi, err := f.Stat()
	return &console{w: f, tty: err == nil && fi.Mode()&os.ModeCharDevice != 0}
}

// Printf prints one line, first clearing a progress bar in the way.
func (c *console) Printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.barShown {
		fmt.Fprint(c.w, "\r\033[K")
		c.barShown = false
	}
	fmt.Fprintf(c.w, format+"\n", args...)
}

// Progress has the signature of recordings.WithProgress.
func (c *console) Progress(done, total int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if total <= 0 { // size unknown: no bar, only the bytes so far
		if c.tty {
			fmt.Fprintf(c.w, "\r\033[K  downloading: %s", mib(done))
			c.barShown = true
		}
		return
	}
	pct := done * 100 / total
	if c.tty {
		if c.barShown && pct == c.lastPct {
			return // redraw only when the bar changes
		}
		c.lastPct = pct
		const width = 30
		filled := int(done * width / total)
		fmt.Fprintf(c.w, "\r  [%s%s] %3d%%  %s / %s",
			strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, mib(done), mib(total))
		c.barShown = true
		return
	}
	if pct >= c.nextStep {
		fmt.Fprintf(c.w, "  download %3d%%  %s / %s\n", pct, mib(done), mib(total))
		c.nextStep = (pct/25 + 1) * 25
	}
}

// EndProgress finishes the bar's line and resets the steps for the next download.
func (c *console) EndProgress() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.barShown {
		fmt.Fprintln(c.w)
		c.barShown = false
	}
	c.nextStep = 0
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
