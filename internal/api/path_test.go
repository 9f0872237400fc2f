package api

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBaseURLRefusesWhitespace(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://h/ ",
		"https://h/beta meetings",
		" https://h",
		"https://h\t",
		"https://h/\n",
		"https://h/beta\u00a0meetings",
	} {
		_, err := ParseBaseURL(raw)
		var argErr *ArgumentError
		if !errors.As(err, &argErr) || !strings.Contains(err.Error(), "whitespace") {
			t.Errorf("ParseBaseURL(%q) = %v, want an *ArgumentError about whitespace", raw, err)
		}
	}
	if _, err := ParseBaseURL("   "); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("ParseBaseURL of blanks = %v, want \"is empty\"", err)
	}
	if u, err := ParseBaseURL("https://h/beta%20meetings"); err != nil || u.Path != "/beta meetings" {
		t.Errorf("an escaped space is a valid path: %v, %v", u, err)
	}
}
