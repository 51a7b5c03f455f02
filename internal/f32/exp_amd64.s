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
DATA geluClampHi<>+0(SB)/4, $0x40800000
DATA geluClampHi<>+4(SB)/4, $0x40800000
DATA geluClampHi<>+8(SB)/4, $0x40800000
DATA geluClampHi<>+12(SB)/4, $0x40800000
DATA geluClampHi<>+16(SB)/4, $0x40800000
DATA geluClampHi<>+20(SB)/4, $0x40800000
DATA geluClampHi<>+24(SB)/4, $0x40800000
DATA geluClampHi<>+28(SB)/4, $0x40800000
GLOBL geluClampHi<>(SB), RODATA|NOPTR, $32
DATA geluClampLo<>+0(SB)/4, $0xc0800000
DATA geluClampLo<>+4(SB)/4, $0xc0800000
DATA geluClampLo<>+8(SB)/4, $0xc0800000
DATA geluClampLo<>+12(SB)/4, $0xc0800000
DATA geluClampLo<>+16(SB)/4, $0xc0800000
DATA geluClampLo<>+20(SB)/4, $0xc0800000
DATA geluClampLo<>+24(SB)/4, $0xc0800000
DATA geluClampLo<>+28(SB)/4, $0xc0800000
GLOBL geluClampLo<>(SB), RODATA|NOPTR, $32
DATA geluInvSqrt2<>+0(SB)/4, $0x3f3504f3
DATA geluInvSqrt2<>+4(SB)/4, $0x3f3504f3
DATA geluInvSqrt2<>+8(SB)/4, $0x3f3504f3
DATA geluInvSqrt2<>+12(SB)/4, $0x3f3504f3
DATA geluInvSqrt2<>+16(SB)/4, $0x3f3504f3
DATA geluInvSqrt2<>+20(SB)/4, $0x3f3504f3
DATA geluInvSqrt2<>+24(SB)/4, $0x3f3504f3
DATA geluInvSqrt2<>+28(SB)/4, $0x3f3504f3
GLOBL geluInvSqrt2<>(SB), RODATA|NOPTR, $32
DATA geluHalf<>+0(SB)/4, $0x3f000000
DATA geluHalf<>+4(SB)/4, $0x3f000000
DATA geluHalf<>+8(SB)/4, $0x3f000000
DATA geluHalf<>+12(SB)/4, $0x3f000000
DATA geluHalf<>+16(SB)/4, $0x3f000000
DATA geluHalf<>+20(SB)/4, $0x3f000000
DATA geluHalf<>+24(SB)/4, $0x3f000000
DATA geluHalf<>+28(SB)/4, $0x3f000000
GLOBL geluHalf<>(SB), RODATA|NOPTR, $32
DATA geluOne<>+0(SB)/4, $0x3f800000
DATA geluOne<>+4(SB)/4, $0x3f800000
DATA geluOne<>+8(SB)/4, $0x3f800000
DATA geluOne<>+12(SB)/4, $0x3f800000
DATA geluOne<>+16(SB)/4, $0x3f800000
DATA geluOne<>+20(SB)/4, $0x3f800000
DATA geluOne<>+24(SB)/4, $0x3f800000
DATA geluOne<>+28(SB)/4, $0x3f800000
GLOBL geluOne<>(SB), RODATA|NOPTR, $32
DATA geluInvSqrt2Pi<>+0(SB)/4, $0x3ecc422a
DATA geluInvSqrt2Pi<>+4(SB)/4, $0x3ecc422a
DATA geluInvSqrt2Pi<>+8(SB)/4, $0x3ecc422a
DATA geluInvSqrt2Pi<>+12(SB)/4, $0x3ecc422a
DATA geluInvSqrt2Pi<>+16(SB)/4, $0x3ecc422a
DATA geluInvSqrt2Pi<>+20(SB)/4, $0x3ecc422a
DATA geluInvSqrt2Pi<>+24(SB)/4, $0x3ecc422a
DATA geluInvSqrt2Pi<>+28(SB)/4, $0x3ecc422a
GLOBL geluInvSqrt2Pi<>(SB), RODATA|NOPTR, $32
DATA geluMinusHalf<>+0(SB)/4, $0xbf000000
DATA geluMinusHalf<>+4(SB)/4, $0xbf000000
DATA geluMinusHalf<>+8(SB)/4, $0xbf000000
DATA geluMinusHalf<>+12(SB)/4, $0xbf000000
DATA geluMinusHalf<>+16(SB)/4, $0xbf000000
DATA geluMinusHalf<>+20(SB)/4, $0xbf000000
DATA geluMinusHalf<>+24(SB)/4, $0xbf000000
DATA geluMinusHalf<>+28(SB)/4, $0xbf000000
GLOBL geluMinusHalf<>(SB), RODATA|NOPTR, $32
DATA erfP13<>+0(SB)/4, $0xaf95df0b
DATA erfP13<>+4(SB)/4, $0xaf95df0b
DATA erfP13<>+8(SB)/4, $0xaf95df0b
DATA erfP13<>+12(SB)/4, $0xaf95df0b
DATA erfP13<>+16(SB)/4, $0xaf95df0b
DATA erfP13<>+20(SB)/4, $0xaf95df0b
DATA erfP13<>+24(SB)/4, $0xaf95df0b
DATA erfP13<>+28(SB)/4, $0xaf95df0b
GLOBL erfP13<>(SB), RODATA|NOPTR, $32
DATA erfP11<>+0(SB)/4, $0x32edffee
DATA erfP11<>+4(SB)/4, $0x32edffee
DATA erfP11<>+8(SB)/4, $0x32edffee
DATA erfP11<>+12(SB)/4, $0x32edffee
DATA erfP11<>+16(SB)/4, $0x32edffee
DATA erfP11<>+20(SB)/4, $0x32edffee
DATA erfP11<>+24(SB)/4, $0x32edffee
DATA erfP11<>+28(SB)/4, $0x32edffee
GLOBL erfP11<>(SB), RODATA|NOPTR, $32
DATA erfP9<>+0(SB)/4, $0xb60cff51
DATA erfP9<>+4(SB)/4, $0xb60cff51
DATA erfP9<>+8(SB)/4, $0xb60cff51
DATA erfP9<>+12(SB)/4, $0xb60cff51
DATA erfP9<>+16(SB)/4, $0xb60cff51
DATA erfP9<>+20(SB)/4, $0xb60cff51
DATA erfP9<>+24(SB)/4, $0xb60cff51
DATA erfP9<>+28(SB)/4, $0xb60cff51
GLOBL erfP9<>(SB), RODATA|NOPTR, $32
DATA erfP7<>+0(SB)/4, $0xb86ec2d2
DATA erfP7<>+4(SB)/4, $0xb86ec2d2
DATA erfP7<>+8(SB)/4, $0xb86ec2d2
DATA erfP7<>+12(SB)/4, $0xb86ec2d2
DATA erfP7<>+16(SB)/4, $0xb86ec2d2
DATA erfP7<>+20(SB)/4, $0xb86ec2d2
DATA erfP7<>+24(SB)/4, $0xb86ec2d2
DATA erfP7<>+28(SB)/4, $0xb86ec2d2
GLOBL erfP7<>(SB), RODATA|NOPTR, $32
DATA erfP5<>+0(SB)/4, $0xba40ac63
DATA erfP5<>+4(SB)/4, $0xba40ac63
DATA erfP5<>+8(SB)/4, $0xba40ac63
DATA erfP5<>+12(SB)/4, $0xba40ac63
DATA erfP5<>+16(SB)/4, $0xba40ac63
DATA erfP5<>+20(SB)/4, $0xba40ac63
DATA erfP5<>+24(SB)/4, $0xba40ac63
DATA erfP5<>+28(SB)/4, $0xba40ac63
GLOBL erfP5<>(SB), RODATA|NOPTR, $32
DATA erfP3<>+0(SB)/4, $0xbb41a1f6
DATA erfP3<>+4(SB)/4, $0xbb41a1f6
DATA erfP3<>+8(SB)/4, $0xbb41a1f6
DATA erfP3<>+12(SB)/4, $0xbb41a1f6
DATA erfP3<>+16(SB)/4, $0xbb41a1f6
DATA erfP3<>+20(SB)/4, $0xbb41a1f6
DATA erfP3<>+24(SB)/4, $0xbb41a1f6
DATA erfP3<>+28(SB)/4, $0xbb41a1f6
GLOBL erfP3<>(SB), RODATA|NOPTR, $32
DATA erfP1<>+0(SB)/4, $0xbc83dbd4
DATA erfP1<>+4(SB)/4, $0xbc83dbd4
DATA erfP1<>+8(SB)/4, $0xbc83dbd4
DATA erfP1<>+12(SB)/4, $0xbc83dbd4
DATA erfP1<>+16(SB)/4, $0xbc83dbd4
DATA erfP1<>+20(SB)/4, $0xbc83dbd4
DATA erfP1<>+24(SB)/4, $0xbc83dbd4
DATA erfP1<>+28(SB)/4, $0xbc83dbd4
GLOBL erfP1<>(SB), RODATA|NOPTR, $32
DATA erfQ8<>+0(SB)/4, $0xb77460cd
DATA erfQ8<>+4(SB)/4, $0xb77460cd
DATA erfQ8<>+8(SB)/4, $0xb77460cd
DATA erfQ8<>+12(SB)/4, $0xb77460cd
DATA erfQ8<>+16(SB)/4, $0xb77460cd
DATA erfQ8<>+20(SB)/4, $0xb77460cd
DATA erfQ8<>+24(SB)/4, $0xb77460cd
DATA erfQ8<>+28(SB)/4, $0xb77460cd
GLOBL erfQ8<>(SB), RODATA|NOPTR, $32
DATA erfQ6<>+0(SB)/4, $0xb95fbd29
DATA erfQ6<>+4(SB)/4, $0xb95fbd29
DATA erfQ6<>+8(SB)/4, $0xb95fbd29
DATA erfQ6<>+12(SB)/4, $0xb95fbd29
DATA erfQ6<>+16(SB)/4, $0xb95fbd29
DATA erfQ6<>+20(SB)/4, $0xb95fbd29
DATA erfQ6<>+24(SB)/4, $0xb95fbd29
DATA erfQ6<>+28(SB)/4, $0xb95fbd29
GLOBL erfQ6<>(SB), RODATA|NOPTR, $32
DATA erfQ4<>+0(SB)/4, $0xbadc924e
DATA erfQ4<>+4(SB)/4, $0xbadc924e
DATA erfQ4<>+8(SB)/4, $0xbadc924e
DATA erfQ4<>+12(SB)/4, $0xbadc924e
DATA erfQ4<>+16(SB)/4, $0xbadc924e
DATA erfQ4<>+20(SB)/4, $0xbadc924e
DATA erfQ4<>+24(SB)/4, $0xbadc924e
DATA erfQ4<>+28(SB)/4, $0xbadc924e
GLOBL erfQ4<>(SB), RODATA|NOPTR, $32
DATA erfQ2<>+0(SB)/4, $0xbbf19bf8
DATA erfQ2<>+4(SB)/4, $0xbbf19bf8
DATA erfQ2<>+8(SB)/4, $0xbbf19bf8
DATA erfQ2<>+12(SB)/4, $0xbbf19bf8
DATA erfQ2<>+16(SB)/4, $0xbbf19bf8
DATA erfQ2<>+20(SB)/4, $0xbbf19bf8
DATA erfQ2<>+24(SB)/4, $0xbbf19bf8
DATA erfQ2<>+28(SB)/4, $0xbbf19bf8
GLOBL erfQ2<>(SB), RODATA|NOPTR, $32
DATA erfQ0<>+0(SB)/4, $0xbc69b6a7
DATA erfQ0<>+4(SB)/4, $0xbc69b6a7
DATA erfQ0<>+8(SB)/4, $0xbc69b6a7
DATA erfQ0<>+12(SB)/4, $0xbc69b6a7
DATA erfQ0<>+16(SB)/4, $0xbc69b6a7
DATA erfQ0<>+20(SB)/4, $0xbc69b6a7
DATA erfQ0<>+24(SB)/4, $0xbc69b6a7
DATA erfQ0<>+28(SB)/4, $0xbc69b6a7
GLOBL erfQ0<>(SB), RODATA|NOPTR, $32

