//go:build amd64 && !purego

package f32

import "golang.org/x/sys/cpu"

var useAboveAsm = cpu.X86.HasAVX2

// indexSumAboveAsm scans the first len(x)&^7 elements; -1 if no hit.
//
//go:noescape
func indexSumAboveAsm(x, y []float32, t float32) int

// indexProductAboveAsm scans the first len(x)&^7 elements; -1 if no hit.
//
//go:noescape
func indexProductAboveAsm(x, y []float32, t float32) int
