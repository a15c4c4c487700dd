/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An arm64 Image header (Linux Documentation/arch/arm64/booting.rst) in front of a test guest, so
 * that it can be booted as a kernel: loaded at RAM base + text_offset, entered at its first byte.
 * Link with --defsym=GUEST_LOAD_ADDR=0x40000000+IMAGE_TEXT_OFFSET.
 */
#define IMAGE_TEXT_OFFSET	0x80000
#define IMAGE_FLAGS_LE_4K	0x2	/* little endian, 4 KiB pages, 2 MiB-aligned base */

	.section .text.head, "ax"
	.global	_image_head
_image_head:
	b	_start			/* code0 */
	.long	0			/* code1 */
	.quad	IMAGE_TEXT_OFFSET	/* text_offset */
	.quad	_end - _image_head	/* image_size, with BSS and stacks */
	.quad	IMAGE_FLAGS_LE_4K
	.quad	0, 0, 0			/* res2-4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
