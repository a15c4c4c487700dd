/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_STAGE2_H
#define ASM_STAGE2_H

#include <tern/types.h>

/* What a guest may do with a stage-2 mapping. */
enum s2_attr {
	S2_NORMAL_RW, /* RAM: Normal write-back, read/write/execute */
	S2_NORMAL_RO, /* read-only RAM (execute allowed) */
	S2_DEVICE_RW, /* assigned device: Device-nGnRE, read/write, never execute */
};

/* One VM's stage-2 translation: IPA -> host PA, 4 KiB granule, 2 MiB and 1 GiB blocks. */
struct stage2 {
	u64 *root; /* root table(s), concatenated when the IPA size needs it */
	unsigned int root_order;
	unsigned int ipa_bits;
	unsigned int start_level;
	unsigned int
	    leaf_level; /* the lowest level a leaf may be at: 1 with blocks, 3 pages only */
	u16 vmid;
	u64 vtcr;  /* VTCR_EL2 value for this VM */
	u64 vttbr; /* VTTBR_EL2 value: root | VMID */
};

/*
 * Operations on one struct stage2 must be serialised by the caller (the VM's lock); the tables
 * may meanwhile be in use by the VM's vCPUs on other pCPUs. TLB maintenance goes through
 * asm/tlb.h, ID_AA64MMFR0_EL1 through asm/cpuid.h (both have host stand-ins for unit tests).
 */

/* IPA size for guests: 40 bits, capped by ID_AA64MMFR0_EL1.PARange (and 48). */
unsigned int stage2_ipa_bits(void);
/*
 * Allocate the root table(s): start level 1 up to 42 IPA bits (2^(ipa_bits - 39) concatenated
 * tables above 39), level 0 for 43..48. With @blocks, stage2_map() uses 1 GiB and 2 MiB blocks
 * where it can; without, 4 KiB pages only (CONFIG_STAGE2_BLOCKS says why one would). -TERN_EINVAL
 * for ipa_bits outside 32..48 or above the host's PARange, or a VMID above 255 (VTCR_EL2.VS = 0);
 * -TERN_ENOMEM. On error s2->root is NULL.
 */
int stage2_init(struct stage2 *s2, u16 vmid, unsigned int ipa_bits, bool blocks);
/*
 * Free every table and invalidate the VMID's TLB entries so it can be reused. The VM must not run
 * anywhere. Harmless on a stage2 whose init failed or that was already destroyed.
 */
void stage2_destroy(struct stage2 *s2);
/*
 * Map [ipa, ipa + size) to [pa, pa + size): 1 GiB and 2 MiB blocks where ipa, pa and the size
 * left allow and the stage 2 has blocks, 4 KiB pages elsewhere. -TERN_EEXIST if any part is already
 * mapped (nothing is changed), -TERN_ERANGE outside the IPA space or the host's PA size,
 * -TERN_EINVAL for an empty or unaligned range or an unknown attr, -TERN_ENOMEM when tables run out
 * (what this call mapped is then unmapped again).
 */
int stage2_map(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, enum s2_attr attr);
/*
 * Make every table that later stage2_map() calls of [ipa, ipa + size) to @pa will need, when
 * they map it in aligned pieces of @piece bytes (a power of two, at least 4 KiB) at the same
 * IPA-to-PA offset, and map nothing: such maps then allocate nothing (RAM on demand maps 2 MiB
 * at the guest's first touch, where an allocation failure could only abort the guest). No leaf
 * of the reservation's layout is larger than @piece. -TERN_EEXIST if any part is mapped,
 * -TERN_EINVAL / -TERN_ERANGE as for stage2_map(), -TERN_ENOMEM (what this call made is freed
 * again).
 */
int stage2_reserve(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, u64 piece);
/*
 * Unmap whatever is mapped in [ipa, ipa + size) (holes are fine), splitting blocks that are only
 * partly covered (break-before-make with TLB invalidation by IPA) and freeing tables left empty.
 * -TERN_EINVAL / -TERN_ERANGE as for stage2_map; -TERN_ENOMEM if a split finds no table, and then
 * nothing is unmapped. Returns once no pCPU can use the old translations.
 */
int stage2_unmap(struct stage2 *s2, ipa_t ipa, u64 size);
/*
 * Walk the tables: 0 and the PA of @ipa, the attr and the size of the leaf mapping it (each
 * output may be NULL), or -TERN_ENOENT if unmapped.
 */
int stage2_translate(const struct stage2 *s2, ipa_t ipa, paddr_t *pa, enum s2_attr *attr,
		     u64 *leaf_size);

#endif
