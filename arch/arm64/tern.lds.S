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
	.text : { *(.text .text.*) } :text
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

	/DISCARD/ : {
		*(.interp .dynamic .dynsym .dynstr .hash .gnu.hash)
		*(.note .note.*)
		*(.comment)
		*(.eh_frame .eh_frame_hdr)
	}
}
