// The README's Go snippets must compile and stay true, so each one is a copy of
// lines from a compiled, tested file: this test checks that each ```go block
// of README.md is preceded by <!-- snippet: PATH --> and that its lines appear,
// consecutively and in order, in that file (indentation aside).
package examples_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var snippetMarker = regexp.MustCompile(`^<!-- snippet: (\S+) -->$`)

type snippet struct {
	line int    // where the block starts in README.md
	file string // the file it is copied from, relative to the repository root
	code []string
}

// readmeSnippets returns the ```go blocks of a README, with the file named by
// the marker on the line before each ("" when there is none).
func readmeSnippets(readme string) []snippet {
	var out []snippet
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		s := snippet{line: i + 1}
		if i > 0 {
			if m := snippetMarker.FindStringSubmatch(strings.TrimSpace(lines[i-1])); m != nil {
				s.file = m[1]
			}
		}
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			s.code = append(s.code, lines[i])
		}
		out = append(out, s)
	}
	return out
}

// containsLines reports whether want's lines appear consecutively in have's,
// each compared without its leading and trailing white space.
func containsLines(have, want []string) bool {
	trim := func(ls []string) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = strings.TrimSpace(l)
		}
		return out
	}
	h, w := trim(have), trim(want)
	for start := 0; start+len(w) <= len(h); start++ {
		match := true
		for j := range w {
			if h[start+j] != w[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func TestReadmeSnippetsAreCopiedFromCompiledFiles(t *testing.T) {
	t.Parallel()
	root := ".."
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	snippets := readmeSnippets(string(readme))
	require.NotEmpty(t, snippets, "README.md has no ```go block: the parser is broken")
	for _, s := range snippets {
		if !assert.NotEmpty(t, s.file, "README.md:%d: a ```go block without a <!-- snippet: PATH --> line above it", s.line) ||
			!assert.True(t, strings.HasSuffix(s.file, ".go"), "README.md:%d: snippet source %s is not a Go file", s.line, s.file) {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(s.file)))
		if !assert.NoError(t, err, "README.md:%d", s.line) {
			continue
		}
		assert.True(t, containsLines(strings.Split(string(src), "\n"), s.code),
			"README.md:%d: the snippet is not a copy of consecutive lines of %s; update one or the other:\n%s",
			s.line, s.file, strings.Join(s.code, "\n"))
	}
}

func TestSnippetCheckCatchesDrift(t *testing.T) {
	t.Parallel()
	src := []string{"func f() {", "\tx := 1", "\treturn x", "}"}
	tests := []struct {
		name string
		want []string
		ok   bool
	}{
		{"consecutive lines, reindented", []string{"x := 1", "return x"}, true},
		{"a changed line", []string{"x := 2", "return x"}, false},
		{"lines out of order", []string{"return x", "x := 1"}, false},
		{"a gap", []string{"func f() {", "return x"}, false},
		{"longer than the file", append(src, "more"), false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ok, containsLines(src, tt.want), tt.name)
	}

	got := readmeSnippets("text\n<!-- snippet: a/b.go -->\n```go\nx := 1\n```\n```go\ny\n```\n```sh\nls\n```\n")
	assert.Equal(t, []snippet{{line: 3, file: "a/b.go", code: []string{"x := 1"}}, {line: 6, code: []string{"y"}}}, got,
		"two go blocks, the second without a marker; the sh block is not a snippet")
}
