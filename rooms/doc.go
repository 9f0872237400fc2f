// Package rooms creates, updates and lists Vonage Meetings rooms, and lists
// the numbers that dial into their meetings. Get its Service from a client:
//
//	client, err := meetings.NewClient(key, secret)
//	room, err := client.Rooms.Create(ctx, rooms.CreateRequest{DisplayName: "Stand-up"})
//	fmt.Println(room.GuestURL) // the link to share
//
// # Instant and long-term rooms
//
// An Instant room (the default) serves one meeting and the server sets its
// expiry. A LongTerm room is reusable until its ExpiresAt, which creating
// one requires, more than 10 minutes ahead; ExpireAfterUse closes it after
// its first session. Only long-term rooms can be updated, and rooms cannot
// be deleted: they expire.
//
// # Requests
//
// Zero fields of a CreateRequest and nil fields of an UpdateRequest are not
// sent, so the server's defaults apply. Where false means something (a
// feature turned off, no automatic recording), the field is a *bool.
// Requests the server would refuse for a reason the client can see are an
// *meetings.ArgumentError naming the field, and nothing is sent. Times go out
// as RFC 3339 in UTC with milliseconds; enum values go out as given.
//
// # Listing
//
// List yields every room, page after page; ListPage fetches one page and
// says in Page.Next how to ask for the next one. Both read only the start_id
// of the server's next-page link and ask the client's own base URL for it. A
// next page that would repeat an earlier one is an error, not a loop.
//
// # Secrets
//
// A room's HostURL carries a participant token that lets anyone in as the
// host. Printing a Room (any fmt verb) or logging it with log/slog shows the
// HostURL without its query; hand the URL itself only to the host.
package rooms
