// Command meetings-cli works with a Vonage Meetings application from the
// shell: its recordings, rooms and themes, and its dial-in numbers.
//
//	meetings-cli recordings list SESSION_ID | get ID | download ID [PATH] | delete ID
//	meetings-cli rooms list | get ID | create NAME [-long-term -expires RFC3339]
//	meetings-cli rooms update ID [-name NAME] [-theme THEME_ID]
//	meetings-cli themes list | get ID | create -color COLOR -brand TEXT [-name NAME]
//	meetings-cli themes update ID [-color COLOR] [-brand TEXT] [-name NAME]
//	meetings-cli themes set-logo ID white|colored|favicon FILE
//	meetings-cli dial-in
//
// Each command is a few lines over one SDK call. Secrets stay off the screen:
// a recording's signed URL is shown without its signature, and a room's host
// URL not at all.
//
// # Configuration and exit status
//
// Everything comes from the environment, through meetings.NewClientFromEnv:
// VONAGE_API_KEY and VONAGE_API_SECRET (or, when neither is set, application
// auth from VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY_PATH), and the base
// URL from VONAGE_MEETINGS_BASE_URL (default: the beta API, or v1 with
// application auth). Exit status: 0 success, 1 failure, 2 usage or
// configuration error (a refused argument included), 3 not found.
//
// Its tests run every command against meetingstest, the SDK's fake service.
package main
