// SPDX-License-Identifier: GPL-2.0-only
// Real A64 encodings for test_mmio_decode.c, one record per line: the instruction as assembled by
// aarch64-linux-gnu-as, then the decode the test expects. Assembled on the host (no preprocessor);
// the test reads .text as raw bytes (objcopy -O binary) from $UNIT_DATA/mmio_encodings.bin.
//
// Record (little-endian, 8-byte aligned):
//   u32 insn; u8 kind, mode, size, dir, sf, rt, rt2, rn; u32 0; s64 imm; char text[] (NUL); pad to 8
// kind: 0 rejected (-TERN_ENOTSUP), 1 single register, 2 pair.
// imm: the immediate in bytes (scaled); the test derives offset and wb_offset from mode.
// The CONSTRAINED UNPREDICTABLE forms are written as .inst: gas warns about them (the words were
// checked against gas's disassembly when this file was written).

	.equ	OFF, 0		// signed/unsigned/unscaled offset, no writeback
	.equ	PRE, 1		// pre-index: access at Xn + imm, Xn += imm
	.equ	POST, 2		// post-index: access at Xn, Xn += imm
	.equ	REG, 3		// register offset
	.equ	LD, 0		// zero-extending load
	.equ	ST, 1		// store
	.equ	LDS, 2		// sign-extending load
	.equ	W32, 0		// Wt data register
	.equ	X64, 1		// Xt data register
	.equ	ZR, 31		// XZR/WZR as data
	.equ	RSP, 31		// SP as base

.macro rec kind, mode, size, dir, sf, rt, rt2, rn, imm, insn:vararg
	.balign	8
0:	\insn
1:	.if	(1b - 0b) != 4
	.error	"not one instruction: \insn"
	.endif
	.byte	\kind, \mode, \size, \dir, \sf, \rt, \rt2, \rn
	.4byte	0
	.8byte	\imm
	.asciz	"\insn"
.endm

.macro ok mode, size, dir, sf, rt, rn, imm, insn:vararg
	rec	1, \mode, \size, \dir, \sf, \rt, 0, \rn, \imm, \insn
.endm

.macro okp mode, size, dir, sf, rt, rt2, rn, imm, insn:vararg
	rec	2, \mode, \size, \dir, \sf, \rt, \rt2, \rn, \imm, \insn
.endm

.macro bad insn:vararg
	rec	0, 0, 0, 0, 0, 0, 0, 0, 0, \insn
.endm

	.text
