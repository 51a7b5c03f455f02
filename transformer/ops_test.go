package transformer

import (
	"math"
	"testing"
)

func TestErfAccuracy(t *testing.T) {
	worst := 0.0
	for x := -6.0; x <= 6; x += 1e-3 {
		if e := math.Abs(float64(erf(float32(x))) - math.Erf(float64(float32(x)))); e > worst {
			worst = e
		}
	}
	if worst > 4e-7 {
		t.Errorf("worst absolute error %.3g, want < 4e-7", worst)
	}
}
