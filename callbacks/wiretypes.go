package callbacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// valueError is what stamp and seconds return for a value they refuse; Parse
// puts it after the quoted value: `"yesterday" is not an RFC 3339 time`.
type valueError string

func (e valueError) Error() string { return string(e) }

const (
	errNotTime    valueError = "is not an RFC 3339 time"
	errNotSeconds valueError = "is not a number of seconds"
	errTooLong    valueError = "is out of range for a duration"
)

// stamp is a timestamp on the wire: an RFC 3339 string with or without
// fractional seconds. It encodes with milliseconds, as the API sends them, or
// with as many digits as a sub-millisecond value needs, so nothing is lost.
type stamp struct{ time.Time }

// UnmarshalJSON accepts null (no change) or an RFC 3339 string.
func (s *stamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if bytes.IndexByte(b, '\\') < 0 { // the usual case: time parses the quoted text itself
		if s.Time.UnmarshalJSON(b) != nil {
			return errNotTime
		}
		return nil
	}
	text, ok := jsonString(b)
	if !ok {
		return errNotTime
	}
	var t time.Time
	if err := t.UnmarshalText(text); err != nil {
		return errNotTime
	}
	s.Time = t
	return nil
}

// MarshalJSON writes s in RFC 3339 with milliseconds (more digits only when
// needed), keeping its offset, or in UTC when the offset has a seconds part
// (see wireTime). It refuses a time RFC 3339 cannot carry.
func (s stamp) MarshalJSON() ([]byte, error) {
	t, err := s.wireTime()
	if err != nil {
		return nil, err
	}
	layout := "2006-01-02T15:04:05.000Z07:00"
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		layout = time.RFC3339Nano
	}
	b := make([]byte, 0, len(layout)+12)
	b = append(b, '"')
	b = t.AppendFormat(b, layout)
	return append(b, '"'), nil
}

// wireTime returns the time as MarshalJSON writes it: s itself, or s in UTC
// (the same instant) when its offset has a seconds part, such as the
// +00:19:32 of Amsterdam before 1937, which RFC 3339's hh:mm offsets would
// silently truncate. It refuses an offset of 24 hours or more and a year,
// as written, outside 0000-9999: RFC 3339 cannot carry them, and Parse would
// refuse what it wrote.
func (s stamp) wireTime() (time.Time, error) {
	t := s.Time
	_, off := t.Zone()
	if off <= -24*60*60 || off >= 24*60*60 {
		return t, valueError(fmt.Sprintf("has UTC offset %s, outside the -23:59 to +23:59 that RFC 3339 can carry", formatOffset(off)))
	}
	if off%60 != 0 {
		t = t.UTC()
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return t, valueError(fmt.Sprintf("has year %d, outside the 0000-9999 that RFC 3339 can carry", y))
	}
	return t, nil
}

// formatOffset writes a UTC offset in seconds as ±hh:mm, with :ss if needed.
func formatOffset(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	s := fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf(":%02d", off%60)
	}
	return s
}

// namedTime is a time field of an event about to be marshalled.
type namedTime struct {
	field string
	t     time.Time
}

// checkTimes returns an error naming ev and the field if one of the non-zero
// times cannot be written in RFC 3339 (see stamp.wireTime), so that an event
// never marshals into JSON that Parse refuses.
func checkTimes(ev EventType, times ...namedTime) error {
	for _, nt := range times {
		if nt.t.IsZero() {
			continue
		}
		if _, err := (stamp{nt.t}).wireTime(); err != nil {
			return fmt.Errorf("callbacks: %s: field %q: time %s %w", ev, nt.field, nt.t.Format(time.RFC3339Nano), err)
		}
	}
	return nil
}

// seconds is a duration on the wire: a JSON number of seconds, or a string
// holding one ("3598"). Fractions are kept to the nanosecond.
type seconds time.Duration

func (s seconds) d() time.Duration { return time.Duration(s) }

// UnmarshalJSON accepts null (no change), a number or a quoted number.
func (s *seconds) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		text, ok := jsonString(b)
		if !ok {
			return errNotSeconds
		}
		b = text
	}
	d, err := parseSeconds(b)
	if err != nil {
		return err
	}
	*s = seconds(d)
	return nil
}

// MarshalJSON writes s as a JSON number of seconds: an integer when whole,
// otherwise an exact decimal fraction.
func (s seconds) MarshalJSON() ([]byte, error) {
	d := int64(s)
	var b []byte
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = uint64(-(d + 1)) + 1 // safe for math.MinInt64
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	if frac := u % 1e9; frac != 0 {
		digits := strconv.AppendUint(nil, frac+1e9, 10)[1:] // 9 digits, zero padded
		b = append(b, '.')
		b = append(b, bytes.TrimRight(digits, "0")...)
	}
	return b, nil
}

// parseSeconds parses a JSON number of seconds (sign, digits, optional
// fraction and exponent) into a Duration. Without an exponent it is exact to
// the nanosecond (further digits are dropped); with one it goes through
// float64 and rounds to the nanosecond.
func parseSeconds(b []byte) (time.Duration, error) {
	i, neg := 0, false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	start := i
	var whole uint64
	overflow := false
	for ; i < len(b) && isDigit(b[i]); i++ {
		if whole > maxWholeSeconds/10+1 {
			overflow = true
			continue
		}
		whole = whole*10 + uint64(b[i]-'0')
	}
	if i == start {
		return 0, errNotSeconds
	}
	var frac uint64
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		for ; i < len(b) && isDigit(b[i]); i++ {
			if i-fs < 9 {
				frac = frac*10 + uint64(b[i]-'0')
			}
		}
		if i == fs {
			return 0, errNotSeconds
		}
		for n := i - fs; n < 9; n++ {
			frac *= 10
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		es := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		if i == es || i != len(b) {
			return 0, errNotSeconds
		}
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil && !math.IsInf(f, 0) {
			return 0, errNotSeconds
		}
		ns := math.Round(f * 1e9)
		if math.IsInf(ns, 0) || math.IsNaN(ns) || ns >= math.MaxInt64 || ns < math.MinInt64 {
			return 0, errTooLong
		}
		return time.Duration(ns), nil
	}
	if i != len(b) {
		return 0, errNotSeconds
	}
	if overflow || whole > maxWholeSeconds {
		return 0, errTooLong
	}
	total := whole*1e9 + frac
	switch {
	case neg && total <= 1<<63:
		return time.Duration(-total), nil // two's complement: -(1<<63) is MinInt64
	case !neg && total <= math.MaxInt64:
		return time.Duration(total), nil
	}
	return 0, errTooLong
}

// maxWholeSeconds is the most whole seconds a time.Duration holds.
const maxWholeSeconds = uint64(math.MaxInt64 / int64(time.Second))

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// jsonString returns the contents of the JSON string b, unescaped.
func jsonString(b []byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return nil, false
	}
	text := b[1 : len(b)-1]
	if bytes.IndexByte(text, '\\') < 0 && utf8.Valid(text) {
		return text, true
	}
	// Escapes or invalid UTF-8 (which encoding/json turns into U+FFFD).
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil, false
	}
	return []byte(s), true
}
