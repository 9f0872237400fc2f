package callbacks

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The package doc must tell the truth about what the package pulls in: it
// must not claim the standard library only while a file imports a module.
func TestDocNamesEveryDependency(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var modules []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				modules = append(modules, path)
			}
		}
	}
	text := strings.Join(strings.Fields(string(doc)), " ") // comment lines joined
	text = strings.ReplaceAll(text, " // ", " ")
	if len(modules) > 0 && strings.Contains(text, "standard library only") {
		t.Errorf("doc.go says \"standard library only\", but the package imports %v", modules)
	}
	if len(modules) > 0 && !strings.Contains(text, "golang-jwt") {
		t.Errorf("doc.go does not name golang-jwt, which the package imports (%v)", modules)
	}
}
