// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal read-only FDT walker: enough for /memory, /psci, /cpus and the devices' reg
 * properties.
 */
#include "libguest.h"

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP	       4
#define FDT_END	       9

/* Byte loads: property values are only 4-byte aligned and the MMU is off (Device memory). */
u32 fdt_be32(const void *p)
{
	const volatile u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

u64 fdt_cells(const void *p, u32 cells)
{
	const u8 *b = p;
	u64 v = 0;

	while (cells--) {
		v = v << 32 | fdt_be32(b);
		b += 4;
	}
	return v;
}

u32 fdt_totalsize(const void *fdt)
{
	const u8 *h = fdt;

	if (!fdt || fdt_be32(h) != FDT_MAGIC)
		return 0;
	return fdt_be32(h + 4);
}

bool fdt_walk(const void *fdt, const struct fdt_walker *w)
{
	const u8 *h = fdt;
	u32 size = fdt_totalsize(fdt);
	const u8 *p, *end, *strings;
	int depth = -1;

	if (!size)
		return false;
	p = h + fdt_be32(h + 8);
	end = p + fdt_be32(h + 36);
	strings = h + fdt_be32(h + 12);
	while (p + 4 <= end) {
		u32 token = fdt_be32(p);

		p += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)p;

			depth++;
			if (w->begin_node)
				w->begin_node(w->ctx, depth, name);
			p += ALIGN_UP(strlen(name) + 1, 4);
			break;
		}
		case FDT_END_NODE:
			if (w->end_node)
				w->end_node(w->ctx, depth);
			depth--;
			break;
		case FDT_PROP: {
			u32 len = fdt_be32(p);
			const char *name = (const char *)strings + fdt_be32(p + 4);

			if (w->prop)
				w->prop(w->ctx, depth, name, p + 8, len);
			p += 8 + ALIGN_UP(len, 4);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == -1;
		default:
			return false;
		}
	}
	return false;
}

struct cpus_ctx {
	bool in_cpus;
	unsigned int count;
};

static void cpus_begin(void *ctx, int depth, const char *name)
{
	struct cpus_ctx *c = ctx;

	if (depth == 1)
		c->in_cpus = !strcmp(name, "cpus");
	else if (depth == 2 && c->in_cpus && !strncmp(name, "cpu@", 4))
		c->count++;
}

int fdt_count_cpus(const void *fdt)
{
	struct cpus_ctx c = { false, 0 };
	struct fdt_walker w = { .begin_node = cpus_begin, .ctx = &c };

	if (!fdt || !fdt_walk(fdt, &w))
		return -1;
	return (int)c.count;
}
