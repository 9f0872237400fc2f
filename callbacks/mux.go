package callbacks

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ErrUnhandled is wrapped by the error Mux.Dispatch returns for an event that
// has no function of its own when the Mux has no fallback. NewHandler
// acknowledges such an event (204, so the sender does not retry it forever)
// and reports the error to the WithErrorFunc function, so that it is never
// dropped without a trace.
var ErrUnhandled = errors.New("callbacks: event not handled")

// Mux routes each event to the function registered for its type, so a
// receiver that cares about one event writes one typed function and no type
// switch. Build it with NewMux from routes made by On and Fallback, then pass
// its Dispatch method to NewHandler.
//
// A Mux cannot change once built: it is safe for concurrent use.
type Mux struct {
	routes   map[reflect.Type]func(ctx context.Context, ev Event) error // by Go type; nil for a Mux not made by NewMux
	fallback func(ctx context.Context, ev Event) error
}

// Route is one function of a Mux: make it with On or Fallback and pass it to
// NewMux. The zero Route is refused by NewMux.
type Route struct {
	name     string       // for errors: "On[*callbacks.SessionStarted]" or "Fallback"
	typ      reflect.Type // the event type On routes; nil for Fallback
	call     func(ctx context.Context, ev Event) error
	fallback func(ctx context.Context, ev Event) error
	err      error // what On or Fallback found wrong, reported by NewMux
}

// On returns a Route that calls fn for the events of type T, one of this
// package's event pointer types such as *RecordingUploaded: fn receives them
// already typed, aliases included (On[*ParticipantJoined] also gets
// "participant:joined"). On[*Unknown] routes every event this version does
// not know. NewMux refuses a nil fn and a T that is not one of those types.
func On[T Event](fn func(ctx context.Context, ev T) error) Route {
	t := reflect.TypeFor[T]()
	r := Route{name: fmt.Sprintf("On[%v]", t), typ: t}
	switch {
	case fn == nil:
		r.err = errors.New("nil function")
	case !slices.Contains(eventGoTypes(), t):
		r.err = fmt.Errorf("%v is not an event type of package callbacks; use one of %s", t, eventGoTypeNames())
	default:
		// Dispatch looks routes up by ev's exact Go type, so the assertion holds.
		r.call = func(ctx context.Context, ev Event) error { return fn(ctx, ev.(T)) }
	}
	return r
}

// eventGoTypes lists the Go types of this package's events, *Unknown last.
func eventGoTypes() []reflect.Type {
	types := make([]reflect.Type, 0, len(events)+1)
	for _, s := range events {
		types = append(types, reflect.TypeOf(s.build(&wire{})))
	}
	return append(types, reflect.TypeFor[*Unknown]())
}

// eventGoTypeNames lists the types On accepts, for its error.
func eventGoTypeNames() string {
	var names []string
	for _, t := range eventGoTypes() {
		names = append(names, t.String())
	}
	return strings.Join(names, ", ")
}

// Fallback returns a Route that calls fn for every event without a function
// of its own (unknown events too, unless On[*Unknown] is set). A Mux without
// a fallback answers such events with an error wrapping ErrUnhandled. NewMux
// refuses a nil fn.
func Fallback(fn func(ctx context.Context, ev Event) error) Route {
	r := Route{name: "Fallback", fallback: fn}
	if fn == nil {
		r.err = errors.New("nil function")
	}
	return r
}

// NewMux returns a Mux with the given routes. It refuses, with an error
// naming each problem, a route with a nil function, an On for a type that is
// not one of this package's event types, two routes for the same event type,
// two fallbacks and a zero Route.
func NewMux(routes ...Route) (*Mux, error) {
	m := &Mux{routes: make(map[reflect.Type]func(context.Context, Event) error)}
	var errs []error
	for i, r := range routes {
		switch {
		case r.name == "":
			errs = append(errs, fmt.Errorf("route %d is a zero Route: make routes with On or Fallback", i))
		case r.err != nil:
			errs = append(errs, fmt.Errorf("route %d, %s: %w", i, r.name, r.err))
		case r.fallback != nil:
			if m.fallback != nil {
				errs = append(errs, fmt.Errorf("route %d, %s: a second fallback; a Mux has at most one", i, r.name))
				continue
			}
			m.fallback = r.fallback
		default:
			if m.routes[r.typ] != nil {
				errs = append(errs, fmt.Errorf("route %d, %s: the same event type twice", i, r.name))
				continue
			}
			m.routes[r.typ] = r.call
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("callbacks: NewMux: %w", err)
	}
	return m, nil
}

// Dispatch calls the function routed for ev's type, else the fallback, and
// returns what it returns. Without either it returns an error wrapping
// ErrUnhandled, which NewHandler acknowledges with 204 and reports. Its
// signature is NewHandler's fn. An Event type from outside this package goes
// to the fallback.
//
// A nil or zero Mux (one not made by NewMux) returns an error for every
// event, which NewHandler answers 500 so that the sender keeps the callback.
// A nil ev, or a nil pointer in ev such as (*SessionStarted)(nil), is refused
// with an error (not ErrUnhandled) without calling any function.
func (m *Mux) Dispatch(ctx context.Context, ev Event) error {
	if m == nil || m.routes == nil {
		return errors.New("callbacks: Mux.Dispatch on a nil or zero Mux; create it with NewMux")
	}
	if isNilEvent(ev) { // any route would panic on its first field
		return fmt.Errorf("callbacks: Mux.Dispatch: nil event (%T)", ev)
	}
	if route := m.routes[reflect.TypeOf(ev)]; route != nil {
		return route(ctx, ev)
	}
	if m.fallback == nil {
		return fmt.Errorf("%w: %s has no function and the Mux no fallback", ErrUnhandled, ev.EventType())
	}
	return m.fallback(ctx, ev)
}