//	mode  size dir  sf   rt  rn   imm     instruction
// LDR/STR (immediate, unsigned offset): imm12 scaled, maximum 4095 * size
	ok OFF,  1, LD,  W32,  0,  1,     0,  ldrb w0, [x1]
	ok OFF,  1, LD,  W32,  2,  3,  4095,  ldrb w2, [x3, #4095]
	ok OFF,  1, ST,  W32,  4,  5,     1,  strb w4, [x5, #1]
	ok OFF,  2, LD,  W32,  6,  7,  8190,  ldrh w6, [x7, #8190]
	ok OFF,  2, ST,  W32, ZR, RSP,    2,  strh wzr, [sp, #2]
	ok OFF,  4, LD,  W32,  8,  9, 16380,  ldr w8, [x9, #16380]
	ok OFF,  4, ST,  W32, 10, 11,     4,  str w10, [x11, #4]
	ok OFF,  8, LD,  X64, 12, 13, 32760,  ldr x12, [x13, #32760]
	ok OFF,  8, ST,  X64, ZR, 14,     8,  str xzr, [x14, #8]
	ok OFF,  8, LD,  X64, 30, RSP,    0,  ldr x30, [sp]
	ok OFF,  8, LD,  X64, ZR, 30,    16,  ldr xzr, [x30, #16]
	ok OFF,  1, LDS, W32,  0,  1,  4095,  ldrsb w0, [x1, #4095]
	ok OFF,  1, LDS, X64,  0,  1,     1,  ldrsb x0, [x1, #1]
	ok OFF,  2, LDS, W32,  2,  3,  8190,  ldrsh w2, [x3, #8190]
	ok OFF,  2, LDS, X64,  2,  3,     2,  ldrsh x2, [x3, #2]
	ok OFF,  4, LDS, X64,  4,  5, 16380,  ldrsw x4, [x5, #16380]
	ok OFF,  4, LDS, X64,  4, RSP,    0,  ldrsw x4, [sp]

// LDUR/STUR (unscaled): simm9 -256..255, any alignment
	ok OFF,  1, LD,  W32,  0,  1,  -256,  ldurb w0, [x1, #-256]
	ok OFF,  1, ST,  W32,  0,  1,   255,  sturb w0, [x1, #255]
	ok OFF,  2, LD,  W32,  2,  3,    -1,  ldurh w2, [x3, #-1]
	ok OFF,  2, ST,  W32,  2,  3,     1,  sturh w2, [x3, #1]
	ok OFF,  4, LD,  W32,  4,  5,    -4,  ldur w4, [x5, #-4]
	ok OFF,  4, ST,  W32,  4, RSP,    3,  stur w4, [sp, #3]
	ok OFF,  8, LD,  X64,  6,  7,   255,  ldur x6, [x7, #255]
	ok OFF,  8, ST,  X64, ZR,  7,  -256,  stur xzr, [x7, #-256]
	ok OFF,  1, LDS, W32,  0,  1,  -256,  ldursb w0, [x1, #-256]
	ok OFF,  1, LDS, X64,  0,  1,   255,  ldursb x0, [x1, #255]
	ok OFF,  2, LDS, W32,  0,  1,    -2,  ldursh w0, [x1, #-2]
	ok OFF,  2, LDS, X64,  0,  1,     2,  ldursh x0, [x1, #2]
	ok OFF,  4, LDS, X64,  0,  1,  -256,  ldursw x0, [x1, #-256]

// LDR/STR (immediate, pre-index and post-index): simm9 unscaled, writeback
	ok PRE,  1, LD,  W32,  0,  1,  -256,  ldrb w0, [x1, #-256]!
	ok POST, 1, LD,  W32,  0,  1,   255,  ldrb w0, [x1], #255
	ok PRE,  1, ST,  W32,  0,  1,     1,  strb w0, [x1, #1]!
	ok POST, 1, ST,  W32, ZR, RSP,   -1,  strb wzr, [sp], #-1
	ok PRE,  2, LD,  W32,  2,  3,  -256,  ldrh w2, [x3, #-256]!
	ok POST, 2, ST,  W32,  2,  3,   255,  strh w2, [x3], #255
	ok PRE,  2, ST,  W32,  2,  3,     0,  strh w2, [x3, #0]!
	ok PRE,  4, LD,  W32,  4,  5,    -4,  ldr w4, [x5, #-4]!
	ok POST, 4, ST,  W32,  4,  5,     4,  str w4, [x5], #4
	ok POST, 4, LD,  W32,  4, RSP,    4,  ldr w4, [sp], #4
	ok PRE,  8, LD,  X64,  6,  7,   255,  ldr x6, [x7, #255]!
	ok POST, 8, LD,  X64,  6,  7,  -256,  ldr x6, [x7], #-256
	ok PRE,  8, ST,  X64,  6, RSP,  -16,  str x6, [sp, #-16]!
	ok POST, 8, ST,  X64, 30, RSP,   16,  str x30, [sp], #16
	ok POST, 8, LD,  X64, ZR,  1,     8,  ldr xzr, [x1], #8
	ok POST, 8, ST,  X64, ZR,  2,     8,  str xzr, [x2], #8
	ok PRE,  1, LDS, W32,  0,  1,     1,  ldrsb w0, [x1, #1]!
	ok POST, 1, LDS, X64,  0,  1,    -1,  ldrsb x0, [x1], #-1
	ok POST, 2, LDS, W32,  0,  1,     2,  ldrsh w0, [x1], #2
	ok PRE,  2, LDS, X64,  0,  1,    -2,  ldrsh x0, [x1, #-2]!
	ok PRE,  4, LDS, X64,  0,  1,     4,  ldrsw x0, [x1, #4]!
	ok POST, 4, LDS, X64,  0, RSP,   -4,  ldrsw x0, [sp], #-4
	// A store writing back to its data register stores the original value (permitted behaviour).
	ok PRE,  8, ST,  X64,  1,  1,     8,  .inst 0xf8008c21	// str x1, [x1, #8]!

// Every data register, SP as base; loads into Xt/Wt with writeback to SP are fine.
.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ok PRE,  8, LD,  X64, \r, RSP,   -8,  ldr x\r, [sp, #-8]!
	ok POST, 2, LDS, W32, \r, RSP,    2,  ldrsh w\r, [sp], #2
	ok POST, 4, ST,  W32, ZR, \r,     4,  str wzr, [x\r], #4
.endr

// LDR/STR (register offset): no writeback, the address is FAR, imm 0
	ok REG,  8, LD,  X64,  0,  1,     0,  ldr x0, [x1, x2]
	ok REG,  8, LD,  X64,  0,  1,     0,  ldr x0, [x1, x2, lsl #3]
	ok REG,  4, LD,  W32,  0,  1,     0,  ldr w0, [x1, w2, uxtw]
	ok REG,  4, LD,  W32,  0,  1,     0,  ldr w0, [x1, w2, uxtw #2]
	ok REG,  8, ST,  X64,  0, RSP,    0,  str x0, [sp, w2, sxtw #3]
	ok REG,  1, ST,  W32,  0,  1,     0,  strb w0, [x1, x2, sxtx]
	ok REG,  1, LD,  W32,  0,  1,     0,  ldrb w0, [x1, x2, lsl #0]
	ok REG,  2, LD,  W32,  0,  1,     0,  ldrh w0, [x1, w2, sxtw #1]
	ok REG,  2, ST,  W32,  0,  1,     0,  strh w0, [x1, x2, sxtx #1]
	ok REG,  4, ST,  W32, ZR,  1,     0,  str wzr, [x1, x2]
	ok REG,  1, LDS, W32,  0,  1,     0,  ldrsb w0, [x1, x2]
	ok REG,  1, LDS, X64,  0,  1,     0,  ldrsb x0, [x1, w2, uxtw]
	ok REG,  2, LDS, W32,  0,  1,     0,  ldrsh w0, [x1, x2]
	ok REG,  2, LDS, X64,  0,  1,     0,  ldrsh x0, [x1, x2, lsl #1]
	ok REG,  4, LDS, X64,  0,  1,     0,  ldrsw x0, [x1, w2, sxtw #2]
	ok REG,  8, LD,  X64,  1,  1,     0,  ldr x1, [x1, x2]
	ok REG,  8, LD,  X64, 30, 29,     0,  ldr x30, [x29, xzr]

//	 mode  size dir  sf   rt  rt2  rn   imm   instruction
// LDP/STP/LDPSW (signed offset, pre-index, post-index): imm7 scaled, -64..63 elements
	okp OFF,  4, LD,  W32,  0,  1,  2,     0,  ldp w0, w1, [x2]
	okp OFF,  4, LD,  W32,  0,  1,  2,  -256,  ldp w0, w1, [x2, #-256]
	okp OFF,  4, LD,  W32,  0,  1,  2,   252,  ldp w0, w1, [x2, #252]
	okp OFF,  4, ST,  W32,  3,  4,  5,   -4,   stp w3, w4, [x5, #-4]
	okp PRE,  4, ST,  W32,  0,  1, RSP,   -8,  stp w0, w1, [sp, #-8]!
	okp POST, 4, ST,  W32, ZR, ZR,  2,     4,  stp wzr, wzr, [x2], #4
	okp POST, 4, LD,  W32,  5,  6,  7,  -256,  ldp w5, w6, [x7], #-256
	okp PRE,  4, LD,  W32,  5,  6,  7,   252,  ldp w5, w6, [x7, #252]!
	okp OFF,  8, LD,  X64,  0,  1,  2,   504,  ldp x0, x1, [x2, #504]
	okp PRE,  8, LD,  X64,  0,  1,  2,  -512,  ldp x0, x1, [x2, #-512]!
	okp POST, 8, LD,  X64, 29, 30, RSP,   16,  ldp x29, x30, [sp], #16
	okp PRE,  8, ST,  X64, 29, 30, RSP,  -16,  stp x29, x30, [sp, #-16]!
	okp POST, 8, ST,  X64,  0,  1,  2,   504,  stp x0, x1, [x2], #504
	okp OFF,  8, ST,  X64, ZR,  1,  2,     8,  stp xzr, x1, [x2, #8]
	okp OFF,  8, LD,  X64, ZR,  1,  2,     0,  ldp xzr, x1, [x2]
	okp OFF,  8, LD,  X64,  1,  2,  1,     0,  ldp x1, x2, [x1]
	okp OFF,  4, LDS, X64,  0,  1,  2,    -4,  ldpsw x0, x1, [x2, #-4]
	okp PRE,  4, LDS, X64,  0,  1,  2,     8,  ldpsw x0, x1, [x2, #8]!
	okp POST, 4, LDS, X64,  0,  1, RSP,  252,  ldpsw x0, x1, [sp], #252
	okp PRE,  4, LDS, X64,  3,  4,  5,  -256,  ldpsw x3, x4, [x5, #-256]!
	// LDNP/STNP: a non-temporal hint, otherwise LDP/STP with a signed offset
	okp OFF,  8, LD,  X64,  0,  1,  2,  -512,  ldnp x0, x1, [x2, #-512]
	okp OFF,  4, ST,  W32,  0,  1, RSP,  252,  stnp w0, w1, [sp, #252]
	// Store pair writing back to a data register: original values stored (permitted behaviour).
	okp PRE,  8, ST,  X64,  1,  2,  2,    16,  .inst 0xa9810841	// stp x1, x2, [x2, #16]!

// Rejected: not a plain general-purpose load/store, or CONSTRAINED UNPREDICTABLE
	bad ldxr x0, [x1]
	bad stxr w2, x0, [x1]
	bad ldaxr w0, [x1]
	bad stlxp w3, x0, x1, [x2]
	bad ldar x0, [x1]
	bad stlr w0, [x1]
	bad ldapr x0, [x1]
	bad ldapur w0, [x1, #4]
	bad ldadd x0, x1, [x2]
	bad stadd w0, [x2]
	bad swp x0, x1, [x2]
	bad cas x0, x1, [x2]
	bad ldr q0, [x1]
	bad ldr d0, [x1, #8]!
	bad str s0, [x1], #4
	bad ldr b0, [x1, x2]
	bad ldur h0, [x1, #-2]
	bad ldp q0, q1, [x1]
	bad ldp s0, s1, [x1], #8
	bad stp d0, d1, [sp, #-16]!
	bad ldnp q0, q1, [x1]
	bad ld1 {v0.16b}, [x1]
	bad st1 {v0.4s}, [x1], #16
	bad ld1r {v0.4s}, [x1]
	bad ldr x0, .
	bad ldrsw x0, .
	bad prfm pldl1keep, [x1]
	bad prfum pldl1keep, [x1, #-1]
	bad prfm pstl2strm, [x1, x2]
	bad ldtr x0, [x1]
	bad sttrb w0, [x1, #1]
	bad ldtrsh x0, [x1]
	bad ldraa x0, [x1]
	bad ldrab x0, [x1, #8]!
	bad stgp x0, x1, [x2]
	bad ldg x0, [x1]
	bad stg x0, [x1]
	bad dc civac, x0
	bad b .
	bad bl .
	bad ret
	bad nop
	bad svc #0
	bad hvc #0
	bad mov x0, x1
	bad add x0, x1, #8
	bad .inst 0x00000000			// udf #0
	bad .inst 0xb9c00020			// LDRS (unsigned offset) size 10 opc 11: unallocated
	bad .inst 0xf9c00020			// LDRS (unsigned offset) size 11 opc 11: unallocated
	bad .inst 0xf8800c20			// LDRS (pre-index) size 11 opc 10: unallocated
	bad .inst 0xf8620820			// LDR (register) option 000: unallocated
	bad .inst 0xf8622820			// LDR (register) option 001: unallocated
	bad .inst 0xf8628820			// LDR (register) option 100: unallocated
	bad .inst 0x68400440			// LDNPSW: unallocated
	bad .inst 0xe9400440			// LDTP x0, x1, [x2] (FEAT_LSUI)
	bad .inst 0xf8408c21			// ldr x1, [x1, #8]!: writeback to the data register
	bad .inst 0xb8404442			// ldr w2, [x2], #4: writeback to the data register
	bad .inst 0xa9400020			// ldp x0, x0, [x1]: same register twice
	bad .inst 0x69400020			// ldpsw x0, x0, [x1]: same register twice
	bad .inst 0xa9c10821			// ldp x1, x2, [x1, #16]!: writeback to rt
	bad .inst 0xa8c10841			// ldp x1, x2, [x2], #16: writeback to rt2
