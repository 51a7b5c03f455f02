//go:build amd64 && !purego

#include "textflag.h"

// Each constant is repeated eight times so that it can be a 256-bit memory
// operand.
DATA expLo<>+0(SB)/4, $0xc2aeac4f
DATA expLo<>+4(SB)/4, $0xc2aeac4f
DATA expLo<>+8(SB)/4, $0xc2aeac4f
DATA expLo<>+12(SB)/4, $0xc2aeac4f
DATA expLo<>+16(SB)/4, $0xc2aeac4f
DATA expLo<>+20(SB)/4, $0xc2aeac4f
DATA expLo<>+24(SB)/4, $0xc2aeac4f
DATA expLo<>+28(SB)/4, $0xc2aeac4f
GLOBL expLo<>(SB), RODATA|NOPTR, $32
DATA expHi<>+0(SB)/4, $0x42b17217
DATA expHi<>+4(SB)/4, $0x42b17217
DATA expHi<>+8(SB)/4, $0x42b17217
DATA expHi<>+12(SB)/4, $0x42b17217
DATA expHi<>+16(SB)/4, $0x42b17217
DATA expHi<>+20(SB)/4, $0x42b17217
DATA expHi<>+24(SB)/4, $0x42b17217
DATA expHi<>+28(SB)/4, $0x42b17217
GLOBL expHi<>(SB), RODATA|NOPTR, $32
DATA expLog2e<>+0(SB)/4, $0x3fb8aa3b
DATA expLog2e<>+4(SB)/4, $0x3fb8aa3b
DATA expLog2e<>+8(SB)/4, $0x3fb8aa3b
DATA expLog2e<>+12(SB)/4, $0x3fb8aa3b
DATA expLog2e<>+16(SB)/4, $0x3fb8aa3b
DATA expLog2e<>+20(SB)/4, $0x3fb8aa3b
DATA expLog2e<>+24(SB)/4, $0x3fb8aa3b
DATA expLog2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL expLog2e<>(SB), RODATA|NOPTR, $32
DATA expLn2Hi<>+0(SB)/4, $0x3f318000
DATA expLn2Hi<>+4(SB)/4, $0x3f318000
DATA expLn2Hi<>+8(SB)/4, $0x3f318000
DATA expLn2Hi<>+12(SB)/4, $0x3f318000
DATA expLn2Hi<>+16(SB)/4, $0x3f318000
DATA expLn2Hi<>+20(SB)/4, $0x3f318000
DATA expLn2Hi<>+24(SB)/4, $0x3f318000
DATA expLn2Hi<>+28(SB)/4, $0x3f318000
GLOBL expLn2Hi<>(SB), RODATA|NOPTR, $32
DATA expLn2Lo<>+0(SB)/4, $0xb95e8083
DATA expLn2Lo<>+4(SB)/4, $0xb95e8083
DATA expLn2Lo<>+8(SB)/4, $0xb95e8083
DATA expLn2Lo<>+12(SB)/4, $0xb95e8083
DATA expLn2Lo<>+16(SB)/4, $0xb95e8083
DATA expLn2Lo<>+20(SB)/4, $0xb95e8083
DATA expLn2Lo<>+24(SB)/4, $0xb95e8083
DATA expLn2Lo<>+28(SB)/4, $0xb95e8083
GLOBL expLn2Lo<>(SB), RODATA|NOPTR, $32
DATA expOne<>+0(SB)/4, $0x3f800000
DATA expOne<>+4(SB)/4, $0x3f800000
DATA expOne<>+8(SB)/4, $0x3f800000
DATA expOne<>+12(SB)/4, $0x3f800000
DATA expOne<>+16(SB)/4, $0x3f800000
DATA expOne<>+20(SB)/4, $0x3f800000
DATA expOne<>+24(SB)/4, $0x3f800000
DATA expOne<>+28(SB)/4, $0x3f800000
GLOBL expOne<>(SB), RODATA|NOPTR, $32
DATA expHalf<>+0(SB)/4, $0x3f000000
DATA expHalf<>+4(SB)/4, $0x3f000000
DATA expHalf<>+8(SB)/4, $0x3f000000
DATA expHalf<>+12(SB)/4, $0x3f000000
DATA expHalf<>+16(SB)/4, $0x3f000000
DATA expHalf<>+20(SB)/4, $0x3f000000
DATA expHalf<>+24(SB)/4, $0x3f000000
DATA expHalf<>+28(SB)/4, $0x3f000000
GLOBL expHalf<>(SB), RODATA|NOPTR, $32
DATA expC6<>+0(SB)/4, $0x3e2aaaab
DATA expC6<>+4(SB)/4, $0x3e2aaaab
DATA expC6<>+8(SB)/4, $0x3e2aaaab
DATA expC6<>+12(SB)/4, $0x3e2aaaab
DATA expC6<>+16(SB)/4, $0x3e2aaaab
DATA expC6<>+20(SB)/4, $0x3e2aaaab
DATA expC6<>+24(SB)/4, $0x3e2aaaab
DATA expC6<>+28(SB)/4, $0x3e2aaaab
GLOBL expC6<>(SB), RODATA|NOPTR, $32
DATA expC24<>+0(SB)/4, $0x3d2aaaab
DATA expC24<>+4(SB)/4, $0x3d2aaaab
DATA expC24<>+8(SB)/4, $0x3d2aaaab
DATA expC24<>+12(SB)/4, $0x3d2aaaab
DATA expC24<>+16(SB)/4, $0x3d2aaaab
DATA expC24<>+20(SB)/4, $0x3d2aaaab
DATA expC24<>+24(SB)/4, $0x3d2aaaab
DATA expC24<>+28(SB)/4, $0x3d2aaaab
GLOBL expC24<>(SB), RODATA|NOPTR, $32
DATA expC120<>+0(SB)/4, $0x3c088889
DATA expC120<>+4(SB)/4, $0x3c088889
DATA expC120<>+8(SB)/4, $0x3c088889
DATA expC120<>+12(SB)/4, $0x3c088889
DATA expC120<>+16(SB)/4, $0x3c088889
DATA expC120<>+20(SB)/4, $0x3c088889
DATA expC120<>+24(SB)/4, $0x3c088889
DATA expC120<>+28(SB)/4, $0x3c088889
GLOBL expC120<>(SB), RODATA|NOPTR, $32
DATA expC720<>+0(SB)/4, $0x3ab60b61
DATA expC720<>+4(SB)/4, $0x3ab60b61
DATA expC720<>+8(SB)/4, $0x3ab60b61
DATA expC720<>+12(SB)/4, $0x3ab60b61
DATA expC720<>+16(SB)/4, $0x3ab60b61
DATA expC720<>+20(SB)/4, $0x3ab60b61
DATA expC720<>+24(SB)/4, $0x3ab60b61
DATA expC720<>+28(SB)/4, $0x3ab60b61
GLOBL expC720<>(SB), RODATA|NOPTR, $32
DATA expBias<>+0(SB)/4, $127
DATA expBias<>+4(SB)/4, $127
DATA expBias<>+8(SB)/4, $127
DATA expBias<>+12(SB)/4, $127
DATA expBias<>+16(SB)/4, $127
DATA expBias<>+20(SB)/4, $127
DATA expBias<>+24(SB)/4, $127
DATA expBias<>+28(SB)/4, $127
GLOBL expBias<>(SB), RODATA|NOPTR, $32

