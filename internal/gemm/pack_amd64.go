//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// The packing routines for the AVX2 kernel's panel widths (6 for A, 16 for
// B) in assembly: plain copies, and 8×8 transposes in registers for the
// interleaving case, which the Go loops do an element at a time.

//go:noescape
func copyRuns16(d, src *float32, ld, kc int)

//go:noescape
func copyRuns6(d, src *float32, ld, kc int)

//go:noescape
func interleave8(d, src *float32, ld, kc, w int)

//go:noescape
func interleave6(d, src *float32, ld, kc int)

var hasAVX = cpu.X86.HasAVX

func copyRuns(d, src []float32, ld, kc, w, n int) {
	if hasAVX && kc > 0 && n == w && (w == 16 || w == 6) {
		_ = d[kc*w-1]
		_ = src[(kc-1)*ld+w-1]
		if w == 16 {
			copyRuns16(&d[0], &src[0], ld, kc)
		} else {
			copyRuns6(&d[0], &src[0], ld, kc)
		}
		return
	}
	copyRunsGo(d, src, ld, kc, w, n)
}

func interleave(d, src []float32, ld, kc, w, n int) {
	k8 := kc &^ 7
	if hasAVX && k8 > 0 && n == w && (w == 16 || w == 6) {
		_ = d[kc*w-1]
		_ = src[(n-1)*ld+kc-1]
		if w == 16 {
			interleave8(&d[0], &src[0], ld, k8, 16)
			interleave8(&d[8], &src[8*ld], ld, k8, 16)
		} else {
			interleave6(&d[0], &src[0], ld, k8)
		}
		if k8 < kc {
			interleaveGo(d[k8*w:], src[k8:], ld, kc-k8, w, n)
		}
		return
	}
	interleaveGo(d, src, ld, kc, w, n)
}
