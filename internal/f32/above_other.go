//go:build !amd64 || purego

package f32

const useAboveAsm = false

func indexSumAboveAsm(x, y []float32, t float32) int { return -1 }

func indexProductAboveAsm(x, y []float32, t float32) int { return -1 }
