/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef UNIT_VGIC_INDEX_CHECK_H
#define UNIT_VGIC_INDEX_CHECK_H

#include <virt/vgic_mmio.h>

/*
 * Build @t's index, then every byte of the frame (and past its end) must find the row a plain
 * walk of the table finds, or none: the index may speed the lookup up, never change its answer.
 */
static inline void vgic_index_check(struct vgic_regs *t, u64 frame_size)
{
	assert_int_equal(vgic_mmio_regs_init(t), 0);
	for (u64 off = 0; off < frame_size + 0x100; off++) {
		const struct vgic_reg *want = NULL;

		for (unsigned int i = 0; i < t->nr; i++)
			if (off >= t->rows[i].offset &&
			    off < (u64)t->rows[i].offset + t->rows[i].len)
				want = &t->rows[i];
		assert_ptr_equal(vgic_mmio_find(t, off), want);
	}
}

/*
 * Every read the frame's constant copy answers (vgic_mmio_const_read(), @vals) gives what the
 * table gives for the frame @c describes, at every offset and width around the indexed words;
 * returns how many it answered (the caller checks that the ones it expects are among them).
 */
static inline unsigned int vgic_const_check(const struct vgic_regs *t, struct vgic_mmio_ctx *c,
					    const u32 *vals)
{
	unsigned int answered = 0;

	for (u64 off = 0; off < VGIC_FINE_SIZE + 16; off++) {
		for (unsigned int size = 1; size <= 8; size *= 2) {
			u64 fast = 0x1234, slow = 0x5678;

			if (!vgic_mmio_const_read(t, vals, off, size, &fast))
				continue;
			assert_int_equal(vgic_mmio_access(t, c, off, size, false, &slow), 0);
			assert_int_equal(fast, slow);
			answered++;
		}
	}
	return answered;
}

#endif
