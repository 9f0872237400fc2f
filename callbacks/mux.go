package callbacks

import (
	"context"
	"fmt"
	"reflect"
)

// Mux routes each event to the function registered for its type, so a
// receiver that cares about one event writes one typed function and no type
// switch. Register with On and Fallback, then pass m.Dispatch to NewHandler.
//
// Registration is not safe while Dispatch runs: register everything first.
// The zero Mux is ready to use.
type Mux struct {
	routes   map[EventType]route
	unknown  route
	fallback func(ctx context.Context, ev Event) error
}

// route calls a typed function if ev has its type, reporting whether it did.
type route func(ctx context.Context, ev Event) (bool, error)

// NewMux returns an empty Mux.
func NewMux() *Mux { return &Mux{} }

// On registers fn for the events of type T, a pointer type of this package
// such as *RecordingUploaded: fn receives them already typed, aliases
// included (On[*ParticipantJoined] also gets "participant:joined").
// On[*Unknown] registers fn for every event this version does not know.
//
// On panics if T is not one of this package's event types or if T already
// has a function.
func On[T Event](m *Mux, fn func(ctx context.Context, ev T) error) {
	if fn == nil {
		panic("callbacks: On: nil function")
	}
	r := func(ctx context.Context, ev Event) (bool, error) {
		t, ok := ev.(T)
		if !ok { // an Event type from outside this package claiming our EventType
			return false, nil
		}
		return true, fn(ctx, t)
	}
	t := reflect.TypeFor[T]()
	if t == reflect.TypeFor[*Unknown]() {
		if m.unknown != nil {
			panic("callbacks: On: *callbacks.Unknown registered twice")
		}
		m.unknown = r
		return
	}
	for _, s := range events {
		if reflect.TypeOf(s.build(&wire{})) != t {
			continue
		}
		if m.routes == nil {
			m.routes = make(map[EventType]route)
		}
		if m.routes[s.typ] != nil {
			panic(fmt.Sprintf("callbacks: On: %v registered twice", t))
		}
		m.routes[s.typ] = r
		return
	}
	panic(fmt.Sprintf("callbacks: On: %v is not an event type of package callbacks", t))
}

// Fallback sets the function that receives every event without a function of
// its own (unknown events too, unless On[*Unknown] is set). Without a
// fallback such events are acknowledged and dropped: set one, if only to log
// them, so that nothing is lost silently.
func (m *Mux) Fallback(fn func(ctx context.Context, ev Event) error) { m.fallback = fn }

// Dispatch calls the function registered for ev's type, else the fallback,
// else does nothing and returns nil. Its signature is NewHandler's fn.
func (m *Mux) Dispatch(ctx context.Context, ev Event) error {
	if ev == nil {
		return nil
	}
	r := m.routes[ev.EventType()]
	if _, ok := ev.(*Unknown); ok {
		r = m.unknown
	}
	if r != nil {
		if done, err := r(ctx, ev); done {
			return err
		}
	}
	if m.fallback == nil {
		return nil
	}
	return m.fallback(ctx, ev)
}
