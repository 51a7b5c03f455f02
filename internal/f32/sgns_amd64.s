//go:build amd64 && !purego

#include "textflag.h"

// func sgnsAsm(x, out []float32, rows []int32, alpha float32, neu []float32, tab *float32) float32
//
// One skip-gram negative-sampling update of input row x against the
// output rows out[rows[j]*d:], the first a positive example, the others
// noise; see SGNSStep. Registers:
//   SI x, BX d, R8 out, R9 rows, R10 len(rows), R11 j, DX neu, R12 table,
//   DI current output row, AX/R13 walking pointers, CX count,
//   X10 loss, X11 label, X12 alpha, Y15 g.
TEXT ·sgnsAsm(SB), NOSPLIT, $0-116
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), BX
	MOVQ out_base+24(FP), R8
	MOVQ rows_base+48(FP), R9
	MOVQ rows_len+56(FP), R10
	VMOVSS alpha+72(FP), X12
	MOVQ neu_base+80(FP), DX
	MOVQ tab+104(FP), R12
	VXORPS X10, X10, X10
	MOVL $0x3f800000, AX
	VMOVD AX, X11

	// neu = 0
	VXORPS Y0, Y0, Y0
	MOVQ DX, AX
	MOVQ BX, CX

zero8:
	CMPQ CX, $8
	JL   zero1
	VMOVUPS Y0, (AX)
	ADDQ $32, AX
	SUBQ $8, CX
	JMP  zero8

zero1:
	TESTQ CX, CX
	JE    rows
	VMOVSS X0, (AX)
	ADDQ $4, AX
	DECQ CX
	JMP  zero1

rows:
	XORQ R11, R11

rowloop:
	CMPQ R11, R10
	JGE  rowsdone
	MOVLQSX (R9)(R11*4), DI
	IMULQ BX, DI
	LEAQ (R8)(DI*4), DI

	// f = x·y
	MOVQ SI, AX
	MOVQ DI, R13
	MOVQ BX, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

dot32:
	CMPQ CX, $32
	JL   dot8
	VMOVUPS (AX), Y4
	VMOVUPS 32(AX), Y5
	VMOVUPS 64(AX), Y6
	VMOVUPS 96(AX), Y7
	VFMADD231PS (R13), Y4, Y0
	VFMADD231PS 32(R13), Y5, Y1
	VFMADD231PS 64(R13), Y6, Y2
	VFMADD231PS 96(R13), Y7, Y3
	ADDQ $128, AX
	ADDQ $128, R13
	SUBQ $32, CX
	JMP  dot32

dot8:
	CMPQ CX, $8
	JL   dot4
	VMOVUPS (AX), Y4
	VFMADD231PS (R13), Y4, Y0
	ADDQ $32, AX
	ADDQ $32, R13
	SUBQ $8, CX
	JMP  dot8

dot4:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	CMPQ CX, $4
	JL   dotsum
	VMOVUPS (AX), X4
	VFMADD231PS (R13), X4, X0
	ADDQ $16, AX
	ADDQ $16, R13
	SUBQ $4, CX

dotsum:
	VMOVHLPS X0, X0, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0

dot1:
	TESTQ CX, CX
	JE    sigmoid
	VMOVSS (AX), X4
	VFMADD231SS (R13), X4, X0
	ADDQ $4, AX
	ADDQ $4, R13
	DECQ CX
	JMP  dot1

	// s = σ(f) in X1, ls = log σ(f) in X2, from the table of (s, ls)
	// pairs; 0 and f below -6, 1 and 0 above 6.
sigmoid:
	MOVL $0x40c00000, AX // 6
	VMOVD AX, X3
	VUCOMISS X3, X0
	JAE  sathigh
	MOVL $0xc0c00000, AX // -6
	VMOVD AX, X3
	VUCOMISS X3, X0
	JBE  satlow
	MOVL $0x40c00000, AX
	VMOVD AX, X3
	VADDSS X3, X0, X1
	MOVL $0x42a6aaab, AX // 1000/12
	VMOVD AX, X3
	VMULSS X3, X1, X1
	VCVTTSS2SI X1, AX
	VMOVSS (R12)(AX*8), X1
	VMOVSS 4(R12)(AX*8), X2
	JMP  grad

