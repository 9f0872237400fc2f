package callbacks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "events", name))
	require.NoError(t, err)
	return b
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustParse(t testing.TB, body []byte) Event {
	t.Helper()
	ev, err := Parse(body)
	require.NoError(t, err)
	return ev
}

// sameEvent reports whether a and b have the same type and exported
// fields, times compared by instant; what Parse remembers is left out.
func sameEvent(a, b Event) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	if ua, ok := a.(*Unknown); ok {
		ub := b.(*Unknown)
		var va, vb any
		return ua.Type == ub.Type && json.Unmarshal(ua.Raw, &va) == nil && json.Unmarshal(ub.Raw, &vb) == nil && reflect.DeepEqual(va, vb)
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		if !va.Type().Field(i).IsExported() {
			continue
		}
		fa, fb := va.Field(i).Interface(), vb.Field(i).Interface()
		if ta, ok := fa.(time.Time); ok {
			if !ta.Equal(fb.(time.Time)) {
				return false
			}
		} else if fa != fb {
			return false
		}
	}
	return true
}

func assertSameEvent(t *testing.T, want, got Event) {
	t.Helper()
	assert.Truef(t, sameEvent(want, got), "want %#v\n got %#v", want, got)
}
