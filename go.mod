module github.com/vonage-meetings/go-sdk

go 1.24.0

require (
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/hashicorp/go-retryablehttp v0.7.8
	github.com/jarcoal/httpmock v1.4.2
)

require github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
