//go:build amd64 && !purego

package f32

import "golang.org/x/sys/cpu"

// expAVX2 says whether expShiftSumAVX2 can run here.
var expAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func expShiftSumAVX2(x []float32, shift float32) float32

// expShiftSumBlock handles the largest multiple of 8 elements of x with
// AVX2 and returns how many it did and their sum.
func expShiftSumBlock(x []float32, shift float32) (int, float64) {
	if !expAVX2 || len(x) < 8 {
		return 0, 0
	}
	n := len(x) &^ 7
	return n, float64(expShiftSumAVX2(x[:n], shift))
}

//go:noescape
func geluAVX2(dst, src []float32)

//go:noescape
func geluBackwardAVX2(dy, x []float32)

func geluBlock(dst, src []float32) int {
	if !expAVX2 || len(src) < 8 {
		return 0
	}
	n := len(src) &^ 7
	geluAVX2(dst[:n], src[:n])
	return n
}

func geluBackwardBlock(dy, x []float32) int {
	if !expAVX2 || len(dy) < 8 {
		return 0
	}
	n := len(dy) &^ 7
	geluBackwardAVX2(dy[:n], x[:n])
	return n
}
