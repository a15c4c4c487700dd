/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Plain-QEMU stand-in for Tern's boot protocol: QEMU's generic loader can set the PC but not x0,
 * so tools/run-qemu loads this at 0x43e00000 and the DTB at 0x43f00000, and enters here.
 */
	.text
	.global _start
_start:
	ldr	x0, =0x43f00000
	ldr	x1, =0x40000000
	br	x1
	.ltorg
