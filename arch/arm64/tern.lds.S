/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tern is linked at address 0 as a position-independent executable; head.S applies the
 * R_AARCH64_RELATIVE relocations for wherever the boot loader put it and the EL2 stage-1
 * tables map it 1:1. Sections are page aligned so each gets its own permissions.
 */
OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);		/* R X */
	rodata PT_LOAD FLAGS(4);	/* R */
	data PT_LOAD FLAGS(6);		/* R W */
}

SECTIONS
{
	. = 0;
	_text = .;
	.head.text : { KEEP(*(.head.text)) } :text
	/*
	 * The exception vectors first: 16 slots of 128 bytes, each a section of its own
	 * (vectors.S). VECTOR_FILL ($(O)/vector_fill.lds), written by scripts/vector-fill.py from a first link,
	 * names each slot in turn and, after it, cold functions that fit in the rest of the slot,
	 * where there would otherwise be padding; the ASSERTs below check each slot's address.
	 */
	.text : {
		INCLUDE VECTOR_FILL
		*(.text .text.*)
	} :text
	. = ALIGN(4096);
	_etext = .;

	_rodata = .;
	.rodata : { *(.rodata .rodata.*) } :rodata
	.rela.dyn : { *(.rela .rela.*) } :rodata
	/*
	 * From the section's final size: ld adds the relocations of some input sections (the
	 * vdev_types pointers) after "." inside the section statement has been evaluated.
	 */
	__rela_start = ADDR(.rela.dyn);
	__rela_end = ADDR(.rela.dyn) + SIZEOF(.rela.dyn);
	. = ALIGN(4096);
	_erodata = .;

	_data = .;
	.data : {
		*(.data .data.*)
		/*
		 * Device types (tern/vdev.h): pointers the device list walks. Like every table of
		 * pointers (.data.rel.ro) they need boot-time relocation, so they live here; in the
		 * rodata segment ld would count .rela.dyn before their relocations exist.
		 */
		. = ALIGN(8);
		__start_vdev_types = .;
		KEEP(*(vdev_types))
		__stop_vdev_types = .;
		/* Host drivers (tern/irqchip.h, tern/console_drv.h) and list-register layers
		 * (virt/vgic_hw.h), matched at boot: the same kind of table. */
		__start_irqchip_drivers = .;
		KEEP(*(irqchip_drivers))
		__stop_irqchip_drivers = .;
		__start_console_drivers = .;
		KEEP(*(console_drivers))
		__stop_console_drivers = .;
		__start_vgic_hw_ops = .;
		KEEP(*(vgic_hw_ops))
		__stop_vgic_hw_ops = .;
		. = ALIGN(8);
		*(.got .got.plt)
	} :data
	. = ALIGN(64);
	_edata = .;

	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	} :data

	. = ALIGN(4096);
	_end = .;
	_tern_image_size = _end - _text;

	ASSERT(el2_vectors % 2048 == 0, "el2_vectors: not 2 KiB aligned")
#define VECTOR_AT(n, msg) ASSERT(el2_vector_##n == el2_vectors + n * 128, msg)
	VECTOR_AT(1, "vector slot 1 moved") VECTOR_AT(2, "vector slot 2 moved")
	VECTOR_AT(3, "vector slot 3 moved") VECTOR_AT(4, "vector slot 4 moved")
	VECTOR_AT(5, "vector slot 5 moved") VECTOR_AT(6, "vector slot 6 moved")
	VECTOR_AT(7, "vector slot 7 moved") VECTOR_AT(8, "vector slot 8 moved")
	VECTOR_AT(9, "vector slot 9 moved") VECTOR_AT(10, "vector slot 10 moved")
	VECTOR_AT(11, "vector slot 11 moved") VECTOR_AT(12, "vector slot 12 moved")
	VECTOR_AT(13, "vector slot 13 moved") VECTOR_AT(14, "vector slot 14 moved")
	VECTOR_AT(15, "vector slot 15 moved")

	/DISCARD/ : {
		*(.interp .dynamic .dynsym .dynstr .hash .gnu.hash)
		*(.note .note.*)
		*(.comment)
		*(.eh_frame .eh_frame_hdr)
	}
}
