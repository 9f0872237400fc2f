package callbacks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// seedBodies adds every fixture under testdata/events, and a few bodies
// that must fail, to a fuzz corpus.
func seedBodies(f *testing.F, add func(body []byte)) {
	files, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
	for _, s := range []string{``, `null`, `[]`, `{}`, `{"event":5}`, `{"event":"session:started"} x`,
		`{"event":"recording:ended","duration":"3598"}`, `{"event":"recording:ended","duration":1.5e2}`,
		`{"event":"session:started","started_at":"yesterday"}`, `{"EVENT":"participant:left","IS_HOST":true}`,
		`{"event":"recording:started","is_host":"maybe"}`, `{"event":"session:started","event":""}`,
		`{"event":"session:started","event":null}`, `{"event":"a:b" , "Event":"recording:ready"}`, `{"event":"session:started","started_at":"2021-11-02T17:53:28.123456789+02:00"}`} {
		add([]byte(s))
	}
}

// sameEvent compares two events field by field, times by instant, ignoring
// what Parse remembers about the bytes.
func sameEvent(a, b Event) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	if ua, ok := a.(*Unknown); ok {
		ub := b.(*Unknown)
		// json.Marshal compacts and HTML-escapes Raw: compare meaning, not bytes.
		return ua.Type == ub.Type && reflect.DeepEqual(decodeAny(ua.Raw), decodeAny(ub.Raw))
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

func decodeAny(raw []byte) any {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return err.Error()
	}
	return v
}

// FuzzParse: Parse never panics; every failure wraps ErrInvalidPayload; what
// it accepts keeps its raw bytes, marshals, and re-parses to the same event,
// which marshals to the same bytes again.
func FuzzParse(f *testing.F) {
	seedBodies(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := Parse(body)
		// The fast path (one decode into the union) must agree with the
		// field-by-field slow path on every valid JSON object.
		if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(body) {
			slow, slowErr := parseSlow(bytes.Clone(body))
			if (err == nil) != (slowErr == nil) || err == nil && !sameEvent(ev, slow) {
				t.Fatalf("fast path %#v, %v; slow path %#v, %v", ev, err, slow, slowErr)
			}
		}
		if err != nil {
			if ev != nil || !errors.Is(err, ErrInvalidPayload) {
				t.Fatalf("Parse = %v, %v: want a nil event and ErrInvalidPayload", ev, err)
			}
			return
		}
		if !bytes.Equal(Raw(ev), body) {
			t.Fatalf("Raw = %q, want the body %q", Raw(ev), body)
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("Marshal(%#v): %v", ev, err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("re-Parse of %s: %v", out, err)
		}
		if !sameEvent(ev, again) {
			t.Fatalf("round trip changed the event:\n%#v\n%#v", ev, again)
		}
		if ev.EventType() != again.EventType() {
			t.Fatalf("EventType %q became %q", ev.EventType(), again.EventType())
		}
		out2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("second Marshal = %s, %v; want %s", out2, err, out)
		}
	})
}

// FuzzHandler: the handler never panics and answers only the documented
// statuses, each for its documented reason.
func FuzzHandler(f *testing.F) {
	seedBodies(f, func(b []byte) {
		f.Add("application/json", b)
		f.Add("", b)
	})
	f.Add("text/plain", []byte(`{"event":"session:started"}`))
	f.Add("application/json; charset=utf-8", []byte(`{"event":"a:b"}`))
	f.Add("application/json; charset=latin1", []byte(`{"event":"a:b"}`))
	const limit = 2048
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		var got Event
		h := NewHandler(func(_ context.Context, ev Event) error { got = ev; return nil }, WithMaxBodyBytes(limit))
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)

		ct := r.Header.Get("Content-Type")
		mt, params, ctErr := mime.ParseMediaType(ct)
		cs, hasCharset := params["charset"]
		utf8Charset := !hasCharset || strings.EqualFold(cs, "utf-8") || strings.EqualFold(cs, "us-ascii")
		jsonType := ct == "" || ctErr == nil && utf8Charset && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
		_, parseErr := Parse(body)
		switch rec.Code {
		case http.StatusNoContent:
			if !jsonType || len(body) > limit || parseErr != nil || got == nil || !bytes.Equal(Raw(got), body) {
				t.Fatalf("204 for content type %q, %d bytes, Parse error %v", ct, len(body), parseErr)
			}
		case http.StatusUnsupportedMediaType:
			if jsonType {
				t.Fatalf("415 for JSON content type %q", ct)
			}
		case http.StatusRequestEntityTooLarge:
			if !jsonType || len(body) <= limit {
				t.Fatalf("413 for %d bytes", len(body))
			}
		case http.StatusBadRequest:
			if !jsonType || len(body) > limit || parseErr == nil {
				t.Fatalf("400 for a body Parse accepts: %q", body)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if rec.Code != http.StatusNoContent && got != nil {
			t.Fatalf("fn was called, yet status %d", rec.Code)
		}
	})
}
