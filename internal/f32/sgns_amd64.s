//go:build amd64 && !purego

#include "textflag.h"

// func sgnsAsm(x, out []float32, rows []int32, g []float32, dst []float32, alpha float32, tab *float32, zero bool, npos int) float32
//
// One negative-sampling step of input vector x against k output rows
// (rows of out, the first npos positive examples), in three
// passes that each stream the vectors once:
//   1. the k dot products, three rows at a time, into g;
//   2. for each row, σ and log σ from the table, the loss, and the
//      gradient g[j] = (label − σ)·alpha;
//   3. block by block of x: dst += Σ g[j]·y[j] (dst zeroed first if zero
//      is set) and y[j] += g[j]·x, with x's block read before dst's is
//      written, so dst may be x.
// Registers: SI x, BX d, R8 out, R9 rows, R10 k, R11 j, R12 g, DI dst;
// a row's address is out + rows[j]·d·4.
TEXT ·sgnsAsm(SB), NOSPLIT, $0-156
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), BX
	MOVQ out_base+24(FP), R8
	MOVQ rows_base+48(FP), R9
	MOVQ rows_len+56(FP), R10
	MOVQ g_base+72(FP), R12
	MOVQ dst_base+96(FP), DI

	// Pass 1: dot products. R13, R14, DX point at three rows; a group
	// short of three repeats its first row and stores only real results.
	XORQ R11, R11

p1group:
	CMPQ R11, R10
	JGE  p2
	MOVLQSX (R9)(R11*4), R13
	IMULQ BX, R13
	LEAQ (R8)(R13*4), R13
	MOVQ R13, R14
	MOVQ R13, DX
	LEAQ 1(R11), AX
	CMPQ AX, R10
	JGE  p1ready
	MOVLQSX 4(R9)(R11*4), R14
	IMULQ BX, R14
	LEAQ (R8)(R14*4), R14
	LEAQ 2(R11), AX
	CMPQ AX, R10
	JGE  p1ready
	MOVLQSX 8(R9)(R11*4), DX
	IMULQ BX, DX
	LEAQ (R8)(DX*4), DX

p1ready:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	XORQ CX, CX
	MOVQ BX, AX

p1loop8:
	CMPQ AX, $8
	JL   p1red
	VMOVUPS (SI)(CX*1), Y3
	VFMADD231PS (R13)(CX*1), Y3, Y0
	VFMADD231PS (R14)(CX*1), Y3, Y1
	VFMADD231PS (DX)(CX*1), Y3, Y2
	ADDQ $32, CX
	SUBQ $8, AX
	JMP  p1loop8

p1red:
	VEXTRACTF128 $1, Y0, X4
	VADDPS X4, X0, X0
	VEXTRACTF128 $1, Y1, X4
	VADDPS X4, X1, X1
	VEXTRACTF128 $1, Y2, X4
	VADDPS X4, X2, X2
	CMPQ AX, $4
	JL   p1hsum
	VMOVUPS (SI)(CX*1), X3
	VFMADD231PS (R13)(CX*1), X3, X0
	VFMADD231PS (R14)(CX*1), X3, X1
	VFMADD231PS (DX)(CX*1), X3, X2
	ADDQ $16, CX
	SUBQ $4, AX

p1hsum:
	VMOVHLPS X0, X0, X4
	VADDPS X4, X0, X0
	VMOVSHDUP X0, X4
	VADDSS X4, X0, X0
	VMOVHLPS X1, X1, X4
	VADDPS X4, X1, X1
	VMOVSHDUP X1, X4
	VADDSS X4, X1, X1
	VMOVHLPS X2, X2, X4
	VADDPS X4, X2, X2
	VMOVSHDUP X2, X4
	VADDSS X4, X2, X2

p1one:
	TESTQ AX, AX
	JE    p1store
	VMOVSS (SI)(CX*1), X3
	VFMADD231SS (R13)(CX*1), X3, X0
	VFMADD231SS (R14)(CX*1), X3, X1
	VFMADD231SS (DX)(CX*1), X3, X2
	ADDQ $4, CX
	DECQ AX
	JMP  p1one

p1store:
	VMOVSS X0, (R12)(R11*4)
	INCQ R11
	CMPQ R11, R10
	JGE  p2
	VMOVSS X1, (R12)(R11*4)
	INCQ R11
	CMPQ R11, R10
	JGE  p2
	VMOVSS X2, (R12)(R11*4)
	INCQ R11
	JMP  p1group

	// Pass 2: g[j] = (label − σ(f))·alpha and the loss in X10;
	// X11 is the label (1 for the first npos rows, in R14), X12 alpha,
	// R13 the table of (σ, log σ) pairs on [-6, 6].