sathigh:
	MOVL $0x3f800000, AX
	VMOVD AX, X1
	VXORPS X2, X2, X2
	JMP  grad

satlow:
	VXORPS X1, X1, X1
	VMOVAPS X0, X2

grad:
	// loss += (1-label)*f - ls; g = (label - s)*alpha
	MOVL $0x3f800000, AX
	VMOVD AX, X3
	VSUBSS X11, X3, X3
	VMULSS X0, X3, X3
	VSUBSS X2, X3, X3
	VADDSS X3, X10, X10
	VSUBSS X1, X11, X1
	VMULSS X12, X1, X1
	VBROADCASTSS X1, Y15

	// neu += g*y; y += g*x
	MOVQ SI, AX
	MOVQ DI, R13
	MOVQ DX, R14
	MOVQ BX, CX

upd16:
	CMPQ CX, $16
	JL   upd8
	VMOVUPS (R13), Y4
	VMOVUPS 32(R13), Y5
	VMOVUPS (R14), Y6
	VMOVUPS 32(R14), Y7
	VFMADD231PS Y4, Y15, Y6
	VFMADD231PS Y5, Y15, Y7
	VFMADD231PS (AX), Y15, Y4
	VFMADD231PS 32(AX), Y15, Y5
	VMOVUPS Y6, (R14)
	VMOVUPS Y7, 32(R14)
	VMOVUPS Y4, (R13)
	VMOVUPS Y5, 32(R13)
	ADDQ $64, AX
	ADDQ $64, R13
	ADDQ $64, R14
	SUBQ $16, CX
	JMP  upd16

upd8:
	CMPQ CX, $8
	JL   upd4
	VMOVUPS (R13), Y4
	VMOVUPS (R14), Y6
	VFMADD231PS Y4, Y15, Y6
	VFMADD231PS (AX), Y15, Y4
	VMOVUPS Y6, (R14)
	VMOVUPS Y4, (R13)
	ADDQ $32, AX
	ADDQ $32, R13
	ADDQ $32, R14
	SUBQ $8, CX

upd4:
	CMPQ CX, $4
	JL   upd1
	VMOVUPS (R13), X4
	VMOVUPS (R14), X6
	VFMADD231PS X4, X15, X6
	VFMADD231PS (AX), X15, X4
	VMOVUPS X6, (R14)
	VMOVUPS X4, (R13)
	ADDQ $16, AX
	ADDQ $16, R13
	ADDQ $16, R14
	SUBQ $4, CX

upd1:
	TESTQ CX, CX
	JE    nextrow
	VMOVSS (R13), X4
	VMOVSS (R14), X6
	VFMADD231SS X4, X15, X6
	VFMADD231SS (AX), X15, X4
	VMOVSS X6, (R14)
	VMOVSS X4, (R13)
	ADDQ $4, AX
	ADDQ $4, R13
	ADDQ $4, R14
	DECQ CX
	JMP  upd1

nextrow:
	VXORPS X11, X11, X11 // label 0 after the first row
	INCQ R11
	JMP  rowloop

rowsdone:
	// x += neu
	MOVQ SI, AX
	MOVQ DX, R14
	MOVQ BX, CX

add8:
	CMPQ CX, $8
	JL   add1
	VMOVUPS (AX), Y4
	VADDPS (R14), Y4, Y4
	VMOVUPS Y4, (AX)
	ADDQ $32, AX
	ADDQ $32, R14
	SUBQ $8, CX
	JMP  add8

add1:
	TESTQ CX, CX
	JE    done
	VMOVSS (AX), X4
	VADDSS (R14), X4, X4
	VMOVSS X4, (AX)
	ADDQ $4, AX
	ADDQ $4, R14
	DECQ CX
	JMP  add1

done:
	VZEROUPPER
	VMOVSS X10, ret+112(FP)
	RET
