// Command quickstart runs the SDK's main job end to end, as a user's service
// does it: it creates a room whose callback URLs point at a local webhook
// receiver; a meeting is held in the room; on recording:uploaded the receiver
// fetches the recording, downloads its file with a progress bar, lists the
// session's recordings and deletes the one it saved.
//
// # Offline
//
// By default it runs offline in about a second: it starts meetingstest, the
// SDK's fake Meetings service, on loopback, the fake plays a meeting in the
// room, and the file lands in ./quickstart-downloads/<recording-id>.mp4.
//
//	go run ./examples/quickstart
//
// # Against a service
//
// With -base-url it talks to a real service instead, with the credentials in
// VONAGE_API_KEY and VONAGE_API_SECRET (or VONAGE_APPLICATION_ID and
// VONAGE_PRIVATE_KEY_PATH), and waits for a meeting in the room it creates.
// The service must reach the receiver: point a tunnel at -listen (default
// 127.0.0.1:8080) and pass its public URL as -callback-url. It keeps the
// recording on the service unless -delete is given.
//
//	VONAGE_API_KEY=... VONAGE_API_SECRET=... go run ./examples/quickstart \
//		-base-url https://api-eu.vonage.com/beta/meetings -callback-url https://<tunnel>/callbacks
package main
