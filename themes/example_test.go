package themes_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/vonage-meetings/go-sdk/meetings"
	"github.com/vonage-meetings/go-sdk/themes"
)

func ExampleService_SetLogo() {
	// A stand-in storage host: it prints the form's parts.
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("storage:", r.Method, r.URL.Path, "credentials:", r.Header.Get("Authorization") != "")
		for p, err := mr.NextPart(); err == nil; p, err = mr.NextPart() {
			b, _ := io.ReadAll(p)
			fmt.Printf("  %s=%s\n", p.FormName(), b)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer storage.Close()

	// A stand-in for the API: it hands out one upload form and prints the rest.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println(strings.TrimSpace("api: " + r.Method + " " + r.URL.Path + " " + string(body)))
		if r.URL.Path == "/v1/meetings/themes/logos-upload-urls" {
			fmt.Fprintf(w, `[{"url":%q,"fields":{"key":"auto-expiring-temp/logos/white/d92b","logoType":"white",
				"Content-Type":"image/png","Policy":"eyJleHBpcmF0aW9u","X-Amz-Signature":"0c5f"}}]`, storage.URL+"/logos")
		}
	}))
	defer api.Close()

	client, err := meetings.NewClient("api-key", "api-secret", meetings.WithBaseURL(api.URL+"/v1/meetings"))
	if err != nil {
		log.Fatal(err)
	}
	err = client.Themes.SetLogo(context.Background(), "90a21428", themes.LogoWhite, strings.NewReader("PNG bytes"))
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// api: GET /v1/meetings/themes/logos-upload-urls
	// storage: POST /logos credentials: false
	//   Content-Type=image/png
	//   Policy=eyJleHBpcmF0aW9u
	//   X-Amz-Signature=0c5f
	//   key=auto-expiring-temp/logos/white/d92b
	//   logoType=white
	//   file=PNG bytes
	// api: PUT /v1/meetings/themes/90a21428/finalizeLogos {"keys":["auto-expiring-temp/logos/white/d92b"]}
}
