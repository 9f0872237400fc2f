package api

import (
	"runtime"
	"strings"
)

// Version is the SDK's version, reported in the User-Agent header and
// exported as meetings.Version, whose doc comment spells the value out
// (pkg.go.dev shows only the expression): update it too.
const Version = "0.1.0"

// sdkUserAgent is the SDK's product token, e.g.
// "vonage-meetings-go/0.1.0 (linux amd64) go/1.26.8".
var sdkUserAgent = "vonage-meetings-go/" + Version +
	" (" + runtime.GOOS + " " + runtime.GOARCH + ") go/" + strings.TrimPrefix(runtime.Version(), "go")
