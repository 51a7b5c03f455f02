//go:build amd64 && !purego

#include "textflag.h"

// func indexAddSubAboveAsm(x, y, z []float32, t float32) int
// Sixteen elements a round: s = (x + y) - z, compared with t (greater
// than, ordered: NaN is false); the two masks are merged so one branch
// covers both vectors.
TEXT ·indexAddSubAboveAsm(SB), NOSPLIT, $0-88
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	MOVQ z_base+48(FP), DX
	VBROADCASTSS t+72(FP), Y15
	ANDQ $-8, CX
	XORQ AX, AX

as16:
	LEAQ 16(AX), BX
	CMPQ BX, CX
	JG   as8
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS 32(SI)(AX*4), Y1
	VADDPS (DI)(AX*4), Y0, Y0
	VADDPS 32(DI)(AX*4), Y1, Y1
	VSUBPS (DX)(AX*4), Y0, Y0
	VSUBPS 32(DX)(AX*4), Y1, Y1
	VCMPPS $0x1e, Y15, Y0, Y0
	VCMPPS $0x1e, Y15, Y1, Y1
	VORPS Y0, Y1, Y2
	VPTEST Y2, Y2
	JNZ  ashit16
	MOVQ BX, AX
	JMP  as16

ashit16:
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  asfound
	VMOVMSKPS Y1, BX
	ADDQ $8, AX
	JMP  asfound

as8:
	CMPQ AX, CX
	JGE  asnone
	VMOVUPS (SI)(AX*4), Y0
	VADDPS (DI)(AX*4), Y0, Y0
	VSUBPS (DX)(AX*4), Y0, Y0
	VCMPPS $0x1e, Y15, Y0, Y0
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  asfound
	ADDQ $8, AX
	JMP  as8

asfound:
	BSFL BX, BX
	ADDQ BX, AX
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

asnone:
	MOVQ $-1, ret+80(FP)
	VZEROUPPER
	RET

// func indexProductAboveAsm(x, y, z []float32, eps, t float32) int
// x*y >= t*(z+eps), greater-or-equal ordered (NaN is false).
TEXT ·indexProductAboveAsm(SB), NOSPLIT, $0-88
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	MOVQ z_base+48(FP), DX
	VBROADCASTSS eps+72(FP), Y14
	VBROADCASTSS t+76(FP), Y15
	ANDQ $-8, CX
	XORQ AX, AX

pm16:
	LEAQ 16(AX), BX
	CMPQ BX, CX
	JG   pm8
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS 32(SI)(AX*4), Y1
	VMULPS (DI)(AX*4), Y0, Y0
	VMULPS 32(DI)(AX*4), Y1, Y1
	VADDPS (DX)(AX*4), Y14, Y2
	VADDPS 32(DX)(AX*4), Y14, Y3
	VMULPS Y15, Y2, Y2
	VMULPS Y15, Y3, Y3
	VCMPPS $0x1d, Y2, Y0, Y0
	VCMPPS $0x1d, Y3, Y1, Y1
	VORPS Y0, Y1, Y2
	VPTEST Y2, Y2
	JNZ  pmhit16
	MOVQ BX, AX
	JMP  pm16

pmhit16:
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  pmfound
	VMOVMSKPS Y1, BX
	ADDQ $8, AX
	JMP  pmfound

pm8:
	CMPQ AX, CX
	JGE  pmnone
	VMOVUPS (SI)(AX*4), Y0
	VMULPS (DI)(AX*4), Y0, Y0
	VADDPS (DX)(AX*4), Y14, Y2
	VMULPS Y15, Y2, Y2
	VCMPPS $0x1d, Y2, Y0, Y0
	VMOVMSKPS Y0, BX
	TESTL BX, BX
	JNZ  pmfound
	ADDQ $8, AX
	JMP  pm8

pmfound:
	BSFL BX, BX
	ADDQ BX, AX
	MOVQ AX, ret+80(FP)
	VZEROUPPER
	RET

pmnone:
	MOVQ $-1, ret+80(FP)
	VZEROUPPER
	RET
