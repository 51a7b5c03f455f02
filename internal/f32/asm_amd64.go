//go:build amd64 && !purego

package f32

import "golang.org/x/sys/cpu"

// useAsm selects the AVX2/FMA kernels when the processor has them.
var useAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func dotAsm(x, y []float32) float32

//go:noescape
func axpyAsm(alpha float32, x, y []float32)

//go:noescape
func axpyPairAsm(a float32, x, u []float32, b float32, z, y []float32)

//go:noescape
func prefetchAsm(x []float32)

//go:noescape
func sgnsAsm(x, out []float32, rows []int32, g []float32, dst []float32, alpha float32, tab *float32, zero bool, npos int) float32

//go:noescape
func dotInt8Asm(x []float32, y []int8) float32

//go:noescape
func dotCodesAsm(x, y []int8) int32
