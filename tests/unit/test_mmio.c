// SPDX-License-Identifier: GPL-2.0-only
/* The MMIO registry, its array in pages of an allocator over host memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include "stub_printk.h"
#include "unit_helpers.h"

#define MEM_SIZE (4UL << 20)
#define NR_DEVS	 300

static u64 free_at_start;
static struct mmio_bus bus;

/* One emulated device: records its last access. */
struct fake_dev {
	unsigned int id;
	unsigned int reads, writes;
	u64 offset;
	unsigned int size;
	u64 written;
	struct vcpu *vcpu;
};

static struct fake_dev devs[NR_DEVS];

static int fake_read(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 *val)
{
	struct fake_dev *d = priv;

	d->reads++;
	d->offset = offset;
	d->size = size;
	d->vcpu = vcpu;
	*val = ((u64)d->id << 32) | offset;
	return 0;
}

static int fake_write(struct vcpu *vcpu, void *priv, u64 offset, unsigned int size, u64 val)
{
	struct fake_dev *d = priv;

	d->writes++;
	d->offset = offset;
	d->size = size;
	d->written = val;
	d->vcpu = vcpu;
	/* This device rejects writes to offset 0x10. */
	return offset == 0x10 ? -TERN_EIO : 0;
}

static const struct mmio_ops fake_ops = { .read = fake_read, .write = fake_write };
static const struct mmio_ops read_only_ops = { .read = fake_read };

static u64 free_pages(void)
{
	return unit_arena_free_pages();
}

static int group_setup(void **state)
{
	return unit_arena_create(MEM_SIZE);
}

static int group_teardown(void **state)
{
	unit_arena_destroy();
	return 0;
}

static int setup(void **state)
{
	unit_arena_reset();
	free_at_start = free_pages();
	memset(devs, 0, sizeof(devs));
	for (unsigned int i = 0; i < NR_DEVS; i++)
		devs[i].id = i;
	mmio_bus_init(&bus);
	stub_printk_reset();
	return 0;
}

static int teardown(void **state)
{
	mmio_bus_destroy(&bus);
	assert_int_equal(free_pages(), free_at_start);
	return 0;
}

/* Device i: at 0x10000000 + i * 0x3000, 0x1000 + (i % 3) * 0x800 bytes (gaps between). */
static ipa_t dev_base(unsigned int i)
{
	return 0x10000000ULL + (u64)i * 0x3000;
}

static u64 dev_size(unsigned int i)
{
	return 0x1000 + (i % 3) * 0x800;
}

static u64 rng_state = 0x2545F4914F6CDD1DULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void register_all_shuffled(void)
{
	unsigned int order[NR_DEVS];

	for (unsigned int i = 0; i < NR_DEVS; i++)
		order[i] = i;
	for (unsigned int i = NR_DEVS - 1; i > 0; i--) {
		unsigned int j = rng() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned int k = 0; k < NR_DEVS; k++) {
		unsigned int i = order[k];

		assert_int_equal(
		    mmio_register(&bus, dev_base(i), dev_size(i), &fake_ops, &devs[i], "fake"), 0);
	}
}

static void expect_dev(ipa_t addr, unsigned int size, unsigned int i)
{
	const struct mmio_region *r = mmio_find(&bus, addr, size);

	if (!r)
		fail_msg("0x%llx/%u: not found, expected device %u", (unsigned long long)addr, size,
			 i);
	assert_ptr_equal(r->priv, &devs[i]);
	assert_int_equal(r->base, dev_base(i));
	assert_int_equal(r->size, dev_size(i));
	assert_ptr_equal(r->ops, &fake_ops);
	assert_string_equal(r->name, "fake");
}

