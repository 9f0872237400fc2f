// Command webhook-receiver is a production-shaped receiver of Vonage Meetings
// callbacks: it saves the file of every uploaded recording.
//
//   - POST /callbacks takes the callbacks (callbacks.NewHandler). A
//     recording:uploaded event is queued, with its context stripped of the
//     request's cancellation (context.WithoutCancel), and answered 204 at
//     once; a bounded pool of workers downloads the files into -out, off the
//     request path. A full queue answers 500, so the sender retries later.
//     Other events are acknowledged quietly (callbacks.IgnoreOthers).
//   - GET /healthz answers 200 "ok".
//   - It listens on loopback (127.0.0.1:8080) by default. With
//     VONAGE_SIGNATURE_SECRET set, callbacks without a valid signature are
//     refused with 401 (callbacks.NewVerifier), and -addr may be any address.
//     Without it, an address beyond loopback (such as :8080) is refused at
//     start-up unless -insecure-listen-any says so: anyone who reaches the
//     port could post callbacks.
//   - SIGINT or SIGTERM shuts down gracefully: no new connections, requests
//     in flight finish, queued and running downloads finish, all within
//     -shutdown-timeout; past it downloads are cancelled and leave no partial
//     file.
//   - Logs are JSON lines (log/slog) on stdout.
//
// # Configuration
//
// Credentials come from VONAGE_API_KEY and VONAGE_API_SECRET (or, when neither
// is set, VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY_PATH for application
// auth), the base URL from -base-url or VONAGE_MEETINGS_BASE_URL (default: the
// beta API, or v1 with application auth).
//
//	VONAGE_API_KEY=... VONAGE_API_SECRET=... VONAGE_SIGNATURE_SECRET=... \
//		go run ./examples/webhook-receiver -addr :8080
package main
