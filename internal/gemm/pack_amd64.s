//go:build amd64 && !purego

#include "textflag.h"

// func copyRuns16(d, src *float32, ld, kc int)
// d[p*16+j] = src[p*ld+j] for p < kc, j < 16.
TEXT ·copyRuns16(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	TESTQ CX, CX
	JZ   done16

loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    DX, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     loop16

done16:
	VZEROUPPER
	RET

// func copyRuns8x(d, src *float32, ld, kc, w int)
// d[p*w+j] = src[p*ld+j] for p < kc, j < w; w is a multiple of 8.
TEXT ·copyRuns8x(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	MOVQ w+32(FP), R8
	SHRQ $3, R8
	TESTQ CX, CX
	JZ   done8x

row8x:
	MOVQ R8, BX
	XORQ AX, AX

col8x:
	VMOVUPS (SI)(AX*1), Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, AX
	ADDQ    $32, DI
	DECQ    BX
	JNZ     col8x
	ADDQ    DX, SI
	DECQ    CX
	JNZ     row8x

done8x:
	VZEROUPPER
	RET

// func copyRuns6(d, src *float32, ld, kc int)
// d[p*6+j] = src[p*ld+j] for p < kc, j < 6.
TEXT ·copyRuns6(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	TESTQ CX, CX
	JZ   done6

loop6:
	VMOVUPS (SI), X0
	VMOVSD  16(SI), X1
	VMOVUPS X0, (DI)
	VMOVSD  X1, 16(DI)
	ADDQ   DX, SI
	ADDQ   $24, DI
	DECQ   CX
	JNZ    loop6

done6:
	RET

// TRANSPOSE8 transposes the 8×8 block in Y0..Y7 (row i in Yi) into
// Y8..Y15 (column j in Y(8+j)), using Y0..Y7 as scratch.
#define TRANSPOSE8 \
	VUNPCKLPS  Y1, Y0, Y8; \
	VUNPCKHPS  Y1, Y0, Y9; \
	VUNPCKLPS  Y3, Y2, Y10; \
	VUNPCKHPS  Y3, Y2, Y11; \
	VUNPCKLPS  Y5, Y4, Y12; \
	VUNPCKHPS  Y5, Y4, Y13; \
	VUNPCKLPS  Y7, Y6, Y14; \
	VUNPCKHPS  Y7, Y6, Y15; \
	VSHUFPS    $0x44, Y10, Y8, Y0; \
	VSHUFPS    $0xEE, Y10, Y8, Y1; \
	VSHUFPS    $0x44, Y11, Y9, Y2; \
	VSHUFPS    $0xEE, Y11, Y9, Y3; \
	VSHUFPS    $0x44, Y14, Y12, Y4; \
	VSHUFPS    $0xEE, Y14, Y12, Y5; \
	VSHUFPS    $0x44, Y15, Y13, Y6; \
	VSHUFPS    $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; \
	VPERM2F128 $0x20, Y5, Y1, Y9; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x31, Y6, Y2, Y14; \
	VPERM2F128 $0x31, Y7, Y3, Y15

// func interleave8(d, src *float32, ld, kc, w int)
// d[p*w+r] = src[r*ld+p] for r < 8, p < kc; kc is a multiple of 8.
TEXT ·interleave8(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	SHRQ $3, CX
	JZ   done8
	MOVQ w+32(FP), R8
	SHLQ $2, R8
	LEAQ (DX)(DX*2), R9 // 3 rows
	LEAQ (SI)(DX*4), R10 // row 4

loop8:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(DX*1), Y1
	VMOVUPS (SI)(DX*2), Y2
	VMOVUPS (SI)(R9*1), Y3
	VMOVUPS (R10), Y4
	VMOVUPS (R10)(DX*1), Y5
	VMOVUPS (R10)(DX*2), Y6
	VMOVUPS (R10)(R9*1), Y7
	TRANSPOSE8
	MOVQ    DI, R11
	VMOVUPS Y8, (R11)
	ADDQ    R8, R11
	VMOVUPS Y9, (R11)
	ADDQ    R8, R11
	VMOVUPS Y10, (R11)
	ADDQ    R8, R11
	VMOVUPS Y11, (R11)
	ADDQ    R8, R11
	VMOVUPS Y12, (R11)
	ADDQ    R8, R11
	VMOVUPS Y13, (R11)
	ADDQ    R8, R11
	VMOVUPS Y14, (R11)
	ADDQ    R8, R11
	VMOVUPS Y15, (R11)
	ADDQ    R8, R11
	MOVQ    R11, DI
	ADDQ    $32, SI
	ADDQ    $32, R10
	DECQ    CX
	JNZ     loop8

done8:
	VZEROUPPER
	RET

// func interleave6(d, src *float32, ld, kc int)
// d[p*6+r] = src[r*ld+p] for r < 6, p < kc; kc is a multiple of 8. Rows 6
// and 7 of the transpose are zero; each column is stored as 6 values.
TEXT ·interleave6(SB), NOSPLIT, $0-32
	MOVQ d+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	SHRQ $3, CX
	JZ   done6t
	LEAQ (DX)(DX*2), R9 // 3 rows
	LEAQ (SI)(DX*4), R10 // row 4

loop6t:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(DX*1), Y1
	VMOVUPS (SI)(DX*2), Y2
	VMOVUPS (SI)(R9*1), Y3
	VMOVUPS (R10), Y4
	VMOVUPS (R10)(DX*1), Y5
	VXORPS  Y6, Y6, Y6
	VXORPS  Y7, Y7, Y7
	TRANSPOSE8
	// Overlapping 8-wide stores in increasing order: each writes two
	// zeros that the next overwrites. The last is stored as 4+2.
	VMOVUPS      Y8, (DI)
	VMOVUPS      Y9, 24(DI)
	VMOVUPS      Y10, 48(DI)
	VMOVUPS      Y11, 72(DI)
	VMOVUPS      Y12, 96(DI)
	VMOVUPS      Y13, 120(DI)
	VMOVUPS      Y14, 144(DI)
	VMOVUPS      X15, 168(DI)
	VEXTRACTF128 $1, Y15, X15
	VMOVSD       X15, 184(DI)
	ADDQ         $192, DI
	ADDQ         $32, SI
	ADDQ         $32, R10
	DECQ         CX
	JNZ          loop6t

done6t:
	VZEROUPPER
	RET

// func copyBlock6(d, src *float32, ld, kc, panels int)
// For p < kc and q < panels: d[(q*kc+p)*6 + j] = src[p*ld + q*6 + j], j < 6.
// Each source row is read once, front to back, and scattered over the
// panels, instead of visiting kc rows (kc pages) once per panel.
TEXT ·copyBlock6(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	MOVQ panels+32(FP), R8
	MOVQ CX, R9
	IMULQ $24, R9 // bytes per panel
	TESTQ CX, CX
	JZ   doneb6

rowb6:
	MOVQ R8, BX
	MOVQ SI, AX
	MOVQ DI, R10
	// Each source row is a short run on a page of its own, too short for
	// the hardware prefetcher: fetch the row 8 ahead now.
	LEAQ (SI)(DX*8), R12
	MOVQ R8, R13
	IMULQ $24, R13

pfb6:
	PREFETCHT0 (R12)
	ADDQ       $64, R12
	SUBQ       $64, R13
	JG         pfb6

colb6:
	VMOVUPS (AX), X0
	VMOVSD  16(AX), X1
	VMOVUPS X0, (R10)
	VMOVSD  X1, 16(R10)
	ADDQ    $24, AX
	ADDQ    R9, R10
	DECQ    BX
	JNZ     colb6
	ADDQ    DX, SI
	ADDQ    $24, DI
	DECQ    CX
	JNZ     rowb6

doneb6:
	RET

// func copyBlock8x(d, src *float32, ld, kc, w, panels int)
// For p < kc and q < panels: d[(q*kc+p)*w + j] = src[p*ld + q*w + j], j < w;
// w is a multiple of 8.
TEXT ·copyBlock8x(SB), NOSPLIT, $0-48
	MOVQ d+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $2, DX
	MOVQ kc+24(FP), CX
	MOVQ w+32(FP), R11
	SHLQ $2, R11 // bytes per run
	MOVQ panels+40(FP), R8
	MOVQ CX, R9
	IMULQ R11, R9 // bytes per panel
	SUBQ R11, R9  // from the end of one run to the same row of the next panel
	TESTQ CX, CX
	JZ   doneb8

rowb8:
	MOVQ R8, BX
	MOVQ SI, AX
	MOVQ DI, R10

colb8:
	MOVQ R11, R12

runb8:
	VMOVUPS (AX), Y0
	VMOVUPS Y0, (R10)
	ADDQ    $32, AX
	ADDQ    $32, R10
	SUBQ    $32, R12
	JNZ     runb8
	ADDQ    R9, R10
	DECQ    BX
	JNZ     colb8
	ADDQ    DX, SI
	ADDQ    R11, DI
	DECQ    CX
	JNZ     rowb8

doneb8:
	VZEROUPPER
	RET
