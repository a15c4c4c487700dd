/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_ASM_MACROS_H
#define ASM_ASM_MACROS_H

/* clang-format off */
#ifdef __ASSEMBLY__
/* PC-relative address of a symbol, valid with the MMU off and at any load address (+-4 GiB). */
.macro adr_l, dst, sym
	adrp	\dst, \sym
	add	\dst, \dst, :lo12:\sym
.endm
#endif
/* clang-format on */

#endif
