package callbacks

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
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

// Two behaviours that surprise users must be documented where they look:
// keys match case-insensitively, and Unknown.MarshalJSON writes Raw as is,
// which is why Raw's "event" must equal Type.
// TestDocumentedDecodingRulesHold checks that they hold.
func TestDocStatesSurprisingRules(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	docs := map[string]string{} // "package" or "Recv.Method" -> doc text
	for _, f := range []string{"doc.go", "events.go", "parse.go"} {
		parsed, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if parsed.Doc != nil {
			docs["package"] += parsed.Doc.Text()
		}
		for _, d := range parsed.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Doc != nil {
				name := fn.Name.Name
				if fn.Recv != nil {
					name = types.ExprString(fn.Recv.List[0].Type) + "." + name
				}
				docs[name] = fn.Doc.Text()
			}
		}
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, c := range []struct{ where, want string }{
		{"package", "case-insensitively"},
		{"Parse", "case-insensitively"},
		{"Unknown.MarshalJSON", `Raw, byte for byte`},
		{"Unknown.MarshalJSON", `whose "event" (keys matched as Parse matches them) equals Type`},
	} {
		if !strings.Contains(flat(docs[c.where]), c.want) {
			t.Errorf("the doc of %s does not say %q:\n%s", c.where, c.want, docs[c.where])
		}
	}
}

func TestDocumentedDecodingRulesHold(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"Event":"session:started","Session_ID":"s1","ROOM_ID":"r1"}`, // the general path
		`{"event":"session:started","Session_ID":"s1","ROOM_ID":"r1"}`, // the fast path
	} {
		ev, err := Parse([]byte(body))
		if err != nil {
			t.Fatalf("Parse(%s): %v", body, err)
		}
		if s, ok := ev.(*SessionStarted); !ok || s.SessionID != "s1" || s.RoomID != "r1" {
			t.Errorf("Parse(%s) = %#v, want keys matched case-insensitively", body, ev)
		}
	}
	out, err := (&Unknown{Type: "a:b", Raw: json.RawMessage(`{ "Event" : "a:b" }`)}).MarshalJSON()
	if err != nil || string(out) != `{ "Event" : "a:b" }` {
		t.Errorf("Marshal(Unknown with Raw) = %s, %v; want Raw unchanged", out, err)
	}
	if out, err := json.Marshal(&Unknown{Type: "a:b", Raw: json.RawMessage(`{"event":"c:d"}`)}); err == nil {
		t.Errorf("Marshal(Unknown whose Raw has another event) = %s, want an error", out)
	}
}
