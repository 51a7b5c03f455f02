//go:build !amd64 || purego

package f32

const useAboveAsm = false

func indexAddSubAboveAsm(x, y, z []float32, t float32) int { return -1 }

func indexProductAboveAsm(x, y, z []float32, eps, t float32) int { return -1 }
