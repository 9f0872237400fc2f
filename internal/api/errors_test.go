package api

import (
	"testing"
	"unicode/utf8"
)

func TestClipKeepsRunesWhole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short stays", "héllo", 10, "héllo"},
		{"ASCII cut", "abcdef", 3, "abc…"},
		{"cut inside a 2-byte rune backs off", "aé", 2, "a…"},     // é is 2 bytes at offset 1
		{"cut inside a 4-byte rune backs off", "ab😀cd", 4, "ab…"}, // 😀 is bytes 2..5
		{"cut right after a rune keeps it", "ab😀cd", 6, "ab😀…"},
	} {
		got := clip(tc.in, tc.n)
		if got != tc.want || !utf8.ValidString(got) {
			t.Errorf("%s: clip(%q, %d) = %q, want %q", tc.name, tc.in, tc.n, got, tc.want)
		}
	}
}
