package api

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/vonage-meetings/go-sdk/internal/auth"
)

// foreignCtx is a parent context that is not one of package context's own:
// a child of it waits in a goroutine until the child or the parent is done,
// so a child context never cancelled shows up as a goroutine left running.
type foreignCtx struct {
	context.Context
	done chan struct{}
}

func (c foreignCtx) Done() <-chan struct{} { return c.done }

func (c foreignCtx) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

// Every context Do derives for a call is cancelled when the call returns, with
// a per-call timeout and without one.
func TestDoReleasesItsCallContext(t *testing.T) {
	for _, timeout := range []time.Duration{0, time.Minute} {
		mock := httpmock.NewMockTransport()
		mock.RegisterResponder(http.MethodGet, "=~.", httpmock.NewStringResponder(200, `{}`))
		basic, _ := auth.NewBasic("k", "s")
		c, err := New(Config{BaseURL: "https://api.test/v1/meetings", Auth: basic,
			HTTPClient: &http.Client{Transport: mock}, Timeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		parent := foreignCtx{Context: context.Background(), done: make(chan struct{})}
		before := runtime.NumGoroutine()
		const calls = 20
		for range calls {
			var out map[string]any
			if err := c.Do(parent, http.MethodGet, "/x", nil, &out); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() >= before+calls && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n >= before+calls {
			t.Errorf("timeout %v: %d goroutines after %d calls, %d before: call contexts were left uncancelled", timeout, n, calls, before)
		}
		close(parent.done)
	}
}