// func expShiftSumAVX2(x []float32, shift float32) float32
//
// For the first len(x)&^7 elements: x[i] = exp(x[i]-shift), eight at a time,
// with the same range reduction and polynomial as Exp; returns their sum.
TEXT ·expShiftSumAVX2(SB), NOSPLIT, $0-36
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSS shift+24(FP), Y15
	VMOVUPS      expLo<>(SB), Y13
	VMOVUPS      expHi<>(SB), Y8
	VMOVUPS      expLog2e<>(SB), Y12
	VMOVUPS      expLn2Hi<>(SB), Y11
	VMOVUPS      expLn2Lo<>(SB), Y10
	VMOVUPS      expOne<>(SB), Y9
	VXORPS       Y14, Y14, Y14
	SHRQ         $3, CX
	JZ           done

loop:
	VMOVUPS      (SI), Y0
	VSUBPS       Y15, Y0, Y0       // x - shift
	VCMPPS       $0x1d, Y13, Y0, Y4 // keep mask: x >= lo (false for NaN)
	VMAXPS       Y13, Y0, Y0
	VMINPS       Y8, Y0, Y0
	VMULPS       Y12, Y0, Y1
	VROUNDPS     $0, Y1, Y1        // n = round(x·log2 e)
	VFNMADD231PS Y11, Y1, Y0       // r = x - n·ln2hi
	VFNMADD231PS Y10, Y1, Y0       // r -= n·ln2lo
	VMOVUPS      expC720<>(SB), Y2
	VFMADD213PS  expC120<>(SB), Y0, Y2
	VFMADD213PS  expC24<>(SB), Y0, Y2
	VFMADD213PS  expC6<>(SB), Y0, Y2
	VFMADD213PS  expHalf<>(SB), Y0, Y2
	VFMADD213PS  Y9, Y0, Y2
	VFMADD213PS  Y9, Y0, Y2        // p ≈ e**r
	VCVTPS2DQ    Y1, Y3
	VPADDD       expBias<>(SB), Y3, Y3
	VPSLLD       $23, Y3, Y3       // 2**n as float bits
	VMULPS       Y3, Y2, Y2
	VANDPS       Y4, Y2, Y2
	VMOVUPS      Y2, (SI)
	VADDPS       Y2, Y14, Y14
	ADDQ         $32, SI
	DECQ         CX
	JNZ          loop

done:
	VEXTRACTF128 $1, Y14, X0
	VADDPS       X14, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	VZEROUPPER
	MOVSS        X0, ret+32(FP)
	RET
