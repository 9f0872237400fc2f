// Command quickstart runs the SDK's main job end to end: a webhook receiver
// gets the recording:uploaded callback, fetches the recording, downloads its
// file with a progress bar, lists the session's recordings and deletes the one
// it downloaded.
//
// # Offline
//
// By default it runs offline: it starts meetingstest, the SDK's fake Meetings
// service, on loopback, and the fake plays one meeting to the receiver.
//
//	go run ./examples/quickstart
//
// # Against a service
//
// With -base-url it talks to a real service instead, with the credentials in
// VONAGE_API_KEY and VONAGE_API_SECRET (or VONAGE_APPLICATION_ID and
// VONAGE_PRIVATE_KEY_PATH for application auth), and waits for a real recording:uploaded
// callback on -listen (see -help).
package main
