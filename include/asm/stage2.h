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
	u16 vmid;
	u64 vtcr;  /* VTCR_EL2 value for this VM */
	u64 vttbr; /* VTTBR_EL2 value: root | VMID */
};

/* IPA size for guests: 40 bits, capped by ID_AA64MMFR0_EL1.PARange (and 48). */
unsigned int stage2_ipa_bits(void);
int stage2_init(struct stage2 *s2, u16 vmid, unsigned int ipa_bits);
/* Free every table. The VM must not run anywhere. */
void stage2_destroy(struct stage2 *s2);
/*
 * Map [ipa, ipa + size) to [pa, pa + size): blocks where alignment allows, pages elsewhere.
 * -TERN_EEXIST if any part is already mapped, -TERN_ERANGE outside the IPA space,
 * -TERN_EINVAL if not page aligned, -TERN_ENOMEM when tables run out (nothing is then left
 * half-mapped... best effort: what was mapped stays mapped and is reported by the caller).
 */
int stage2_map(struct stage2 *s2, ipa_t ipa, paddr_t pa, u64 size, enum s2_attr attr);
/* Unmap, splitting blocks as needed (break-before-make with TLB invalidation by VMID). */
int stage2_unmap(struct stage2 *s2, ipa_t ipa, u64 size);
/* Walk the tables: 0 and the PA/attr/size of the leaf, or -TERN_ENOENT if unmapped. */
int stage2_translate(const struct stage2 *s2, ipa_t ipa, paddr_t *pa, enum s2_attr *attr,
		     u64 *leaf_size);

#endif
