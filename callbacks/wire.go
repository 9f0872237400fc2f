package callbacks

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"time"
)

// stamp is a timestamp on the wire: RFC 3339, with or without fractional
// seconds.
type stamp time.Time

// UnmarshalJSON accepts an RFC 3339 string. (Wire forms hold *stamp, and
// encoding/json handles null for a pointer itself.)
func (s *stamp) UnmarshalJSON(b []byte) error {
	if text, ok := unquote(b); !ok || (*time.Time)(s).UnmarshalText(text) != nil {
		return &json.UnmarshalTypeError{Value: show(b), Type: reflect.TypeFor[time.Time]()}
	}
	return nil
}

// MarshalJSON writes RFC 3339 with milliseconds, as the API does, or with
// the digits a finer time needs.
func (s stamp) MarshalJSON() ([]byte, error) {
	t := time.Time(s)
	if t.Nanosecond()%int(time.Millisecond) == 0 && t.Year() >= 0 && t.Year() <= 9999 {
		return t.AppendFormat([]byte{'"'}, `2006-01-02T15:04:05.000Z07:00"`), nil
	}
	return t.MarshalJSON() // refuses a year that RFC 3339 cannot carry
}

// IsZero lets omitzero leave out a zero time.
func (s stamp) IsZero() bool { return time.Time(s).IsZero() }

// seconds is a duration on the wire: a JSON number of seconds, or a string
// holding one ("3598").
type seconds time.Duration

// UnmarshalJSON accepts a number or a quoted number: exactly to the
// nanosecond (further digits dropped) without an exponent, rounded to it
// with one. Like stamp, it is only used through a pointer.
func (s *seconds) UnmarshalJSON(b []byte) error {
	num := b
	if text, ok := unquote(b); ok {
		num = text
	}
	var d time.Duration
	var err error = strconv.ErrSyntax
	switch {
	case len(num) == 0 || num[0] != '-' && (num[0] < '0' || num[0] > '9') || !json.Valid(num):
	case bytes.ContainsAny(num, "eE"):
		var f float64
		if f, err = strconv.ParseFloat(string(num), 64); err == nil && !(math.Abs(f*1e9) < math.MaxInt64) {
			err = strconv.ErrRange
		}
		d = time.Duration(math.Round(f * 1e9))
	default:
		d, err = time.ParseDuration(string(num) + "s")
	}
	if err != nil {
		return &json.UnmarshalTypeError{Value: show(b), Type: reflect.TypeFor[time.Duration]()}
	}
	*s = seconds(d)
	return nil
}

// MarshalJSON writes a JSON number of seconds, exact to the nanosecond.
func (s seconds) MarshalJSON() ([]byte, error) {
	u, b := uint64(s), []byte(nil)
	if s < 0 {
		u, b = -u, []byte{'-'}
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	if frac := u % 1e9; frac != 0 {
		i := len(b)
		b = strconv.AppendUint(b, 1e9+frac, 10) // "1" and nine digits
		b[i] = '.'
		b = bytes.TrimRight(b, "0")
	}
	return b, nil
}
