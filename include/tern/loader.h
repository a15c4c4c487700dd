/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_LOADER_H
#define TERN_LOADER_H

#include <tern/types.h>

/*
 * Boot images: recognise a kernel, work out where its pieces go in guest RAM, and where the
 * initrd and DTB go. Pure logic on untrusted bytes; copying is vm_copy_to_guest()'s job.
 *
 * Guest RAM layout (R = ram_base, 2 MiB aligned; E = ram_base + ram_size):
 *
 *   R + text_offset (Image) / p_paddr (ELF) / R (raw)   the kernel, [lowest, highest)
 *   ...                                                  free (the guest's)
 *   T - initrd_size, rounded down to 4 KiB               the initrd, ending at or below T
 *   T = ALIGN_DOWN(E, 2 MiB) - 2 MiB                     the DTB, alone in the last whole 2 MiB
 *                                                        block of RAM (arm64 booting.rst: the DTB
 *                                                        is mapped with blocks of up to 2 MiB)
 *   T + 2 MiB .. E                                       free (less than 2 MiB, may be empty)
 */

/** The DTB gets a whole naturally aligned block of this size; it may not be larger. */
#define LOADER_DTB_BLOCK 0x200000ULL
/** An arm64 Image goes at a 2 MiB aligned base plus text_offset: ram_base must be aligned so. */
#define LOADER_IMAGE_BASE_ALIGN 0x200000ULL
/** Start alignment of the initrd. */
#define LOADER_INITRD_ALIGN 0x1000ULL
/** Pre-3.17 Images have image_size 0: the extent is assumed to be the file size plus this. */
#define LOADER_OLD_IMAGE_MARGIN 0x400000ULL
/** Pre-3.17 Images: booting.rst says text_offset is then 0x80000 (of unspecified endianness). */
#define LOADER_OLD_IMAGE_TEXT_OFFSET 0x80000ULL

#define LOADER_MAX_SEGMENTS 16

enum image_kind {
	IMAGE_ARM64,
	IMAGE_ELF64,
	IMAGE_RAW,
};

/** One piece of the image: file bytes [file_offset, +file_size) go to ipa; the rest is zeroed. */
struct image_segment {
	u64 file_offset;
	u64 file_size;
	ipa_t ipa;
	/** >= file_size; bytes past file_size are zeroed. */
	u64 mem_size;
};

struct image_layout {
	enum image_kind kind;
	/** Guest physical address of the first instruction. */
	ipa_t entry;
	unsigned int nr_segments;
	struct image_segment seg[LOADER_MAX_SEGMENTS];
	/** Extent in guest RAM, for overlap checks: first byte and one past the last byte. */
	ipa_t lowest, highest;
};

/**
 * Recognise @img (@size bytes) and lay it out in guest RAM [@ram_base, +@ram_size):
 * - arm64 Image ("ARM\x64" at offset 56): at ram_base + text_offset, entry there, extent
 *   image_size (whole file if larger); little-endian kernels only.
 * - ELF64 (little endian, EM_AARCH64, ET_EXEC): each PT_LOAD at its p_paddr; the entry is e_entry
 *   translated through the segment whose p_vaddr range holds it (e_entry itself when
 *   p_vaddr == p_paddr).
 * - anything else: a raw binary at ram_base, entered at its first byte.
 * Returns 0, -TERN_EINVAL (malformed), -TERN_E2BIG (does not fit in guest RAM or too many
 * segments), -TERN_ERANGE (an ELF segment outside guest RAM); each logged with pr_err("loader:
 * ...").
 */
int loader_inspect(const void *img, u64 size, ipa_t ram_base, u64 ram_size,
		   struct image_layout *out);

/**
 * Place the initrd (@initrd_size 0: none, *@initrd_ipa = 0) and the DTB (@dtb_size 1 .. 2 MiB) as
 * the layout above says. Returns 0, -TERN_EINVAL (bad arguments), -TERN_E2BIG (DTB larger than
 * 2 MiB, or no room: they would overlap the kernel's [lowest, highest) or leave RAM), logged.
 */
int loader_place(const struct image_layout *kernel, u64 initrd_size, u64 dtb_size, ipa_t ram_base,
		 u64 ram_size, ipa_t *initrd_ipa, ipa_t *dtb_ipa);

#endif
