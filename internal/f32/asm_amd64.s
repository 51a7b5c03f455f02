//go:build amd64 && !purego

#include "textflag.h"

// func dotAsm(x, y []float32) float32
// Four independent accumulators hide the FMA latency; tails of 8, 4 and
// single elements follow (dimension 100 is 12 vectors of 8 and one of 4).
TEXT ·dotAsm(SB), NOSPLIT, $0-52
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ y_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

dot32:
	CMPQ CX, $32
	JL   dot8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  dot32

dot8:
	CMPQ CX, $8
	JL   dot4
	VMOVUPS (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
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
	VMOVUPS (SI), X4
	VFMADD231PS (DI), X4, X0
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $4, CX

dotsum:
	VMOVHLPS X0, X0, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0

dot1:
	TESTQ CX, CX
	JE    dotdone
	VMOVSS (SI), X4
	VFMADD231SS (DI), X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  dot1

dotdone:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET

// func axpyAsm(alpha float32, x, y []float32)
TEXT ·axpyAsm(SB), NOSPLIT, $0-56
	VBROADCASTSS alpha+0(FP), Y0
	MOVQ x_base+8(FP), SI
	MOVQ x_len+16(FP), CX
	MOVQ y_base+32(FP), DI

axpy16:
	CMPQ CX, $16
	JL   axpy8
	VMOVUPS (DI), Y1
	VMOVUPS 32(DI), Y2
	VFMADD231PS (SI), Y0, Y1
	VFMADD231PS 32(SI), Y0, Y2
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  axpy16

axpy8:
	CMPQ CX, $8
	JL   axpy4
	VMOVUPS (DI), Y1
	VFMADD231PS (SI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX

axpy4:
	CMPQ CX, $4
	JL   axpy1
	VMOVUPS (DI), X1
	VFMADD231PS (SI), X0, X1
	VMOVUPS X1, (DI)
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $4, CX

axpy1:
	TESTQ CX, CX
	JE    axpydone
	VMOVSS (DI), X1
	VFMADD231SS (SI), X0, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  axpy1

axpydone:
	VZEROUPPER
	RET

// func axpyPairAsm(a float32, x, u []float32, b float32, z, y []float32)
// u += a*x; y += b*z. Each block of x and z is loaded before u and y are
// stored, so x may alias y and z may alias u.
TEXT ·axpyPairAsm(SB), NOSPLIT, $0-112
	VBROADCASTSS a+0(FP), Y0
	MOVQ x_base+8(FP), SI
	MOVQ x_len+16(FP), CX
	MOVQ u_base+32(FP), DX
	VBROADCASTSS b+56(FP), Y1
	MOVQ z_base+64(FP), R8
	MOVQ y_base+88(FP), DI

pair16:
	CMPQ CX, $16
	JL   pair8
	VMOVUPS (SI), Y2
	VMOVUPS 32(SI), Y3
	VMOVUPS (R8), Y4
	VMOVUPS 32(R8), Y5
	VMOVUPS (DX), Y6
	VMOVUPS 32(DX), Y7
	VMOVUPS (DI), Y8
	VMOVUPS 32(DI), Y9
	VFMADD231PS Y2, Y0, Y6
	VFMADD231PS Y3, Y0, Y7
	VFMADD231PS Y4, Y1, Y8
	VFMADD231PS Y5, Y1, Y9
	VMOVUPS Y6, (DX)
	VMOVUPS Y7, 32(DX)
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, R8
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  pair16

pair8:
	CMPQ CX, $8
	JL   pair4
	VMOVUPS (SI), Y2
	VMOVUPS (R8), Y4
	VMOVUPS (DX), Y6
	VMOVUPS (DI), Y8
	VFMADD231PS Y2, Y0, Y6
	VFMADD231PS Y4, Y1, Y8
	VMOVUPS Y6, (DX)
	VMOVUPS Y8, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, R8
	ADDQ $32, DI
	SUBQ $8, CX

pair4:
	CMPQ CX, $4
	JL   pair1
	VMOVUPS (SI), X2
	VMOVUPS (R8), X4
	VMOVUPS (DX), X6
	VMOVUPS (DI), X8
	VFMADD231PS X2, X0, X6
	VFMADD231PS X4, X1, X8
	VMOVUPS X6, (DX)
	VMOVUPS X8, (DI)
	ADDQ $16, SI
	ADDQ $16, DX
	ADDQ $16, R8
	ADDQ $16, DI
	SUBQ $4, CX

pair1:
	TESTQ CX, CX
	JE    pairdone
	VMOVSS (SI), X2
	VMOVSS (R8), X4
	VMOVSS (DX), X6
	VMOVSS (DI), X8
	VFMADD231SS X2, X0, X6
	VFMADD231SS X4, X1, X8
	VMOVSS X6, (DX)
	VMOVSS X8, (DI)
	ADDQ $4, SI
	ADDQ $4, DX
	ADDQ $4, R8
	ADDQ $4, DI
	DECQ CX
	JMP  pair1

pairdone:
	VZEROUPPER
	RET

// func prefetchAsm(x []float32)
// Asks the processor to bring every cache line of x into L1 without
// waiting for it.
TEXT ·prefetchAsm(SB), NOSPLIT, $0-24
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHLQ $2, CX
	ADDQ SI, CX

pfloop:
	CMPQ SI, CX
	JAE  pfdone
	PREFETCHT0 (SI)
	ADDQ $64, SI
	JMP  pfloop

pfdone:
	RET
