package meetingstest_test

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/vonage-meetings/go-sdk/meetings/meetingstest"
)

func TestPrintingAServerNeverShowsItsSecrets(t *testing.T) {
	t.Parallel()
	const key, secret = "key-XYZ", "secret-XYZ"
	srv := meetingstest.Start(t, meetingstest.WithCredentials(key, secret))
	urlKey := meetingstest.URLKey(srv)
	// *srv copies a mutex, which go vet refuses in a call; reflect makes the
	// same copy a user's fmt.Sprintf("%+v", *srv) does.
	value := reflect.ValueOf(srv).Elem().Interface()
	var nilServer *meetingstest.Server
	forbidden := []string{
		key, secret,
		base64.StdEncoding.EncodeToString([]byte(key + ":" + secret)),
		hex.EncodeToString(urlKey),
		strings.Trim(fmt.Sprint(urlKey), "[]"),               // 12 34 56 ...
		strings.Trim(fmt.Sprintf("%#v", urlKey), "[]byte{}"), // 0xc, 0x22, ...
		string(urlKey),
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for name, v := range map[string]any{
			"pointer": srv, "value": value, "nil pointer": nilServer,
			// fmt calls no Format method on an unexported field's value.
			"pointer in an unexported field": struct{ s *meetingstest.Server }{srv},
		} {
			out := fmt.Sprintf(verb, v)
			for _, f := range forbidden {
				if strings.Contains(out, f) {
					t.Errorf("%s of the %s shows a secret (%q): %s", verb, name, f, out)
				}
			}
			if strings.Contains(out, "PANIC") {
				t.Errorf("%s of the %s panics: %s", verb, name, out)
			}
		}
	}
}