static void test_many_regions(void **state)
{
	register_all_shuffled();
	assert_int_equal(bus.nr, NR_DEVS);
	assert_true(bus.cap >= NR_DEVS);
	/* Sorted by base. */
	for (unsigned int i = 1; i < bus.nr; i++)
		assert_true(bus.regions[i - 1].base < bus.regions[i].base);

	for (unsigned int i = 0; i < NR_DEVS; i++) {
		ipa_t b = dev_base(i), last = b + dev_size(i) - 1;

		/* First byte, last byte, a word in the middle, the last 8 bytes. */
		expect_dev(b, 1, i);
		expect_dev(last, 1, i);
		expect_dev(b + 0x800, 4, i);
		expect_dev(last - 7, 8, i);
		/* Straddling the end, before the start, in the gap after. */
		assert_null(mmio_find(&bus, last - 3, 8));
		assert_null(mmio_find(&bus, last, 2));
		assert_null(mmio_find(&bus, b - 1, 1));
		assert_null(mmio_find(&bus, b - 4, 8));
		assert_null(mmio_find(&bus, last + 1, 4));
	}
	assert_null(mmio_find(&bus, 0, 4));
	assert_null(mmio_find(&bus, ~0ULL - 3, 4));
	assert_null(mmio_find(&bus, ~0ULL, 8)); /* wraps */
	assert_null(mmio_find(&bus, dev_base(0), 0));
}

static void test_growth_keeps_everything(void **state)
{
	u64 before = free_pages();
	unsigned int last_cap = 0, growths = 0;

	/* Ascending, descending, then the odd ones in the middle: every insert position. */
	for (unsigned int i = 0; i < NR_DEVS; i += 2) {
		unsigned int idx = i % 4 ? NR_DEVS - 1 - i : i;

		assert_int_equal(mmio_register(&bus, dev_base(idx), dev_size(idx), &fake_ops,
					       &devs[idx], "fake"),
				 0);
		if (bus.cap != last_cap) {
			growths++;
			last_cap = bus.cap;
		}
		/* The array is one block of 2^order pages. */
		assert_int_equal(before - free_pages(), 1U << bus.order);
	}
	for (unsigned int i = 0; i < NR_DEVS; i++) {
		unsigned int idx = i % 4 ? NR_DEVS - 1 - i : i;
		bool registered = i % 2 == 0;

		if (registered)
			expect_dev(dev_base(idx), 1, idx);
	}
	for (unsigned int i = 0; i < NR_DEVS; i++) {
		if (mmio_find(&bus, dev_base(i), 1))
			continue;
		assert_int_equal(
		    mmio_register(&bus, dev_base(i), dev_size(i), &fake_ops, &devs[i], "fake"), 0);
		if (bus.cap != last_cap) {
			growths++;
			last_cap = bus.cap;
		}
	}
	/* 300 regions of 40 bytes: one, two, four pages. */
	assert_int_equal(growths, 3);
	assert_int_equal(bus.nr, NR_DEVS);
	for (unsigned int i = 0; i < NR_DEVS; i++)
		expect_dev(dev_base(i) + dev_size(i) - 1, 1, i);
	for (unsigned int i = 1; i < bus.nr; i++)
		assert_true(bus.regions[i - 1].base < bus.regions[i].base);
}

