//go:build amd64 && !purego

#include "textflag.h"

// tailMask: eight all-ones lanes then eight zero lanes. The 8 lanes
// starting at tailMask+32-4r enable exactly the first r.
DATA tailMask<>+0(SB)/8, $0xffffffffffffffff
DATA tailMask<>+8(SB)/8, $0xffffffffffffffff
DATA tailMask<>+16(SB)/8, $0xffffffffffffffff
DATA tailMask<>+24(SB)/8, $0xffffffffffffffff
DATA tailMask<>+32(SB)/8, $0
DATA tailMask<>+40(SB)/8, $0
DATA tailMask<>+48(SB)/8, $0
DATA tailMask<>+56(SB)/8, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

// HSUM4 reduces Y0..Y3 to X0 = {Σ Y0, Σ Y1, Σ Y2, Σ Y3}.
#define HSUM4 \
	VHADDPS      Y1, Y0, Y0; \
	VHADDPS      Y3, Y2, Y2; \
	VHADDPS      Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS       X1, X0, X0

// func dot4(k int, a *float32, lda int, x *float32, out *[4]float32)
// out[r] = Σ_p a[r*lda+p]·x[p] for r < 4.
TEXT ·dot4(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), DX
	SHLQ $2, DX
	MOVQ x+24(FP), DI
	LEAQ (SI)(DX*1), R10 // row 1
	LEAQ (SI)(DX*2), R9  // row 2
	LEAQ (R10)(DX*2), R11 // row 3
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ   AX, AX // byte offset along the rows

	MOVQ CX, BX
	SHRQ $4, BX
	JZ   dot4_8

dot4_16:
	VMOVUPS     (DI)(AX*1), Y8
	VMOVUPS     32(DI)(AX*1), Y9
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VFMADD231PS (R10)(AX*1), Y8, Y1
	VFMADD231PS (R9)(AX*1), Y8, Y2
	VFMADD231PS (R11)(AX*1), Y8, Y3
	VFMADD231PS 32(SI)(AX*1), Y9, Y4
	VFMADD231PS 32(R10)(AX*1), Y9, Y5
	VFMADD231PS 32(R9)(AX*1), Y9, Y6
	VFMADD231PS 32(R11)(AX*1), Y9, Y7
	ADDQ        $64, AX
	DECQ        BX
	JNZ         dot4_16

dot4_8:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	TESTQ  $8, CX
	JZ     dot4_tail
	VMOVUPS     (DI)(AX*1), Y8
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VFMADD231PS (R10)(AX*1), Y8, Y1
	VFMADD231PS (R9)(AX*1), Y8, Y2
	VFMADD231PS (R11)(AX*1), Y8, Y3
	ADDQ        $32, AX

dot4_tail:
	ANDQ $7, CX
	JZ   dot4_sum
	// The last 1..7 columns: masked loads read only the lanes that exist.
	LEAQ         tailMask<>+32(SB), R8
	SHLQ         $2, CX
	SUBQ         CX, R8
	VMOVUPS      (R8), Y15
	VMASKMOVPS   (DI)(AX*1), Y15, Y8
	VMASKMOVPS   (SI)(AX*1), Y15, Y12
	VMASKMOVPS   (R10)(AX*1), Y15, Y13
	VFMADD231PS  Y12, Y8, Y0
	VFMADD231PS  Y13, Y8, Y1
	VMASKMOVPS   (R9)(AX*1), Y15, Y12
	VMASKMOVPS   (R11)(AX*1), Y15, Y13
	VFMADD231PS  Y12, Y8, Y2
	VFMADD231PS  Y13, Y8, Y3

dot4_sum:
	HSUM4

dot4_done:
	MOVQ    out+32(FP), R8
	VMOVUPS X0, (R8)
	VZEROUPPER
	RET

// func axpy4(n int, w *[4]float32, b *float32, ldb int, y *float32)
// y[j] += w[0]·b[j] + w[1]·b[ldb+j] + w[2]·b[2ldb+j] + w[3]·b[3ldb+j].
TEXT ·axpy4(SB), NOSPLIT, $0-40
	MOVQ         n+0(FP), CX
	MOVQ         w+8(FP), AX
	VBROADCASTSS (AX), Y12
	VBROADCASTSS 4(AX), Y13
	VBROADCASTSS 8(AX), Y14
	VBROADCASTSS 12(AX), Y15
	MOVQ         b+16(FP), SI
	MOVQ         ldb+24(FP), DX
	SHLQ         $2, DX
	MOVQ         y+32(FP), DI
	LEAQ         (SI)(DX*1), R8  // row 1
	LEAQ         (SI)(DX*2), R9  // row 2
	LEAQ         (R8)(DX*2), R10 // row 3
	XORQ         AX, AX
	MOVQ         CX, BX
	SHRQ         $4, BX
	JZ           axpy4_8

axpy4_16:
	VMOVUPS     (DI)(AX*1), Y0
	VMOVUPS     32(DI)(AX*1), Y1
	VMULPS      (SI)(AX*1), Y12, Y2
	VMULPS      32(SI)(AX*1), Y12, Y3
	VFMADD231PS (R8)(AX*1), Y13, Y0
	VFMADD231PS 32(R8)(AX*1), Y13, Y1
	VFMADD231PS (R9)(AX*1), Y14, Y2
	VFMADD231PS 32(R9)(AX*1), Y14, Y3
	VFMADD231PS (R10)(AX*1), Y15, Y0
	VFMADD231PS 32(R10)(AX*1), Y15, Y1
	VADDPS      Y2, Y0, Y0
	VADDPS      Y3, Y1, Y1
	VMOVUPS     Y0, (DI)(AX*1)
	VMOVUPS     Y1, 32(DI)(AX*1)
	ADDQ        $64, AX
	DECQ        BX
	JNZ         axpy4_16

axpy4_8:
	TESTQ $8, CX
	JZ    axpy4_tail
	VMOVUPS     (DI)(AX*1), Y0
	VMULPS      (SI)(AX*1), Y12, Y2
	VFMADD231PS (R8)(AX*1), Y13, Y0
	VFMADD231PS (R9)(AX*1), Y14, Y2
	VFMADD231PS (R10)(AX*1), Y15, Y0
	VADDPS      Y2, Y0, Y0
	VMOVUPS     Y0, (DI)(AX*1)
	ADDQ        $32, AX

axpy4_tail:
	ANDQ $7, CX
	JZ   axpy4_done
	LEAQ        tailMask<>+32(SB), R11
	SHLQ        $2, CX
	SUBQ        CX, R11
	VMOVUPS     (R11), Y11
	VMASKMOVPS  (DI)(AX*1), Y11, Y0
	VMASKMOVPS  (SI)(AX*1), Y11, Y4
	VMASKMOVPS  (R8)(AX*1), Y11, Y5
	VMASKMOVPS  (R9)(AX*1), Y11, Y6
	VMASKMOVPS  (R10)(AX*1), Y11, Y7
	VMULPS      Y4, Y12, Y2
	VFMADD231PS Y5, Y13, Y0
	VFMADD231PS Y6, Y14, Y2
	VFMADD231PS Y7, Y15, Y0
	VADDPS      Y2, Y0, Y0
	VMASKMOVPS  Y0, Y11, (DI)(AX*1)

axpy4_done:
	VZEROUPPER
	RET
