// Command recordings lists, shows, downloads and deletes the recordings of
// Vonage Meetings sessions.
//
//	recordings [flags] list SESSION_ID
//	recordings [flags] get ID
//	recordings [flags] download ID [PATH]
//	recordings [flags] delete ID
//
// # Configuration and exit status
//
// Credentials come from VONAGE_API_KEY and VONAGE_API_SECRET (or, when neither
// is set, application auth from VONAGE_APPLICATION_ID and
// VONAGE_PRIVATE_KEY_PATH); the base URL from -base-url, else
// VONAGE_MEETINGS_BASE_URL, else the beta API (v1 with application auth). Exit status:
// 0 success, 1 failure, 2 usage or configuration error, 3 not found.
//
// Its tests run every command against meetingstest, the SDK's fake service.
package main
