/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register sweeps: run one instruction with every general register x0-x30 loaded from a buffer and
 * stored back into it right after, so a test sees that a trapped instruction wrote exactly the
 * register it names and left all the others alone. A hypervisor that saves only some registers on
 * an exit fast path (Tern keeps x19-x28 live across its C fast path) must get every register
 * right, whichever register the instruction names.
 *
 * In a file's top-level asm, after REGSWEEP_MACROS:
 *   regsweep_begin <name>   defines void <name>(struct regsweep *s): x0-x30 = s->x[0..30]
 *   <the instruction>       (SP points at s meanwhile: the instruction must not use SP)
 *   regsweep_end            s->x[0..30] = x0-x30, back to the caller
 * Only one sweep runs at a time (the caller's SP is kept in one variable per file).
 */
#ifndef GUEST_REGSWEEP_H
#define GUEST_REGSWEEP_H

#include "libguest.h"

/* 16-byte aligned (it is the stack pointer during the sweep), with room below for a fault. */
struct regsweep {
	u64 below[256];
	u64 x[32];
} __attribute__((aligned(16)));

#define REGSWEEP_MACROS                                                                            \
	"\t.pushsection .bss\n"                                                                    \
	"\t.balign 8\n"                                                                            \
	"regsweep_saved_sp: .quad 0\n"                                                             \
	"\t.popsection\n"                                                                          \
	".macro regsweep_begin name\n"                                                             \
	"\t.pushsection .text\n"                                                                   \
	"\t.global \\name\n"                                                                       \
	"\t.type \\name, %function\n"                                                              \
	"\t.balign 4\n"                                                                            \
	"\\name:\n"                                                                                \
	"\tstp x29, x30, [sp, #-96]!\n"                                                            \
	"\tstp x19, x20, [sp, #16]\n"                                                              \
	"\tstp x21, x22, [sp, #32]\n"                                                              \
	"\tstp x23, x24, [sp, #48]\n"                                                              \
	"\tstp x25, x26, [sp, #64]\n"                                                              \
	"\tstp x27, x28, [sp, #80]\n"                                                              \
	"\tmov x1, sp\n"                                                                           \
	"\tadrp x2, regsweep_saved_sp\n"                                                           \
	"\tstr x1, [x2, :lo12:regsweep_saved_sp]\n"                                                \
	"\tadd sp, x0, #2048\n"                                                                    \
	"\tldp x0, x1, [sp, #0]\n"                                                                 \
	"\tldp x2, x3, [sp, #16]\n"                                                                \
	"\tldp x4, x5, [sp, #32]\n"                                                                \
	"\tldp x6, x7, [sp, #48]\n"                                                                \
	"\tldp x8, x9, [sp, #64]\n"                                                                \
	"\tldp x10, x11, [sp, #80]\n"                                                              \
	"\tldp x12, x13, [sp, #96]\n"                                                              \
	"\tldp x14, x15, [sp, #112]\n"                                                             \
	"\tldp x16, x17, [sp, #128]\n"                                                             \
	"\tldp x18, x19, [sp, #144]\n"                                                             \
	"\tldp x20, x21, [sp, #160]\n"                                                             \
	"\tldp x22, x23, [sp, #176]\n"                                                             \
	"\tldp x24, x25, [sp, #192]\n"                                                             \
	"\tldp x26, x27, [sp, #208]\n"                                                             \
	"\tldp x28, x29, [sp, #224]\n"                                                             \
	"\tldr x30, [sp, #240]\n"                                                                  \
	".endm\n"                                                                                  \
	".macro regsweep_end\n"                                                                    \
	"\tstp x0, x1, [sp, #0]\n"                                                                 \
	"\tstp x2, x3, [sp, #16]\n"                                                                \
	"\tstp x4, x5, [sp, #32]\n"                                                                \
	"\tstp x6, x7, [sp, #48]\n"                                                                \
	"\tstp x8, x9, [sp, #64]\n"                                                                \
	"\tstp x10, x11, [sp, #80]\n"                                                              \
	"\tstp x12, x13, [sp, #96]\n"                                                              \
	"\tstp x14, x15, [sp, #112]\n"                                                             \
	"\tstp x16, x17, [sp, #128]\n"                                                             \
	"\tstp x18, x19, [sp, #144]\n"                                                             \
	"\tstp x20, x21, [sp, #160]\n"                                                             \
	"\tstp x22, x23, [sp, #176]\n"                                                             \
	"\tstp x24, x25, [sp, #192]\n"                                                             \
	"\tstp x26, x27, [sp, #208]\n"                                                             \
	"\tstp x28, x29, [sp, #224]\n"                                                             \
	"\tstr x30, [sp, #240]\n"                                                                  \
	"\tadrp x0, regsweep_saved_sp\n"                                                           \
	"\tldr x0, [x0, :lo12:regsweep_saved_sp]\n"                                                \
	"\tmov sp, x0\n"                                                                           \
	"\tldp x19, x20, [sp, #16]\n"                                                              \
	"\tldp x21, x22, [sp, #32]\n"                                                              \
	"\tldp x23, x24, [sp, #48]\n"                                                              \
	"\tldp x25, x26, [sp, #64]\n"                                                              \
	"\tldp x27, x28, [sp, #80]\n"                                                              \
	"\tldp x29, x30, [sp], #96\n"                                                              \
	"\tret\n"                                                                                  \
	"\t.popsection\n"                                                                          \
	".endm\n"

/* The 31 register numbers, for .irp. */
#define REGSWEEP_REGS                                                                              \
	"0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30"

/*
 * What register @i holds before sweep @n: distinct in every register and every sweep, even in
 * the low 6 bits of one register across sweeps (3m + i and 3n + i differ mod 64 for m != n < 64:
 * 3 is odd), so a value left over from an earlier sweep is never mistaken for the right one,
 * even by a 6-bit device register.
 */
static inline u64 regsweep_pattern(unsigned int n, unsigned int i)
{
	return 0xa5a5000000000000UL | (u64)n << 32 | (u64)i << 16 | ((3 * n + i + 1) & 0x3f);
}

static inline void regsweep_fill(struct regsweep *s, unsigned int n)
{
	for (unsigned int i = 0; i < 31; i++)
		s->x[i] = regsweep_pattern(n, i);
}

/* Registers other than @skip (and @skip2) that no longer hold their pattern. */
static inline unsigned int regsweep_changed(const struct regsweep *s, unsigned int n,
					    unsigned int skip, unsigned int skip2)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < 31; i++)
		bad += i != skip && i != skip2 && s->x[i] != regsweep_pattern(n, i);
	return bad;
}

#endif
