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

/* A VM's regions, sorted by base, in a page-allocated array that grows as needed. */
struct mmio_bus {
	struct mmio_region *regions;
	unsigned int nr;
	unsigned int cap;
	unsigned int order; /* page order of the current array */
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
 * mmio_find() that first tries the region at index *@hint (a caller's last hit, e.g. per vCPU)
 * and updates *@hint on a new hit: one comparison for a device accessed again and again. Any
 * value of *@hint is safe (it is checked against the bus). The hint is tried inline.
 */
const struct mmio_region *mmio_find_update_hint(const struct mmio_bus *bus, unsigned int *hint,
						ipa_t addr, unsigned int size);
static inline const struct mmio_region *
mmio_find_hint(const struct mmio_bus *bus, unsigned int *hint, ipa_t addr, unsigned int size)
{
	/* Regions are disjoint: the hinted one, if it holds the access, is the one to find. */
	if (*hint < bus->nr && mmio_region_holds(&bus->regions[*hint], addr, size))
		return &bus->regions[*hint];
	return mmio_find_update_hint(bus, hint, addr, size);
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
