/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_MMIO_H
#define TERN_MMIO_H

#include <tern/errno.h>
#include <tern/types.h>

struct vcpu;

/*
 * An emulated device region (Xen's register_mmio_handler is the model): const ops plus a
 * private pointer, registered per VM. Handlers get the offset into the region and the access
 * size in bytes (1, 2, 4 or 8). A non-zero return makes Tern inject a synchronous external
 * abort into the guest, as real hardware would for an access the device rejects.
 */
struct mmio_ops {
	int (*read)(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 *val);
	int (*write)(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 val);
};

struct mmio_region {
	ipa_t base;
	u64 size;
	const struct mmio_ops *ops;
	void *priv;
	const char *name;
};

/*
 * A VM's regions, sorted by base, in a page-allocated array that grows as needed. @gen names
 * the set of regions: every registration and removal gives the bus a number no bus has had
 * (mmio_cache).
 */
struct mmio_bus {
	struct mmio_region *regions;
	unsigned int nr;
	unsigned int cap;
	unsigned int order; /* page order of the current array */
	u64 gen;
};

/*
 * A copy of the region a vCPU accessed last, and the bus's @gen when it was copied: while the
 * bus has that number it still holds the same region (ops, private pointer), so an access inside
 * it is found without reading the bus's array. Zeroed: empty (size 0 holds nothing).
 */
struct mmio_cache {
	struct mmio_region r;
	u64 gen;
};

void mmio_bus_init(struct mmio_bus *bus);
void mmio_bus_destroy(struct mmio_bus *bus);
/*
 * -TERN_EEXIST if it overlaps a registered region, -TERN_EINVAL for an empty or wrapping one (a
 * region may end at 2^64 - 1) or without ops, -TERN_ENOMEM when the array cannot grow.
 * Registration is not locked against mmio_dispatch(): register before the vCPUs run, or under a
 * lock the dispatchers take too.
 */
int mmio_register(struct mmio_bus *bus, ipa_t base, u64 size, const struct mmio_ops *ops,
		  void *priv, const char *name);
/* Remove the region registered at @base (device teardown); -TERN_ENOENT if there is none. */
int mmio_unregister(struct mmio_bus *bus, ipa_t base);
/* The region containing all of [addr, addr + size), or NULL. */
const struct mmio_region *mmio_find(const struct mmio_bus *bus, ipa_t addr, unsigned int size);
/* Does @r hold all of [addr, addr + size)? (Inline: every emulated access asks.) */
static inline bool mmio_region_holds(const struct mmio_region *r, ipa_t addr, unsigned int size)
{
	u64 off = addr - r->base; /* huge when addr is below the base */

	/* Regions never wrap (mmio_register()), so neither does an access that fits in one. */
	return off < r->size && size && size <= r->size - off;
}
/*
 * mmio_find() that fills @c with the region found (the caller's own cache, e.g. per vCPU) and
 * returns that copy; NULL (and @c unchanged) when no region holds the access.
 */
const struct mmio_region *mmio_find_fill(const struct mmio_bus *bus, struct mmio_cache *c,
					 ipa_t addr, unsigned int size);

/*
 * mmio_find() through @c: its copy when the bus is unchanged since it was filled and the copy
 * holds the access (inline: one device accessed again and again), else mmio_find_fill().
 */
static inline bool mmio_cache_holds(const struct mmio_cache *c, const struct mmio_bus *bus,
				    ipa_t addr, unsigned int size)
{
	/* Regions are disjoint: the cached one, if it holds the access, is the one to find. */
	return c->gen == bus->gen && mmio_region_holds(&c->r, addr, size);
}

static inline const struct mmio_region *
mmio_find_cached(const struct mmio_bus *bus, struct mmio_cache *c, ipa_t addr, unsigned int size)
{
	if (mmio_cache_holds(c, bus, addr, size))
		return &c->r;
	return mmio_find_fill(bus, c, addr, size);
}

/*
 * A read or write of region @r, which holds all of it (mmio_region_holds()), size 1, 2, 4 or 8:
 * what mmio_dispatch() does without the lookup. Inline: the emulated access calls the device's
 * handler directly.
 */
static inline int mmio_region_read(const struct mmio_region *r, struct vcpu *vcpu, ipa_t addr,
				   unsigned int size, u64 *val)
{
	*val = 0;
	return r->ops->read ? r->ops->read(vcpu, r->priv, addr - r->base, size, val) : -TERN_EPERM;
}

static inline int mmio_region_write(const struct mmio_region *r, struct vcpu *vcpu, ipa_t addr,
				    unsigned int size, u64 val)
{
	return r->ops->write ? r->ops->write(vcpu, r->priv, addr - r->base, size, val)
			     : -TERN_EPERM;
}

/* Either of those, for any size (-TERN_EINVAL unless 1, 2, 4 or 8). */
static inline int mmio_region_access(const struct mmio_region *r, struct vcpu *vcpu, ipa_t addr,
				     unsigned int size, bool write, u64 *val)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -TERN_EINVAL;
	return write ? mmio_region_write(r, vcpu, addr, size, *val)
		     : mmio_region_read(r, vcpu, addr, size, val);
}
/*
 * Perform one access (size 1, 2, 4 or 8, else -TERN_EINVAL): -TERN_ENOENT when no region holds all
 * of it, -TERN_EPERM when the region has no handler for its direction, else what the device
 * returned. Reads set *val to 0 before calling the handler.
 */
int mmio_dispatch(const struct mmio_bus *bus, struct vcpu *vcpu, ipa_t addr, unsigned int size,
		  bool write, u64 *val);

#endif
