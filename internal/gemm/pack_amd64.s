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
