//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// The packing routines for the AVX2 kernel's panel widths (6 for A, 16 for
// B) in assembly: plain copies, and 8×8 transposes in registers for the
// interleaving case, which the Go loops do an element at a time.

//go:noescape
func copyRuns16(d, src *float32, ld, kc int)

//go:noescape
func copyRuns8x(d, src *float32, ld, kc, w int)

//go:noescape
func copyRuns6(d, src *float32, ld, kc int)

//go:noescape
func interleave8(d, src *float32, ld, kc, w int)

//go:noescape
func interleave6(d, src *float32, ld, kc int)

var hasAVX = cpu.X86.HasAVX

func copyRuns(d, src []float32, ld, kc, w, n int) {
	if hasAVX && kc > 0 && n == w && (w%8 == 0 || w == 6) {
		_ = d[kc*w-1]
		_ = src[(kc-1)*ld+w-1]
		switch w {
		case 16:
			copyRuns16(&d[0], &src[0], ld, kc)
		case 6:
			copyRuns6(&d[0], &src[0], ld, kc)
		default:
			copyRuns8x(&d[0], &src[0], ld, kc, w)
		}
		return
	}
	copyRunsGo(d, src, ld, kc, w, n)
}

func interleave(d, src []float32, ld, kc, w, n int) {
	k8 := kc &^ 7
	if hasAVX && k8 > 0 && n == w && (w%8 == 0 || w == 6) {
		_ = d[kc*w-1]
		_ = src[(n-1)*ld+kc-1]
		if w == 6 {
			interleave6(&d[0], &src[0], ld, k8)
		} else {
			for r := 0; r < w; r += 8 {
				interleave8(&d[r], &src[r*ld], ld, k8, w)
			}
		}
		if k8 < kc {
			interleaveGo(d[k8*w:], src[k8:], ld, kc-k8, w, n)
		}
		return
	}
	interleaveGo(d, src, ld, kc, w, n)
}

//go:noescape
func copyBlock6(d, src *float32, ld, kc, panels int)

//go:noescape
func copyBlock8x(d, src *float32, ld, kc, w, panels int)

// copyBlock packs the kc×cols block src (stride ld) into ceil(cols/w)
// micro-panels of width w, row by row of the source.
func copyBlock(d, src []float32, ld, kc, w, cols int) {
	full := cols / w
	if hasAVX && kc > 0 && full > 0 && (w%8 == 0 || w == 6) {
		_ = d[full*w*kc-1]
		_ = src[(kc-1)*ld+full*w-1]
		if w == 6 {
			copyBlock6(&d[0], &src[0], ld, kc, full)
		} else {
			copyBlock8x(&d[0], &src[0], ld, kc, w, full)
		}
		if full*w < cols {
			copyRuns(d[full*w*kc:(full+1)*w*kc], src[full*w:], ld, kc, w, cols-full*w)
		}
		return
	}
	copyBlockGo(d, src, ld, kc, w, cols)
}
