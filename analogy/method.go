package analogy

import (
	"errors"
	"fmt"
	"strings"
)

// Method is a way of turning the three words of a question into a ranking
// of candidate answers.
type Method int

const (
	// CosAdd ranks x by cos(x, b - a + c) on unit vectors (3CosAdd).
	CosAdd Method = iota
	// CosMul ranks x by cos'(x,b)·cos'(x,c)/(cos'(x,a)+1e-6) with
	// cos' = (1+cos)/2 (3CosMul).
	CosMul
	// PairDirection ranks x by cos(x - c, b - a) on unit vectors.
	PairDirection
)

// ErrUnknownMethod is returned for a method name or value that is not one
// of CosAdd, CosMul and PairDirection.
var ErrUnknownMethod = errors.New("unknown analogy method")

var methodNames = [...]string{CosAdd: "3CosAdd", CosMul: "3CosMul", PairDirection: "PairDirection"}

// String returns the method's usual name: 3CosAdd, 3CosMul or
// PairDirection.
func (m Method) String() string {
	if m.valid() {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

func (m Method) valid() bool { return m >= 0 && int(m) < len(methodNames) }

func (m Method) check() error {
	if !m.valid() {
		return fmt.Errorf("analogy: %v: %w", m, ErrUnknownMethod)
	}
	return nil
}

// ParseMethod reads a method name, ignoring case: "add", "3cosadd" or
// "cosadd"; "mul", "3cosmul" or "cosmul"; "pairdir", "pair" or
// "pairdirection".
func ParseMethod(s string) (Method, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "add", "3cosadd", "cosadd":
		return CosAdd, nil
	case "mul", "3cosmul", "cosmul":
		return CosMul, nil
	case "pairdir", "pair", "pairdirection", "pair-direction":
		return PairDirection, nil
	}
	return 0, fmt.Errorf("analogy: %q (want add, mul or pairdir): %w", s, ErrUnknownMethod)
}

// MarshalText encodes the method by its name, for JSON output.
func (m Method) MarshalText() ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	return []byte(m.String()), nil
}

// UnmarshalText accepts any name ParseMethod accepts.
func (m *Method) UnmarshalText(b []byte) error {
	v, err := ParseMethod(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
