package meetingstest_test

import (
	"math"
	"runtime"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

// TestInjectingManyFaultsCostsNoMemory is not parallel: it reads the
// process-wide allocation counter, which parallel tests would disturb.
func TestInjectingManyFaultsCostsNoMemory(t *testing.T) {
	srv := meetingstest.Start(t)
	const n = 1 << 16 // tens of MB if each fault were stored: bounded, so safe to run against a per-fault queue
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	must(t, srv.InjectAPIFault(n, meetingstest.Fault{Status: 503}))
	must(t, srv.InjectStorageFault(n, meetingstest.Fault{Status: 503}))
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
		t.Errorf("injecting 2×%d faults allocated %d bytes, want O(1)", n, grew)
	}
	if api, storage := srv.PendingFaults(); api != n || storage != n {
		t.Errorf("PendingFaults = %d, %d; want %d, %d", api, storage, n, n)
	}
}

func TestPendingFaultsSaturatesAtMaxInt(t *testing.T) {
	t.Parallel()
	srv := meetingstest.Start(t)
	must(t, srv.InjectAPIFault(math.MaxInt, meetingstest.Fault{Status: 503}))
	must(t, srv.InjectAPIFault(math.MaxInt, meetingstest.Fault{Status: 500}))
	must(t, srv.InjectStorageFault(math.MaxInt, meetingstest.Fault{Status: 503}))
	if api, storage := srv.PendingFaults(); api != math.MaxInt || storage != math.MaxInt {
		t.Errorf("PendingFaults = %d, %d; want MaxInt, MaxInt", api, storage)
	}
	resp, _ := call(t, srv, "GET", "/recordings/"+recA)
	if resp.StatusCode != 503 {
		t.Errorf("first request: %d, want the first queued fault's 503", resp.StatusCode)
	}
}

func TestFaultsPlayInOrderAndCount(t *testing.T) {
	t.Parallel()
	srv := seeded(t)
	must(t, srv.InjectAPIFault(2, meetingstest.Fault{Status: 429}))
	must(t, srv.InjectAPIFault(1, meetingstest.Fault{Status: 503}))
	must(t, srv.InjectAPIFault(1, meetingstest.Fault{Status: 429}))
	must(t, srv.InjectStorageFault(3, meetingstest.Fault{Status: 500}))
	for i, want := range []int{429, 429, 503, 429, 200, 200} {
		wantPending := max(4-i, 0)
		if api, storage := srv.PendingFaults(); api != wantPending || storage != 3 {
			t.Fatalf("before request %d: PendingFaults = %d, %d; want %d, 3", i, api, storage, wantPending)
		}
		if resp, _ := call(t, srv, "GET", "/recordings/"+recA); resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i, resp.StatusCode, want)
		}
	}
}
