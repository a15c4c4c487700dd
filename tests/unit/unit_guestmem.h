/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef UNIT_GUESTMEM_H
#define UNIT_GUESTMEM_H

/*
 * A fake guest RAM for the virtqueue and virtio-blk tests: a host buffer seen by the code under
 * test at guest addresses [UGM_BASE, UGM_BASE + UGM_SIZE), through struct virtq_mem callbacks
 * that refuse (and count) anything outside it. Rings and tables are crafted by writing into it.
 */

#include <string.h>
#include <virt/virtqueue.h>

#define UGM_BASE 0x40000000ULL
#define UGM_SIZE (1ULL << 20)

struct unit_guestmem {
	unsigned char ram[UGM_SIZE] __attribute__((aligned(4096)));
	unsigned int reads, writes, refused;
	/* Called after every read (a guest changing memory behind the device's back). */
	void (*after_read)(struct unit_guestmem *g, unsigned long long addr);
};

static inline bool ugm_in_ram(void *ctx, u64 addr, u64 len)
{
	(void)ctx;
	return addr >= UGM_BASE && len <= UGM_SIZE && addr - UGM_BASE <= UGM_SIZE - len;
}

static inline int ugm_read(void *ctx, u64 addr, void *buf, u64 len)
{
	struct unit_guestmem *g = ctx;

	if (!ugm_in_ram(ctx, addr, len)) {
		g->refused++;
		return -1;
	}
	memcpy(buf, g->ram + (addr - UGM_BASE), len);
	g->reads++;
	if (g->after_read)
		g->after_read(g, addr);
	return 0;
}

static inline int ugm_write(void *ctx, u64 addr, const void *buf, u64 len)
{
	struct unit_guestmem *g = ctx;

	if (!ugm_in_ram(ctx, addr, len)) {
		g->refused++;
		return -1;
	}
	memcpy(g->ram + (addr - UGM_BASE), buf, len);
	g->writes++;
	return 0;
}

static inline struct virtq_mem ugm_mem(struct unit_guestmem *g)
{
	return (struct virtq_mem){
		.ctx = g, .read = ugm_read, .write = ugm_write, .in_ram = ugm_in_ram
	};
}

/* Host pointer of guest address @addr (inside the fake RAM). */
static inline void *ugm_ptr(struct unit_guestmem *g, u64 addr)
{
	return g->ram + (addr - UGM_BASE);
}

#endif
