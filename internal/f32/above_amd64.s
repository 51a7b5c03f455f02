//go:build amd64 && !purego

#include "textflag.h"

// func indexSumAboveAsm(x, y []float32, t float32) int
// Sixteen elements a round: x + y compared with t (greater than,
// ordered: NaN is false); the two masks are merged so one branch covers
// both vectors.
TEXT ·indexSumAboveAsm(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	VBROADCASTSS t+48(FP), Y15
	ANDQ $-8, CX
	XORQ AX, AX

sa16:
	LEAQ 16(AX), BX
	CMPQ BX, CX
	JG   sa8
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS 32(SI)(AX*4), Y1
	VADDPS (DI)(AX*4), Y0, Y0
	VADDPS 32(DI)(AX*4), Y1, Y1
	VCMPPS $0x1e, Y15, Y0, Y0
	VCMPPS $0x1e, Y15, Y1, Y1
	VORPS Y0, Y1, Y2
	VPTEST Y2, Y2
	JNZ  sahit16
	MOVQ BX, AX
	JMP  sa16

sahit16:
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  safound
	VMOVMSKPS Y1, BX
	ADDQ $8, AX
	JMP  safound

sa8:
	CMPQ AX, CX
	JGE  sanone
	VMOVUPS (SI)(AX*4), Y0
	VADDPS (DI)(AX*4), Y0, Y0
	VCMPPS $0x1e, Y15, Y0, Y0
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  safound
	ADDQ $8, AX
	JMP  sa8

safound:
	BSFL BX, BX
	ADDQ BX, AX
	MOVQ AX, ret+56(FP)
	VZEROUPPER
	RET

sanone:
	MOVQ $-1, ret+56(FP)
	VZEROUPPER
	RET

// func indexProductAboveAsm(x, y []float32, t float32) int
// Sixteen elements a round: x * y compared with t (greater than,
// ordered: NaN is false); the two masks are merged so one branch covers
// both vectors.
TEXT ·indexProductAboveAsm(SB), NOSPLIT, $0-64
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	VBROADCASTSS t+48(FP), Y15
	ANDQ $-8, CX
	XORQ AX, AX

pa16:
	LEAQ 16(AX), BX
	CMPQ BX, CX
	JG   pa8
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS 32(SI)(AX*4), Y1
	VMULPS (DI)(AX*4), Y0, Y0
	VMULPS 32(DI)(AX*4), Y1, Y1
	VCMPPS $0x1e, Y15, Y0, Y0
	VCMPPS $0x1e, Y15, Y1, Y1
	VORPS Y0, Y1, Y2
	VPTEST Y2, Y2
	JNZ  pahit16
	MOVQ BX, AX
	JMP  pa16

pahit16:
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  pafound
	VMOVMSKPS Y1, BX
	ADDQ $8, AX
	JMP  pafound

pa8:
	CMPQ AX, CX
	JGE  panone
	VMOVUPS (SI)(AX*4), Y0
	VMULPS (DI)(AX*4), Y0, Y0
	VCMPPS $0x1e, Y15, Y0, Y0
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  pafound
	ADDQ $8, AX
	JMP  pa8

pafound:
	BSFL BX, BX
	ADDQ BX, AX
	MOVQ AX, ret+56(FP)
	VZEROUPPER
	RET

panone:
	MOVQ $-1, ret+56(FP)
	VZEROUPPER
	RET