// ERF8 computes Y2 = erf(Y0) (Y0 is left clamped to [-4, 4]); clobbers Y1, Y3.
// The same rational approximation as the scalar erf in the transformer package.
#define ERF8 \
	VMINPS       geluClampHi<>(SB), Y0, Y0; \
	VMAXPS       geluClampLo<>(SB), Y0, Y0; \
	VMULPS       Y0, Y0, Y1; \
	VMOVUPS      erfP13<>(SB), Y2; \
	VFMADD213PS  erfP11<>(SB), Y1, Y2; \
	VFMADD213PS  erfP9<>(SB), Y1, Y2; \
	VFMADD213PS  erfP7<>(SB), Y1, Y2; \
	VFMADD213PS  erfP5<>(SB), Y1, Y2; \
	VFMADD213PS  erfP3<>(SB), Y1, Y2; \
	VFMADD213PS  erfP1<>(SB), Y1, Y2; \
	VMULPS       Y0, Y2, Y2; \
	VMOVUPS      erfQ8<>(SB), Y3; \
	VFMADD213PS  erfQ6<>(SB), Y1, Y3; \
	VFMADD213PS  erfQ4<>(SB), Y1, Y3; \
	VFMADD213PS  erfQ2<>(SB), Y1, Y3; \
	VFMADD213PS  erfQ0<>(SB), Y1, Y3; \
	VDIVPS       Y3, Y2, Y2

