// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VM's emulated MMIO regions: an array sorted by base, found by binary search. The array lives
 * in pages from the page allocator and doubles when full, so there is no fixed limit.
 *
 * Registration is not locked against dispatch: register regions while the VM's vCPUs are stopped
 * (or under a lock the dispatchers also take).
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>

/* The last number given to a bus's set of regions (struct mmio_cache); never reused. */
static u64 mmio_gen_last;

/* A number no bus has had: a cache filled before (from any bus, any VM) never matches it. */
static void mmio_bus_changed(struct mmio_bus *bus)
{
	bus->gen = __atomic_add_fetch(&mmio_gen_last, 1, __ATOMIC_RELAXED);
}

void mmio_bus_init(struct mmio_bus *bus)
{
	bus->regions = NULL;
	bus->nr = 0;
	bus->cap = 0;
	bus->order = 0;
	mmio_bus_changed(bus);
}

void mmio_bus_destroy(struct mmio_bus *bus)
{
	if (bus->regions)
		page_free((paddr_t)bus->regions, bus->order);
	mmio_bus_init(bus);
}

static u64 mmio_last(const struct mmio_region *r)
{
	return r->base + (r->size - 1);
}

/* Index of the first region whose base is above @addr (bus->nr if none). */
static unsigned int mmio_upper_bound(const struct mmio_bus *bus, ipa_t addr)
{
	unsigned int lo = 0, hi = bus->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (bus->regions[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int mmio_grow(struct mmio_bus *bus)
{
	unsigned int order = bus->regions ? bus->order + 1 : 0;
	struct mmio_region *regions;

	if (order > PAGE_ALLOC_MAX_ORDER)
		return -TERN_ENOMEM;
	regions = page_zalloc(order);
	if (!regions)
		return -TERN_ENOMEM;
	if (bus->regions) {
		memcpy(regions, bus->regions, bus->nr * sizeof(*regions));
		page_free((paddr_t)bus->regions, bus->order);
	}
	bus->regions = regions;
	bus->order = order;
	bus->cap = (unsigned int)((PAGE_SIZE << order) / sizeof(*regions));
	return 0;
}

__cold int mmio_register(struct mmio_bus *bus, ipa_t base, u64 size, const struct mmio_ops *ops,
			 void *priv, const char *name)
{
	u64 last = base + (size - 1);
	unsigned int i;
	int rc;

	if (!size || last < base || !ops)
		return -TERN_EINVAL;
	i = mmio_upper_bound(bus, base);
	/* Sorted and disjoint: only the neighbours can overlap. */
	if (i > 0 && mmio_last(&bus->regions[i - 1]) >= base)
		return -TERN_EEXIST;
	if (i < bus->nr && bus->regions[i].base <= last)
		return -TERN_EEXIST;
	if (bus->nr == bus->cap) {
		rc = mmio_grow(bus);
		if (rc)
			return rc;
	}
	memmove(&bus->regions[i + 1], &bus->regions[i], (bus->nr - i) * sizeof(bus->regions[0]));
	bus->regions[i] = (struct mmio_region){
		.base = base,
		.size = size,
		.ops = ops,
		.priv = priv,
		.name = name,
	};
	bus->nr++;
	mmio_bus_changed(bus);
	return 0;
}

__cold int mmio_unregister(struct mmio_bus *bus, ipa_t base)
{
	unsigned int i = mmio_upper_bound(bus, base);

	if (!i || bus->regions[i - 1].base != base)
		return -TERN_ENOENT;
	i--;
	memmove(&bus->regions[i], &bus->regions[i + 1],
		(bus->nr - i - 1) * sizeof(bus->regions[0]));
	bus->nr--;
	bus->regions[bus->nr] = (struct mmio_region){ 0 };
	mmio_bus_changed(bus);
	return 0;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, ipa_t addr, unsigned int size)
{
	unsigned int i;
	const struct mmio_region *r;
	u64 last = addr + (size - 1);

	if (!size || last < addr)
		return NULL;
	i = mmio_upper_bound(bus, addr);
	if (!i)
		return NULL;
	r = &bus->regions[i - 1];
	/* addr >= r->base; the whole access must lie inside (an access straddling the end does not
	 * belong to this device). */
	return last <= mmio_last(r) ? r : NULL;
}

const struct mmio_region *mmio_find_fill(const struct mmio_bus *bus, struct mmio_cache *c,
					 ipa_t addr, unsigned int size)
{
	const struct mmio_region *r = mmio_find(bus, addr, size);

	if (!r)
		return NULL;
	c->r = *r;
	c->gen = bus->gen;
	return &c->r;
}

int mmio_dispatch(const struct mmio_bus *bus, struct vcpu *vcpu, ipa_t addr, unsigned int size,
		  bool write, u64 *val)
{
	const struct mmio_region *r;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -TERN_EINVAL;
	r = mmio_find(bus, addr, size);
	if (!r)
		return -TERN_ENOENT;
	return mmio_region_access(r, vcpu, addr, size, write, val);
}