static void test_overlaps(void **state)
{
	const ipa_t b = 0x9000000;

	assert_int_equal(mmio_register(&bus, b, 0x1000, &fake_ops, &devs[0], "a"), 0);
	assert_int_equal(mmio_register(&bus, b + 0x3000, 0x1000, &fake_ops, &devs[1], "b"), 0);

	/* Same, inside, enclosing, over either edge, bridging both. */
	assert_int_equal(mmio_register(&bus, b, 0x1000, &fake_ops, NULL, "x"), -TERN_EEXIST);
	assert_int_equal(mmio_register(&bus, b + 0x10, 4, &fake_ops, NULL, "x"), -TERN_EEXIST);
	assert_int_equal(mmio_register(&bus, b - 0x1000, 0x3000, &fake_ops, NULL, "x"),
			 -TERN_EEXIST);
	assert_int_equal(mmio_register(&bus, b - 0x10, 0x11, &fake_ops, NULL, "x"), -TERN_EEXIST);
	assert_int_equal(mmio_register(&bus, b + 0xfff, 0x10, &fake_ops, NULL, "x"), -TERN_EEXIST);
	assert_int_equal(mmio_register(&bus, b + 0x2fff, 2, &fake_ops, NULL, "x"), -TERN_EEXIST);
	assert_int_equal(mmio_register(&bus, b + 0x800, 0x3000, &fake_ops, NULL, "x"),
			 -TERN_EEXIST);
	assert_int_equal(mmio_register(&bus, 0, ~0ULL, &fake_ops, NULL, "x"), -TERN_EEXIST);
	/* Empty, wrapping, no ops. */
	assert_int_equal(mmio_register(&bus, 0x1000, 0, &fake_ops, NULL, "x"), -TERN_EINVAL);
	assert_int_equal(mmio_register(&bus, ~0ULL - 0xf, 0x20, &fake_ops, NULL, "x"),
			 -TERN_EINVAL);
	assert_int_equal(mmio_register(&bus, 0x1000, 0x10, NULL, NULL, "x"), -TERN_EINVAL);
	assert_int_equal(bus.nr, 2);

	/* Touching without overlap is fine: the gap between, right below, and up to 2^64 - 1. */
	assert_int_equal(mmio_register(&bus, b + 0x1000, 0x2000, &fake_ops, &devs[2], "gap"), 0);
	assert_int_equal(mmio_register(&bus, b - 0x10, 0x10, &fake_ops, &devs[3], "below"), 0);
	assert_int_equal(mmio_register(&bus, ~0ULL - 0xf, 0x10, &fake_ops, &devs[4], "top"), 0);
	assert_int_equal(mmio_register(&bus, 0, 1, &fake_ops, &devs[5], "zero"), 0);
	assert_int_equal(bus.nr, 6);
	assert_ptr_equal(mmio_find(&bus, b + 0xfff, 1)->priv, &devs[0]);
	assert_ptr_equal(mmio_find(&bus, b + 0x1000, 1)->priv, &devs[2]);
	assert_ptr_equal(mmio_find(&bus, b + 0x2fff, 1)->priv, &devs[2]);
	assert_ptr_equal(mmio_find(&bus, b + 0x3000, 1)->priv, &devs[1]);
	assert_ptr_equal(mmio_find(&bus, b - 1, 1)->priv, &devs[3]);
	assert_ptr_equal(mmio_find(&bus, ~0ULL - 7, 8)->priv, &devs[4]);
	assert_ptr_equal(mmio_find(&bus, 0, 1)->priv, &devs[5]);
	assert_null(mmio_find(&bus, 0, 2));
	/* Across two adjacent regions: neither claims it. */
	assert_null(mmio_find(&bus, b + 0xffe, 4));
}

static void test_dispatch(void **state)
{
	struct vcpu *vcpu = (struct vcpu *)0x1234;
	u64 val;

	register_all_shuffled();

	for (unsigned int i = 0; i < NR_DEVS; i += 7) {
		u64 off = (i * 8) % dev_size(i);

		val = 0xdead;
		assert_int_equal(mmio_dispatch(&bus, vcpu, dev_base(i) + off, 4, false, &val), 0);
		assert_int_equal(val, ((u64)i << 32) | off);
		assert_int_equal(devs[i].reads, 1);
		assert_int_equal(devs[i].offset, off);
		assert_int_equal(devs[i].size, 4);
		assert_ptr_equal(devs[i].vcpu, vcpu);

		val = 0x1122334455667788ULL;
		assert_int_equal(
		    mmio_dispatch(&bus, vcpu, dev_base(i) + dev_size(i) - 8, 8, true, &val), 0);
		assert_int_equal(devs[i].writes, 1);
		assert_int_equal(devs[i].offset, dev_size(i) - 8);
		assert_int_equal(devs[i].size, 8);
		assert_int_equal(devs[i].written, 0x1122334455667788ULL);
	}
	/* Only the addressed devices saw accesses. */
	for (unsigned int i = 0; i < NR_DEVS; i++)
		assert_int_equal(devs[i].reads + devs[i].writes, i % 7 ? 0 : 2);

	/* The device's own error goes back to the caller. */
	val = 1;
	assert_int_equal(mmio_dispatch(&bus, vcpu, dev_base(5) + 0x10, 2, true, &val), -TERN_EIO);
	assert_int_equal(devs[5].size, 2);

	/* Nothing there, straddling an end, odd sizes. */
	val = 0;
	assert_int_equal(mmio_dispatch(&bus, vcpu, 0x1000, 4, false, &val), -TERN_ENOENT);
	assert_int_equal(mmio_dispatch(&bus, vcpu, dev_base(1) - 4, 4, true, &val), -TERN_ENOENT);
	assert_int_equal(mmio_dispatch(&bus, vcpu, dev_base(1) + dev_size(1) - 4, 8, false, &val),
			 -TERN_ENOENT);
	assert_int_equal(mmio_dispatch(&bus, vcpu, dev_base(1), 3, false, &val), -TERN_EINVAL);
	assert_int_equal(mmio_dispatch(&bus, vcpu, dev_base(1), 0, false, &val), -TERN_EINVAL);
	assert_int_equal(devs[1].reads + devs[1].writes, 0);

	/* An empty bus claims nothing. */
	mmio_bus_destroy(&bus);
	assert_int_equal(mmio_dispatch(&bus, vcpu, dev_base(0), 4, false, &val), -TERN_ENOENT);
	assert_null(mmio_find(&bus, dev_base(0), 4));
}