// func geluAVX2(dst, src []float32)
// dst[i] = 0.5·x·(1+erf(x/√2)) for the first len(src)&^7 elements.
TEXT ·geluAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	SHRQ $3, CX
	JZ   gdone

gloop:
	VMOVUPS (SI), Y4
	VMULPS  geluInvSqrt2<>(SB), Y4, Y0
	ERF8
	VADDPS  geluOne<>(SB), Y2, Y2
	VMULPS  geluHalf<>(SB), Y4, Y4
	VMULPS  Y4, Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     gloop

gdone:
	VZEROUPPER
	RET

// func geluBackwardAVX2(dy, x []float32)
// dy[i] *= 0.5·(1+erf(x/√2)) + x·φ(x) for the first len(dy)&^7 elements,
// φ(x) = exp(-x²/2)/√(2π) computed as in expShiftSumAVX2.
TEXT ·geluBackwardAVX2(SB), NOSPLIT, $0-48
	MOVQ dy_base+0(FP), DI
	MOVQ dy_len+8(FP), CX
	MOVQ x_base+24(FP), SI
	SHRQ $3, CX
	JZ   bdone

bloop:
	VMOVUPS (SI), Y4
	VMULPS  geluInvSqrt2<>(SB), Y4, Y0
	ERF8
	VADDPS  geluOne<>(SB), Y2, Y2
	VMULPS  geluHalf<>(SB), Y2, Y5 // cdf

	// exp(-x²/2): x²/2 ≤ 87.3 keeps it normal; below, the mask zeroes it.
	VMULPS       Y4, Y4, Y0
	VMULPS       geluMinusHalf<>(SB), Y0, Y0
	VMOVUPS      expLo<>(SB), Y6
	VCMPPS       $0x1d, Y6, Y0, Y7
	VMAXPS       Y6, Y0, Y0
	VMULPS       expLog2e<>(SB), Y0, Y1
	VROUNDPS     $0, Y1, Y1
	VFNMADD231PS expLn2Hi<>(SB), Y1, Y0
	VFNMADD231PS expLn2Lo<>(SB), Y1, Y0
	VMOVUPS      expC720<>(SB), Y2
	VFMADD213PS  expC120<>(SB), Y0, Y2
	VFMADD213PS  expC24<>(SB), Y0, Y2
	VFMADD213PS  expC6<>(SB), Y0, Y2
	VFMADD213PS  expHalf<>(SB), Y0, Y2
	VFMADD213PS  expOne<>(SB), Y0, Y2
	VFMADD213PS  expOne<>(SB), Y0, Y2
	VCVTPS2DQ    Y1, Y3
	VPADDD       expBias<>(SB), Y3, Y3
	VPSLLD       $23, Y3, Y3
	VMULPS       Y3, Y2, Y2
	VANDPS       Y7, Y2, Y2

	VMULPS      geluInvSqrt2Pi<>(SB), Y2, Y2 // φ(x)
	VFMADD213PS Y5, Y4, Y2                   // cdf + x·φ(x)
	VMULPS      (DI), Y2, Y2
	VMOVUPS     Y2, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         bloop

bdone:
	VZEROUPPER
	RET
