/* SPDX-License-Identifier: GPL-2.0-only */
/* A four-instruction guest for the loader tests: text, initialised data and BSS in two PT_LOADs. */
	.text
	.global _start
_start:
	ldr	x0, value
	adr	x1, scratch
	str	x0, [x1]
	b	.

	.data
	.balign 8
value:
	.quad	0x7465726e

	.bss
	.balign 8
scratch:
	.space	0x100
