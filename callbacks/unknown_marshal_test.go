package callbacks

import (
	"encoding/json"
	"strings"
	"testing"
)

// An Unknown marshals to wire JSON that Parse reads back as the same Unknown,
// or fails saying what does not fit: never to JSON whose event differs from
// Type, or that Parse refuses.
func TestUnknownMarshalJSONKeepsTypeAndRawConsistent(t *testing.T) {
	t.Parallel()
	t.Run("a parsed Unknown round-trips byte for byte", func(t *testing.T) {
		t.Parallel()
		for _, body := range []string{
			`{"event":"x:new","a":[1,2],"b":{"c":null}}`,
			"{ \"b\" : 1 , \"Event\" : \"x:new\" }",
			`{"event":"first","event":"x:new"}`,
			`{"event":"x:new","event":null}`, // a null is skipped, as Parse skips it (found by FuzzParse)
			"{\"event\":\"\xff&\"}",
		} {
			ev, err := Parse([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			out, err := ev.(*Unknown).MarshalJSON()
			if err != nil || string(out) != body {
				t.Errorf("MarshalJSON of Parse(%q) = %q, %v; want the body unchanged", body, out, err)
			}
		}
	})
	t.Run("without Raw it is the event alone", func(t *testing.T) {
		t.Parallel()
		out, err := json.Marshal(Unknown{Type: "x:new"})
		if err != nil || string(out) != `{"event":"x:new"}` {
			t.Errorf("Marshal = %s, %v", out, err)
		}
	})
	refused := []struct {
		name string
		u    Unknown
		want string // in the error
	}{
		{"an empty Type", Unknown{}, "Type is empty"},
		{"an empty Type with Raw", Unknown{Raw: json.RawMessage(`{"event":""}`)}, "Type is empty"},
		{"Raw that is not an object", Unknown{Type: "x", Raw: json.RawMessage(`[1]`)}, "not a JSON object"},
		{"Raw that is not JSON", Unknown{Type: "x", Raw: json.RawMessage(`{"event":"x"`)}, "not a JSON object"},
		{"Raw with another event", Unknown{Type: "x", Raw: json.RawMessage(`{"event":"y"}`)}, `"event" is "y", not Type "x"`},
		{"Raw without an event", Unknown{Type: "x", Raw: json.RawMessage(`{"a":1}`)}, `has no "event"`},
		{"Raw with a null event", Unknown{Type: "x", Raw: json.RawMessage(`{"event":null}`)}, `has no "event"`},
		{"Raw with a non-string event", Unknown{Type: "x", Raw: json.RawMessage(`{"event":7}`)}, `"event" is not a string`},
		{"a Type that is not UTF-8", Unknown{Type: "\xff"}, "not valid UTF-8"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := json.Marshal(tc.u)
			if err == nil {
				t.Fatalf("Marshal = %s, want an error", out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}