static void test_missing_handler(void **state)
{
	u64 val = 5;

	assert_int_equal(mmio_register(&bus, 0x1000, 0x100, &read_only_ops, &devs[0], "ro"), 0);
	assert_int_equal(mmio_dispatch(&bus, NULL, 0x1004, 4, false, &val), 0);
	assert_int_equal(val, 4);
	assert_int_equal(mmio_dispatch(&bus, NULL, 0x1004, 4, true, &val), -TERN_EPERM);
	assert_int_equal(devs[0].writes, 0);
}

static void test_out_of_memory(void **state)
{
	unsigned int cap;

	/* Fill the first page, then leave no page for the second array. */
	assert_int_equal(mmio_register(&bus, dev_base(0), dev_size(0), &fake_ops, &devs[0], "fake"),
			 0);
	cap = bus.cap;
	for (unsigned int i = 1; i < cap; i++)
		assert_int_equal(
		    mmio_register(&bus, dev_base(i), dev_size(i), &fake_ops, &devs[i], "fake"), 0);
	assert_int_equal(bus.nr, cap);
	while (page_alloc(0))
		;
	assert_int_equal(
	    mmio_register(&bus, dev_base(cap), dev_size(cap), &fake_ops, &devs[cap], "fake"),
	    -TERN_ENOMEM);
	/* Unchanged. */
	assert_int_equal(bus.nr, cap);
	for (unsigned int i = 0; i < cap; i++)
		expect_dev(dev_base(i), 1, i);
	assert_null(mmio_find(&bus, dev_base(cap), 1));
	mmio_bus_destroy(&bus);
	mmio_bus_init(&bus);
	free_at_start = free_pages(); /* the pages taken above stay taken */
}

/* Unregistering removes exactly the region at that base; the others stay found, sorted. */
static void test_unregister(void **state)
{
	u64 val;

	register_all_shuffled();
	assert_int_equal(mmio_unregister(&bus, dev_base(7) + 4), -TERN_ENOENT);
	assert_int_equal(mmio_unregister(&bus, dev_base(0) - 0x1000), -TERN_ENOENT);
	for (unsigned int i = 0; i < NR_DEVS; i += 3)
		assert_int_equal(mmio_unregister(&bus, dev_base(i)), 0);
	assert_int_equal(bus.nr, NR_DEVS - (NR_DEVS + 2) / 3);
	for (unsigned int i = 0; i < NR_DEVS; i++) {
		if (i % 3 == 0) {
			assert_null(mmio_find(&bus, dev_base(i), 1));
			assert_int_equal(mmio_dispatch(&bus, NULL, dev_base(i), 4, false, &val),
					 -TERN_ENOENT);
		} else {
			expect_dev(dev_base(i) + dev_size(i) - 1, 1, i);
		}
	}
	assert_int_equal(mmio_unregister(&bus, dev_base(0)), -TERN_ENOENT);
	/* The freed base can be registered again. */
	assert_int_equal(mmio_register(&bus, dev_base(0), dev_size(0), &fake_ops, &devs[0], "fake"),
			 0);
	expect_dev(dev_base(0), 4, 0);
	for (unsigned int i = 1; i < bus.nr; i++)
		assert_true(bus.regions[i - 1].base < bus.regions[i].base);
}

/*
 * A vCPU's cached region (mmio_find_cached()): filled by a lookup, then answering accesses
 * inside it; an access outside it or across its end looks on the bus; after any registration
 * or removal, or on a bus made again (a VM created anew), the copy is never used again, even
 * for a region at the same base, size and bus generation count.
 */