p2:
	MOVQ tab+128(FP), R13
	MOVQ npos+144(FP), R14
	VMOVSS alpha+120(FP), X12
	VXORPS X10, X10, X10
	MOVL $0x3f800000, AX
	VMOVD AX, X11
	XORQ R11, R11
	TESTQ R14, R14
	JNE  p2loop
	VXORPS X11, X11, X11

p2loop:
	CMPQ R11, R10
	JGE  p3
	VMOVSS (R12)(R11*4), X0
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
	VMOVSS (R13)(AX*8), X1
	VMOVSS 4(R13)(AX*8), X2
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
	// loss += (1−label)·f − log σ; g = (label − σ)·alpha
	MOVL $0x3f800000, AX
	VMOVD AX, X3
	VSUBSS X11, X3, X3
	VMULSS X0, X3, X3
	VSUBSS X2, X3, X3
	VADDSS X3, X10, X10
	VSUBSS X1, X11, X1
	VMULSS X12, X1, X1
	VMOVSS X1, (R12)(R11*4)
	INCQ R11
	CMPQ R11, R14
	JL   p2loop
	VXORPS X11, X11, X11
	JMP  p2loop

	// Pass 3: Y0 the block of x, Y1 the block of dst, Y2 g[j], Y3 y[j].
p3:
	MOVBLZX zero+136(FP), R13
	XORQ CX, CX
	MOVQ BX, AX

p3loop8:
	CMPQ AX, $8
	JL   p3tail4
	VMOVUPS (SI)(CX*1), Y0
	VXORPS Y1, Y1, Y1
	TESTQ R13, R13
	JNE  p3rows8start
	VMOVUPS (DI)(CX*1), Y1

p3rows8start:
	XORQ R11, R11

p3rows8:
	CMPQ R11, R10
	JGE  p3store8
	VBROADCASTSS (R12)(R11*4), Y2
	MOVLQSX (R9)(R11*4), R14
	IMULQ BX, R14
	LEAQ (R8)(R14*4), R14
	VMOVUPS (R14)(CX*1), Y3
	VFMADD231PS Y3, Y2, Y1
	VFMADD231PS Y0, Y2, Y3
	VMOVUPS Y3, (R14)(CX*1)
	INCQ R11
	JMP  p3rows8

p3store8:
	VMOVUPS Y1, (DI)(CX*1)
	ADDQ $32, CX
	SUBQ $8, AX
	JMP  p3loop8

p3tail4:
	CMPQ AX, $4
	JL   p3one
	VMOVUPS (SI)(CX*1), X0
	VXORPS X1, X1, X1
	TESTQ R13, R13
	JNE  p3rows4start
	VMOVUPS (DI)(CX*1), X1

p3rows4start:
	XORQ R11, R11

p3rows4:
	CMPQ R11, R10
	JGE  p3store4
	VBROADCASTSS (R12)(R11*4), X2
	MOVLQSX (R9)(R11*4), R14
	IMULQ BX, R14
	LEAQ (R8)(R14*4), R14
	VMOVUPS (R14)(CX*1), X3
	VFMADD231PS X3, X2, X1
	VFMADD231PS X0, X2, X3
	VMOVUPS X3, (R14)(CX*1)
	INCQ R11
	JMP  p3rows4

p3store4:
	VMOVUPS X1, (DI)(CX*1)
	ADDQ $16, CX
	SUBQ $4, AX

p3one:
	TESTQ AX, AX
	JE    done
	VMOVSS (SI)(CX*1), X0
	VXORPS X1, X1, X1
	TESTQ R13, R13
	JNE  p3rows1start
	VMOVSS (DI)(CX*1), X1

p3rows1start:
	XORQ R11, R11

p3rows1:
	CMPQ R11, R10
	JGE  p3store1
	VMOVSS (R12)(R11*4), X2
	MOVLQSX (R9)(R11*4), R14
	IMULQ BX, R14
	LEAQ (R8)(R14*4), R14
	VMOVSS (R14)(CX*1), X3
	VFMADD231SS X3, X2, X1
	VFMADD231SS X0, X2, X3
	VMOVSS X3, (R14)(CX*1)
	INCQ R11
	JMP  p3rows1

p3store1:
	VMOVSS X1, (DI)(CX*1)
	ADDQ $4, CX
	DECQ AX
	JMP  p3one

done:
	VZEROUPPER
	VMOVSS X10, ret+152(FP)
	RET
