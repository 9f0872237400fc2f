package callbacks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
)

// ErrUnhandled is wrapped by the error Mux.Dispatch returns for an event
// that no route or fallback decided on. NewHandler answers it 204, so that
// the sender does not retry forever, and reports it to WithErrorFunc.
var ErrUnhandled = errors.New("callbacks: event not handled")

// Mux calls the function routed for each event's type, so a receiver writes
// typed functions and no type switch. Build it with NewMux and pass its
// Dispatch to NewHandler. A Mux never changes: it is safe for concurrent use.
type Mux struct {
	routes   map[reflect.Type]func(ctx context.Context, ev Event) error
	fallback func(ctx context.Context, ev Event) error
}

// Route is one entry of a Mux: On, Ignore, Fallback or IgnoreOthers.
type Route struct {
	typ reflect.Type // the event type routed; nil for a fallback
	fn  func(ctx context.Context, ev Event) error
}

// On routes the events of type T, such as *RecordingUploaded, to fn, typed,
// aliases included. On[*Unknown] routes every event this version does not know.
func On[T Event](fn func(ctx context.Context, ev T) error) Route {
	r := Route{typ: reflect.TypeFor[T]()}
	if fn != nil {
		r.fn = func(ctx context.Context, ev Event) error { return fn(ctx, ev.(T)) }
	}
	return r
}

// Ignore routes the events of type T to nothing: acknowledged, not reported.
func Ignore[T Event]() Route {
	return Route{typ: reflect.TypeFor[T](), fn: ignore}
}

// Fallback routes every event that has no route of its own to fn.
func Fallback(fn func(ctx context.Context, ev Event) error) Route { return Route{fn: fn} }

// IgnoreOthers is a Fallback that acknowledges every other event quietly.
func IgnoreOthers() Route { return Fallback(ignore) }

func ignore(context.Context, Event) error { return nil }

// NewMux returns a Mux with the given routes. It refuses a route with a nil
// function (the zero Route included), a route for an interface type (which
// no event has), two routes for one type and two fallbacks.
func NewMux(routes ...Route) (*Mux, error) {
	m := &Mux{routes: make(map[reflect.Type]func(context.Context, Event) error)}
	for i, r := range routes {
		var err error
		switch {
		case r.fn == nil:
			err = errors.New("has a nil function")
		case r.typ == nil && m.fallback != nil:
			err = errors.New("is a second fallback")
		case r.typ == nil:
			m.fallback = r.fn
		case r.typ.Kind() == reflect.Interface:
			err = errors.New("names an interface type; use a pointer type such as *callbacks.RecordingUploaded")
		case m.routes[r.typ] != nil:
			err = errors.New("is a second route for that type")
		default:
			m.routes[r.typ] = r.fn
		}
		if err != nil {
			return nil, fmt.Errorf("callbacks: NewMux: route %d (%v) %w", i, cmp.Or[any](r.typ, "fallback"), err)
		}
	}
	return m, nil
}

// Dispatch calls the function routed for ev's type, else the fallback, and
// returns its error. Without either it returns an error wrapping
// ErrUnhandled. Its signature is NewHandler's fn.
func (m *Mux) Dispatch(ctx context.Context, ev Event) error {
	if fn := m.routes[reflect.TypeOf(ev)]; fn != nil {
		return fn(ctx, ev)
	}
	if m.fallback != nil {
		return m.fallback(ctx, ev)
	}
	return fmt.Errorf("%w: %s has no route and the Mux no fallback", ErrUnhandled, ev.EventType())
}