static void test_cache(void **state)
{
	struct mmio_cache c = { 0 };
	const struct mmio_region *r;
	struct mmio_bus other;

	/* Empty: nothing held, and nothing found on an empty bus. */
	assert_null(mmio_find_cached(&bus, &c, dev_base(1), 4));
	assert_int_equal(c.r.size, 0);
	for (unsigned int i = 1; i <= 3; i++)
		assert_int_equal(
		    mmio_register(&bus, dev_base(i), dev_size(i), &fake_ops, &devs[i], "fake"), 0);
	r = mmio_find_cached(&bus, &c, dev_base(2) + 8, 4);
	assert_ptr_equal(r, &c.r);
	assert_ptr_equal(r->priv, &devs[2]);
	assert_true(mmio_cache_holds(&c, &bus, dev_base(2) + dev_size(2) - 4, 4));
	assert_false(mmio_cache_holds(&c, &bus, dev_base(2) + dev_size(2) - 2, 4));
	assert_false(mmio_cache_holds(&c, &bus, dev_base(2) - 1, 1));
	/* Another device: found on the bus, and cached instead. */
	r = mmio_find_cached(&bus, &c, dev_base(3), 1);
	assert_ptr_equal(r->priv, &devs[3]);
	assert_false(mmio_cache_holds(&c, &bus, dev_base(2), 1));
	/* Across the end of a device: not found (no device holds it), the cache kept. */
	assert_null(mmio_find_cached(&bus, &c, dev_base(3) + dev_size(3) - 2, 4));
	assert_ptr_equal(c.r.priv, &devs[3]);

	/* Removed: no longer held; registered again at the same place with another device. */
	assert_int_equal(mmio_unregister(&bus, dev_base(3)), 0);
	assert_false(mmio_cache_holds(&c, &bus, dev_base(3), 1));
	assert_null(mmio_find_cached(&bus, &c, dev_base(3), 1));
	assert_int_equal(
	    mmio_register(&bus, dev_base(3), dev_size(3), &read_only_ops, &devs[7], "other"), 0);
	assert_false(mmio_cache_holds(&c, &bus, dev_base(3), 1));
	r = mmio_find_cached(&bus, &c, dev_base(3), 1);
	assert_ptr_equal(r->priv, &devs[7]);
	assert_ptr_equal(r->ops, &read_only_ops);
	/* A registration elsewhere also retires the copy (the bus changed). */
	assert_int_equal(mmio_register(&bus, dev_base(9), dev_size(9), &fake_ops, &devs[9], "x"),
			 0);
	assert_false(mmio_cache_holds(&c, &bus, dev_base(3), 1));
	r = mmio_find_cached(&bus, &c, dev_base(3), 1);
	assert_ptr_equal(r->priv, &devs[7]);

	/* A bus made again with the same registrations: the copy from before is not used. */
	mmio_bus_destroy(&bus);
	mmio_bus_init(&bus);
	for (unsigned int i = 1; i <= 3; i++)
		assert_int_equal(
		    mmio_register(&bus, dev_base(i), dev_size(i), &fake_ops, &devs[i + 10], "fake"),
		    0);
	assert_false(mmio_cache_holds(&c, &bus, dev_base(3), 1));
	assert_ptr_equal(mmio_find_cached(&bus, &c, dev_base(3), 1)->priv, &devs[13]);
	/* Nor by another bus with the same registrations. */
	mmio_bus_init(&other);
	for (unsigned int i = 1; i <= 3; i++)
		assert_int_equal(
		    mmio_register(&other, dev_base(i), dev_size(i), &fake_ops, &devs[i], "fake"),
		    0);
	assert_false(mmio_cache_holds(&c, &other, dev_base(3), 1));
	assert_ptr_equal(mmio_find_cached(&other, &c, dev_base(3), 1)->priv, &devs[3]);
	mmio_bus_destroy(&other);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_many_regions),	 T(test_growth_keeps_everything),
		T(test_overlaps),	 T(test_dispatch),
		T(test_missing_handler), T(test_out_of_memory),
		T(test_unregister),	 T(test_cache),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
