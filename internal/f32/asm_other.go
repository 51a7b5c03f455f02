//go:build !amd64 || purego

package f32

const useAsm = false

func dotAsm(x, y []float32) float32 { return dotGeneric(x, y) }

func axpyAsm(alpha float32, x, y []float32) { axpyGeneric(alpha, x, y) }

func axpyPairAsm(a float32, x, u []float32, b float32, z, y []float32) {
	axpyPairGeneric(a, x, u, b, z, y)
}

func prefetchAsm(x []float32) {}

func sgnsAsm(x, out []float32, rows []int32, g []float32, dst []float32, alpha float32, tab *float32, zero bool, npos int) float32 {
	panic("unreachable: useAsm is false")
}

func dotInt8Asm(x []float32, y []int8) float32 { return dotInt8Generic(x, y) }

func dotCodesAsm(x, y []int8) int32 { return dotCodesGeneric(x, y) }
