// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated GICv3 distributor (virt/vgic_v3_dist.c + virt/vgic_mmio.c) against fake VM
 * plumbing: mmio_register records the region so the test calls its ops directly, page_zalloc is
 * the host heap, vgic_irq_changed records its calls. Expected values come from Arm IHI 0069.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/page_alloc.h>
#include <tern/vm.h>
#include <virt/guest_map.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>
#include "unit_helpers.h"
#include "stub_vgic_active.h"
#include "vgic_index_check.h"

/* ---- fakes ---- */

#define MAX_REGIONS 4
#define MAX_CHANGED 256

static struct {
	struct mmio_region regions[MAX_REGIONS];
	unsigned int nr_regions;
	int register_err;
	struct vgic_irq *changed[MAX_CHANGED];
	bool changed_locked[MAX_CHANGED];
	unsigned int nr_changed;
} fake;

int mmio_register(struct mmio_bus *bus, ipa_t base, u64 size, const struct mmio_ops *ops,
		  void *priv, const char *name)
{
	(void)bus;
	if (fake.register_err)
		return fake.register_err;
	assert_true(fake.nr_regions < MAX_REGIONS);
	fake.regions[fake.nr_regions++] = (struct mmio_region){
		.base = base, .size = size, .ops = ops, .priv = priv, .name = name
	};
	return 0;
}

int mmio_unregister(struct mmio_bus *bus, ipa_t base)
{
	(void)bus;
	for (unsigned int i = 0; i < fake.nr_regions; i++) {
		if (fake.regions[i].base == base) {
			fake.regions[i] = fake.regions[--fake.nr_regions];
			return 0;
		}
	}
	return -TERN_ENOENT;
}

void vgic_irq_changed(struct vm *vm, struct vgic_irq *irq)
{
	struct spinlock *l = &vm->vgic->lock;

	assert_true(fake.nr_changed < MAX_CHANGED);
	fake.changed_locked[fake.nr_changed] = spin_is_locked(l);
	fake.changed[fake.nr_changed++] = irq;
}

/* ---- helpers ---- */

struct fixture {
	struct vm vm;
	struct vcpu vcpus[VM_MAX_VCPUS];
	struct vgic_cpu cpus[VM_MAX_VCPUS];
	const struct mmio_region *region;
};

static struct fixture *make(unsigned int nr_vcpus)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memset(&fake, 0, sizeof(fake));
	stub_vgic_active_reset();
	f->vm.nr_vcpus = nr_vcpus;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		f->vcpus[i].id = i;
		f->vcpus[i].vm = &f->vm;
		f->vcpus[i].vgic = &f->cpus[i];
		f->vcpus[i].arch.vmpidr = (1ULL << 31) | i;
		f->vm.vcpus[i] = &f->vcpus[i];
		for (unsigned int n = 0; n < VGIC_NR_PRIVATE; n++)
			vgic_mmio_reset_irq(&f->cpus[i].priv[n], n);
	}
	assert_int_equal(vgic_v3_dist_init(&f->vm), 0);
	assert_int_equal(fake.nr_regions, 1);
	f->region = &fake.regions[0];
	return f;
}

static int setup(void **state)
{
	*state = make(4);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	page_free((paddr_t)f->vm.vgic, sizeof(struct vgic_dist) <= PAGE_SIZE ? 0 : 1);
	assert_int_equal(unit_pages_live, 0);
	free(f);
	return 0;
}

static int rd_rc(struct fixture *f, u64 off, unsigned int size, u64 *val)
{
	*val = 0;
	return f->region->ops->read(&f->vcpus[0], f->region->priv, off, size, val);
}

static int wr_rc(struct fixture *f, u64 off, unsigned int size, u64 val)
{
	return f->region->ops->write(&f->vcpus[0], f->region->priv, off, size, val);
}

static u64 rd(struct fixture *f, u64 off, unsigned int size)
{
	u64 v;

	assert_int_equal(rd_rc(f, off, size, &v), 0);
	return v;
}

static void wr(struct fixture *f, u64 off, unsigned int size, u64 val)
{
	assert_int_equal(wr_rc(f, off, size, val), 0);
}

static struct vgic_irq *spi(struct fixture *f, u32 intid)
{
	return &f->vm.vgic->spis[intid - 32];
}

static void own(struct fixture *f, u32 intid)
{
	spi(f, intid)->owned = true;
}

static void assert_unlocked(struct fixture *f)
{
	assert_false(spin_is_locked(&f->vm.vgic->lock));
}

/* ---- tests ---- */

static void test_region_and_alloc(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->region->base, GUEST_GICD_BASE);
	assert_int_equal(f->region->size, 0x10000);
	assert_ptr_equal(f->region->priv, &f->vm);
	assert_non_null(f->vm.vgic);
	assert_int_equal(unit_pages_live, 1);
	assert_int_equal(f->vm.vgic->nr_spis, VGIC_NR_SPIS);
	/* A second init is refused and leaves the first alone. */
	struct vgic_dist *d = f->vm.vgic;
	assert_int_equal(vgic_v3_dist_init(&f->vm), -TERN_EEXIST);
	assert_ptr_equal(f->vm.vgic, d);
}

static void test_init_register_failure(void **state)
{
	struct vm vm;

	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&fake, 0, sizeof(fake));
	stub_vgic_active_reset();
	fake.register_err = -TERN_EEXIST;
	assert_int_equal(vgic_v3_dist_init(&vm), -TERN_EEXIST);
	assert_null(vm.vgic);
	assert_int_equal(unit_pages_live, 0);
}

static void test_reset_values(void **state)
{
	struct fixture *f = *state;

	/* CTLR: ARE (bit 4) and DS (bit 6) read 1, both groups disabled, RWP 0. */
	assert_int_equal(rd(f, GICD_CTLR, 4), 0x50);
	/* TYPER: ITLinesNumber 2 (96 INTIDs), CPUNumber 3 (4 vCPUs), IDbits 9, No1N. */
	assert_int_equal(rd(f, GICD_TYPER, 4), 2 | (3 << 5) | (9 << 19) | (1 << 25));
	assert_int_equal(rd(f, GICD_IIDR, 4), 0x5400043B);
	assert_int_equal(rd(f, GICD_TYPER2, 4), 0);
	assert_int_equal(rd(f, GICD_STATUSR, 4), 0);
	/* ID registers. */
	assert_int_equal(rd(f, GICD_PIDR2, 4), 0x3B);
	assert_int_equal(rd(f, GICD_PIDR2, 4) >> 4, 3); /* ArchRev: GICv3 */
	assert_int_equal(rd(f, 0xFFF0, 4), 0x0D);
	assert_int_equal(rd(f, 0xFFF4, 4), 0xF0);
	assert_int_equal(rd(f, 0xFFF8, 4), 0x05);
	assert_int_equal(rd(f, 0xFFFC, 4), 0xB1);
	for (u64 off = 0xFFD0; off < 0xFFF0; off += 4)
		if (off != GICD_PIDR2)
			assert_int_equal(rd(f, off, 4), 0);
	/* Every SPI. */
	for (u32 intid = 32; intid < VGIC_NR_INTIDS; intid++) {
		struct vgic_irq *irq = spi(f, intid);

		assert_int_equal(irq->intid, intid);
		assert_int_equal(irq->priority, 0);
		assert_int_equal(irq->group, 0);
		assert_false(irq->enabled);
		assert_false(irq->pending_latch);
		assert_false(irq->active);
		assert_false(irq->edge);
		assert_false(irq->owned);
		assert_int_equal(irq->irouter, 0);
		own(f, intid);
	}
	/* Registers of owned SPIs at reset. */
	for (u64 n = 1; n < VGIC_NR_INTIDS / 32; n++) {
		assert_int_equal(rd(f, GICD_IGROUPR + 4 * n, 4), 0);
		assert_int_equal(rd(f, GICD_ISENABLER + 4 * n, 4), 0);
		assert_int_equal(rd(f, GICD_ISPENDR + 4 * n, 4), 0);
		assert_int_equal(rd(f, GICD_ISACTIVER + 4 * n, 4), 0);
	}
	assert_int_equal(rd(f, GICD_ICFGR + 8, 4), 0);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 32, 4), 0);
	assert_int_equal(rd(f, GICD_IROUTER + 8 * 40, 8), 0);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, 0);
	assert_int_equal(fake.nr_changed, 0);
	assert_unlocked(f);
}

static void test_typer_vcpus(void **state)
{
	(void)state;
	for (unsigned int n = 1; n <= VM_MAX_VCPUS; n++) {
		struct fixture *f = make(n);
		u64 typer = rd(f, GICD_TYPER, 4);

		assert_int_equal(typer & 0x1F, VGIC_NR_INTIDS / 32 - 1);
		assert_int_equal((typer >> 5) & 7, n - 1);
		assert_int_equal((typer >> 19) & 0x1F, 9);
		assert_false(typer & (1 << 10)); /* SecurityExtn */
		assert_false(typer & (1 << 16)); /* MBIS */
		assert_false(typer & (1 << 17)); /* LPIS */
		assert_true(typer & (1 << 25));	 /* No1N */
		/* Linux: (ITLinesNumber + 1) * 32 INTIDs, capped at 1020. */
		assert_int_equal(((typer & 0x1F) + 1) * 32, VGIC_NR_INTIDS);
		teardown((void **)&f);
	}
}

static void test_ctlr(void **state)
{
	struct fixture *f = *state;

	wr(f, GICD_CTLR, 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, GICD_CTLR, 4), 0x53);
	assert_int_equal(f->vm.vgic->ctlr, 3);
	wr(f, GICD_CTLR, 4, GICD_CTLR_ENABLE_G1);
	assert_int_equal(rd(f, GICD_CTLR, 4), 0x52);
	/* ARE and DS cannot be cleared. */
	wr(f, GICD_CTLR, 4, 0);
	assert_int_equal(rd(f, GICD_CTLR, 4), 0x50);
	/* Read-only registers ignore writes. */
	wr(f, GICD_TYPER, 4, 0);
	wr(f, GICD_IIDR, 4, 0);
	wr(f, GICD_PIDR2, 4, 0);
	assert_int_equal(rd(f, GICD_TYPER, 4) & 0x1F, 2);
	assert_int_equal(rd(f, GICD_IIDR, 4), 0x5400043B);
	assert_int_equal(rd(f, GICD_PIDR2, 4), 0x3B);
}

static void test_ctlr_enable_kicks_pending(void **state)
{
	struct fixture *f = *state;

	own(f, 40);
	own(f, 41);
	spi(f, 40)->enabled = true;
	spi(f, 40)->pending_latch = true;
	spi(f, 41)->pending_latch = true; /* disabled: not kicked */
	spi(f, 42)->enabled = true;	  /* not owned: not kicked */
	spi(f, 42)->pending_latch = true;
	f->cpus[2].priv[27].enabled = true;
	f->cpus[2].priv[27].line_level = true;
	wr(f, GICD_CTLR, 4, GICD_CTLR_ENABLE_G1);
	assert_int_equal(fake.nr_changed, 2);
	assert_ptr_equal(fake.changed[0], spi(f, 40));
	assert_ptr_equal(fake.changed[1], &f->cpus[2].priv[27]);
	assert_true(fake.changed_locked[0]);
	/* No change, no kick. */
	wr(f, GICD_CTLR, 4, GICD_CTLR_ENABLE_G1);
	assert_int_equal(fake.nr_changed, 2);
}

static void test_enable_set_clear(void **state)
{
	struct fixture *f = *state;

	own(f, 33);
	own(f, 63);
	own(f, 64);
	/* ISENABLER1 covers INTIDs 32-63. */
	wr(f, GICD_ISENABLER + 4, 4, (1U << 1) | (1U << 31));
	assert_true(spi(f, 33)->enabled);
	assert_true(spi(f, 63)->enabled);
	assert_false(spi(f, 64)->enabled);
	assert_int_equal(rd(f, GICD_ISENABLER + 4, 4), (1U << 1) | (1U << 31));
	assert_int_equal(rd(f, GICD_ICENABLER + 4, 4), (1U << 1) | (1U << 31));
	assert_int_equal(fake.nr_changed, 2);
	assert_ptr_equal(fake.changed[0], spi(f, 33));
	assert_ptr_equal(fake.changed[1], spi(f, 63));
	assert_true(fake.changed_locked[0] && fake.changed_locked[1]);
	/* Writing 1 again changes nothing; zero bits are ignored by W1S and W1C. */
	wr(f, GICD_ISENABLER + 4, 4, 1U << 1);
	wr(f, GICD_ICENABLER + 4, 4, 0);
	assert_int_equal(fake.nr_changed, 2);
	assert_true(spi(f, 33)->enabled);
	/* W1C. */
	wr(f, GICD_ICENABLER + 4, 4, 1U << 1);
	assert_false(spi(f, 33)->enabled);
	assert_true(spi(f, 63)->enabled);
	assert_int_equal(fake.nr_changed, 3);
	assert_ptr_equal(fake.changed[2], spi(f, 33));
	/* Next register: INTID 64. */
	wr(f, GICD_ISENABLER + 8, 4, 1);
	assert_true(spi(f, 64)->enabled);
	assert_int_equal(rd(f, GICD_ISENABLER + 8, 4), 1);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, 0);
	assert_unlocked(f);
}

static void test_pending_set_clear(void **state)
{
	struct fixture *f = *state;

	own(f, 34);
	own(f, 35);
	wr(f, GICD_ISPENDR + 4, 4, 1U << 2);
	assert_true(spi(f, 34)->pending_latch);
	assert_int_equal(rd(f, GICD_ISPENDR + 4, 4), 1U << 2);
	assert_int_equal(rd(f, GICD_ICPENDR + 4, 4), 1U << 2);
	assert_int_equal(fake.nr_changed, 1);
	wr(f, GICD_ICPENDR + 4, 4, 1U << 2);
	assert_false(spi(f, 34)->pending_latch);
	assert_int_equal(rd(f, GICD_ISPENDR + 4, 4), 0);
	assert_int_equal(fake.nr_changed, 2);
	/* Level-sensitive with its line asserted: pending whatever ICPENDR says. */
	spi(f, 35)->line_level = true;
	assert_int_equal(rd(f, GICD_ISPENDR + 4, 4), 1U << 3);
	wr(f, GICD_ICPENDR + 4, 4, 1U << 3);
	assert_int_equal(rd(f, GICD_ISPENDR + 4, 4), 1U << 3);
	/* An edge-triggered one is not pending from its line. */
	spi(f, 35)->edge = true;
	assert_int_equal(rd(f, GICD_ISPENDR + 4, 4), 0);
}

static void test_active_set_clear(void **state)
{
	struct fixture *f = *state;

	own(f, 95);
	wr(f, GICD_ISACTIVER + 8, 4, 1U << 31);
	assert_true(spi(f, 95)->active);
	assert_int_equal(rd(f, GICD_ISACTIVER + 8, 4), 1U << 31);
	assert_int_equal(rd(f, GICD_ICACTIVER + 8, 4), 1U << 31);
	wr(f, GICD_ICACTIVER + 8, 4, 0xFFFFFFFF);
	assert_false(spi(f, 95)->active);
	assert_int_equal(fake.nr_changed, 2);
}

static void test_group(void **state)
{
	struct fixture *f = *state;

	own(f, 32);
	own(f, 36);
	wr(f, GICD_IGROUPR + 4, 4, 0xFFFFFFFF);
	assert_int_equal(spi(f, 32)->group, 1);
	assert_int_equal(spi(f, 36)->group, 1);
	assert_int_equal(rd(f, GICD_IGROUPR + 4, 4), (1U << 0) | (1U << 4));
	/* IGROUPR is a plain read/write bitmap: zeros clear. */
	wr(f, GICD_IGROUPR + 4, 4, 1U << 4);
	assert_int_equal(spi(f, 32)->group, 0);
	assert_int_equal(spi(f, 36)->group, 1);
	assert_int_equal(fake.nr_changed, 3);
}

static void test_priority(void **state)
{
	struct fixture *f = *state;

	own(f, 32);
	own(f, 33);
	own(f, 35);
	/* Byte access, only the top VGIC_PRIO_BITS bits implemented. */
	wr(f, GICD_IPRIORITYR + 33, 1, 0xFF);
	assert_int_equal(spi(f, 33)->priority, 0xF8);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 33, 1), 0xF8);
	assert_int_equal(fake.nr_changed, 1);
	/* Word access: INTIDs 32-35, byte i = INTID 32 + i; 34 is not owned. */
	wr(f, GICD_IPRIORITYR + 32, 4, 0x12345678);
	assert_int_equal(spi(f, 32)->priority, 0x78);
	assert_int_equal(spi(f, 33)->priority, 0x50);
	assert_int_equal(spi(f, 34)->priority, 0);
	assert_int_equal(spi(f, 35)->priority, 0x10);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 32, 4), 0x10005078);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 35, 1), 0x10);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 34, 1), 0);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, 1);
	/* Only actual changes are reported (32, 33, 35). */
	assert_int_equal(fake.nr_changed, 4);
	wr(f, GICD_IPRIORITYR + 32, 4, 0x12345678);
	assert_int_equal(fake.nr_changed, 4);
	/* Low bits RAZ: writing 0x07 is priority 0. */
	wr(f, GICD_IPRIORITYR + 32, 1, 0x07);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 32, 1), 0);
}

static void test_config(void **state)
{
	struct fixture *f = *state;

	own(f, 32);
	own(f, 47);
	own(f, 48);
	/* ICFGR2 covers INTIDs 32-47. Bit 0 of each field is RES0. */
	wr(f, GICD_ICFGR + 8, 4, 0xFFFFFFFF);
	assert_true(spi(f, 32)->edge);
	assert_true(spi(f, 47)->edge);
	assert_false(spi(f, 48)->edge);
	assert_int_equal(rd(f, GICD_ICFGR + 8, 4), (2U << 0) | (2U << 30));
	assert_int_equal(fake.nr_changed, 2);
	wr(f, GICD_ICFGR + 12, 4, 2);
	assert_true(spi(f, 48)->edge);
	wr(f, GICD_ICFGR + 8, 4, 2U << 30);
	assert_false(spi(f, 32)->edge);
	assert_true(spi(f, 47)->edge);
	assert_int_equal(fake.nr_changed, 4);
}

static void test_private_intids_raz_wi(void **state)
{
	struct fixture *f = *state;
	static const u64 regs[] = { GICD_IGROUPR,   GICD_ISENABLER, GICD_ICENABLER,
				    GICD_ISPENDR,   GICD_ICPENDR,   GICD_ISACTIVER,
				    GICD_ICACTIVER, GICD_ICFGR,	    GICD_ICFGR + 4 };

	/* With ARE = 1 the distributor's registers for INTIDs 0-31 are RAZ/WI. */
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		wr(f, regs[i], 4, 0xFFFFFFFF);
		assert_int_equal(rd(f, regs[i], 4), 0);
	}
	for (u64 off = 0; off < 32; off += 4) {
		wr(f, GICD_IPRIORITYR + off, 4, 0xFFFFFFFF);
		assert_int_equal(rd(f, GICD_IPRIORITYR + off, 4), 0);
	}
	for (u64 n = 0; n < 32; n++) {
		wr(f, GICD_IROUTER + 8 * n, 8, ~0ULL);
		assert_int_equal(rd(f, GICD_IROUTER + 8 * n, 8), 0);
	}
	for (unsigned int v = 0; v < f->vm.nr_vcpus; v++)
		for (unsigned int n = 0; n < VGIC_NR_PRIVATE; n++) {
			assert_false(f->cpus[v].priv[n].enabled);
			assert_int_equal(f->cpus[v].priv[n].priority, 0);
		}
	assert_int_equal(fake.nr_changed, 0);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, 0);
}

static void test_unowned_spis(void **state)
{
	struct fixture *f = *state;
	u64 typer = rd(f, GICD_TYPER, 4);
	unsigned int nr = ((typer & 0x1F) + 1) * 32;
	unsigned int accesses = 0;

	own(f, 33);
	spi(f, 40)->enabled = true; /* a foreign SPI's state is not visible */
	spi(f, 40)->priority = 0x80;
	assert_int_equal(rd(f, GICD_ISENABLER + 4, 4), 0);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 40, 1), 0);

	/* What Linux's gic_dist_init does for every SPI. */
	wr(f, GICD_CTLR, 4, 0);
	for (unsigned int i = 32; i < nr; i += 32) {
		wr(f, GICD_IGROUPR + i / 8, 4, 0xFFFFFFFF);
		wr(f, GICD_ICENABLER + i / 8, 4, 0xFFFFFFFF);
		wr(f, GICD_ICACTIVER + i / 8, 4, 0xFFFFFFFF);
		accesses += 3;
	}
	for (unsigned int i = 32; i < nr; i += 16) {
		wr(f, GICD_ICFGR + i / 4, 4, 0);
		accesses++;
	}
	for (unsigned int i = 32; i < nr; i += 4) {
		wr(f, GICD_IPRIORITYR + i, 4, 0xA0A0A0A0);
		accesses++;
	}
	for (unsigned int i = 32; i < nr; i++) {
		wr(f, GICD_IROUTER + 8 * i, 8, 0);
		accesses += i != 33; /* IROUTER33 belongs to the owned SPI alone */
	}
	/* Each access that touched a foreign SPI (all but 33) is counted once. */
	assert_int_equal(f->vm.vgic->ignored_spi_writes, accesses);
	/* The foreign SPI is unchanged, the owned one took the writes. */
	assert_true(spi(f, 40)->enabled);
	assert_int_equal(spi(f, 40)->priority, 0x80);
	assert_int_equal(spi(f, 40)->group, 0);
	assert_int_equal(spi(f, 33)->group, 1);
	assert_int_equal(spi(f, 33)->priority, 0xA0);
	/* W1S/W1C bits that only hit owned SPIs are not counted. */
	u64 before = f->vm.vgic->ignored_spi_writes;
	wr(f, GICD_ISENABLER + 4, 4, 1U << 1);
	wr(f, GICD_ISENABLER + 4, 4, 0);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, before);
	wr(f, GICD_ISPENDR + 4, 4, 1U << 8);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, before + 1);
	assert_false(spi(f, 40)->pending_latch);
	/* Reads of foreign SPIs never count. */
	rd(f, GICD_ISENABLER + 4, 4);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, before + 1);
	/* vgic_irq_changed only for the owned one. */
	for (unsigned int i = 0; i < fake.nr_changed; i++)
		assert_ptr_equal(fake.changed[i], spi(f, 33));
}

static void test_irouter(void **state)
{
	struct fixture *f = *state;
	const u64 r33 = GICD_IROUTER + 8 * 33;

	own(f, 33);
	own(f, 95);
	/* Kept: Aff3 [39:32], IRM [31], Aff2..0 [23:0]. */
	wr(f, r33, 8, ~0ULL);
	assert_int_equal(rd(f, r33, 8), 0xFF80FFFFFFULL);
	assert_int_equal(spi(f, 33)->irouter, 0xFF80FFFFFFULL);
	assert_int_equal(fake.nr_changed, 1);
	/* 32-bit halves. */
	assert_int_equal(rd(f, r33, 4), 0x80FFFFFF);
	assert_int_equal(rd(f, r33 + 4, 4), 0xFF);
	wr(f, r33, 4, 0x00000003);
	assert_int_equal(rd(f, r33, 8), 0xFF00000003ULL);
	wr(f, r33 + 4, 4, 0);
	assert_int_equal(rd(f, r33, 8), 3);
	assert_int_equal(fake.nr_changed, 3);
	/* Same value: no change reported. */
	wr(f, r33, 8, 3);
	assert_int_equal(fake.nr_changed, 3);
	/* Last implemented SPI; past it RAZ/WI. */
	wr(f, GICD_IROUTER + 8 * 95, 8, 0x0102);
	assert_int_equal(spi(f, 95)->irouter, 0x0102);
	wr(f, GICD_IROUTER + 8 * 96, 8, 0x0102);
	assert_int_equal(rd(f, GICD_IROUTER + 8 * 96, 8), 0);
	assert_int_equal(rd(f, GICD_IROUTER + 8 * 1019, 8), 0);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, 0);
}

static void test_legacy_and_secure_raz_wi(void **state)
{
	struct fixture *f = *state;
	static const u64 regs[] = { GICD_SETSPI_NSR, GICD_CLRSPI_NSR,	 GICD_SETSPI_SR,
				    GICD_CLRSPI_SR,  GICD_SGIR,		 GICD_IGRPMODR + 4,
				    GICD_NSACR + 8,  GICD_ITARGETSR + 32 };

	own(f, 33);
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		wr(f, regs[i], 4, 0xFFFFFFFF);
		assert_int_equal(rd(f, regs[i], 4), 0);
	}
	/* SETSPI does not make an SPI pending. */
	wr(f, GICD_SETSPI_NSR, 4, 33);
	assert_false(spi(f, 33)->pending_latch);
	/* Byte-accessible RAZ/WI registers. */
	wr(f, GICD_ITARGETSR + 33, 1, 0xFF);
	assert_int_equal(rd(f, GICD_ITARGETSR + 33, 1), 0);
	wr(f, GICD_SPENDSGIR + 1, 1, 0xFF);
	assert_int_equal(rd(f, GICD_SPENDSGIR + 1, 1), 0);
	wr(f, GICD_CPENDSGIR, 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, GICD_CPENDSGIR, 4), 0);
	assert_int_equal(fake.nr_changed, 0);
	assert_int_equal(rd(f, GICD_CTLR, 4), 0x50);
}

static void test_reserved_raz_wi(void **state)
{
	struct fixture *f = *state;
	static const u64 offs[] = { 0x0014, 0x003C, 0x0060, 0x0F04, 0x0F30, 0x1000, 0x2000,
				    0x3000, 0x5FFC, 0x7FE0, 0x8000, 0xC000, 0xFFCC };

	for (unsigned int i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		/* Any width, even a halfword, is RAZ/WI at a reserved offset. */
		wr(f, offs[i], 4, 0xFFFFFFFF);
		assert_int_equal(rd(f, offs[i], 4), 0);
		assert_int_equal(rd(f, offs[i], 1), 0);
		assert_int_equal(rd(f, offs[i], 2), 0);
	}
	/* Bank entries past ITLinesNumber. */
	assert_int_equal(rd(f, GICD_ISENABLER + 12, 4), 0);
	wr(f, GICD_ISENABLER + 12, 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, GICD_ISENABLER + 0x7C, 4), 0);
	assert_int_equal(rd(f, GICD_IPRIORITYR + 0x3FC, 4), 0);
	assert_int_equal(fake.nr_changed, 0);
	assert_int_equal(f->vm.vgic->ignored_spi_writes, 0);
}

static void test_access_widths(void **state)
{
	struct fixture *f = *state;
	u64 v;

	own(f, 33);
	/* 32-bit-only registers: byte, halfword and 64-bit accesses abort. */
	assert_int_equal(rd_rc(f, GICD_CTLR, 1, &v), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, GICD_CTLR, 2, 3), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, GICD_CTLR, 8, &v), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, GICD_TYPER, 2, &v), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, GICD_ISENABLER + 4, 1, 0xFF), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, GICD_ISENABLER + 4, 8, ~0ULL), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, GICD_ICFGR + 8, 1, 0xFF), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, GICD_PIDR2, 1, &v), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, GICD_SGIR, 1, &v), -TERN_EINVAL);
	assert_false(spi(f, 33)->enabled);
	assert_false(spi(f, 33)->edge);
	assert_int_equal(rd(f, GICD_CTLR, 4), 0x50);
	/* IPRIORITYR: byte and word, not halfword or 64-bit. */
	assert_int_equal(wr_rc(f, GICD_IPRIORITYR + 32, 2, 0xFFFF), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, GICD_IPRIORITYR + 32, 8, ~0ULL), -TERN_EINVAL);
	assert_int_equal(spi(f, 33)->priority, 0);
	/* IROUTER: 64-bit and 32-bit, not byte or halfword. */
	assert_int_equal(wr_rc(f, GICD_IROUTER + 8 * 33, 1, 1), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, GICD_IROUTER + 8 * 33, 2, &v), -TERN_EINVAL);
	/* Misaligned accesses abort. */
	assert_int_equal(rd_rc(f, GICD_ISENABLER + 6, 4, &v), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, GICD_IPRIORITYR + 33, 4, &v), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, GICD_IROUTER + 8 * 33 + 4, 8, 1), -TERN_EINVAL);
	assert_int_equal(spi(f, 33)->irouter, 0);
	assert_int_equal(fake.nr_changed, 0);
	assert_unlocked(f);
}

static void test_get_irq(void **state)
{
	struct fixture *f = *state;

	assert_ptr_equal(vgic_get_irq(&f->vm, &f->vcpus[1], 5), &f->cpus[1].priv[5]);
	assert_ptr_equal(vgic_get_irq(&f->vm, &f->vcpus[3], 31), &f->cpus[3].priv[31]);
	assert_ptr_equal(vgic_get_irq(&f->vm, NULL, 32), spi(f, 32));
	assert_ptr_equal(vgic_get_irq(&f->vm, &f->vcpus[0], 95), spi(f, 95));
	assert_null(vgic_get_irq(&f->vm, &f->vcpus[0], 96));
	assert_null(vgic_get_irq(&f->vm, &f->vcpus[0], 1023));
	assert_null(vgic_get_irq(&f->vm, NULL, 3));
}

static void test_reset(void **state)
{
	struct fixture *f = *state;

	own(f, 33);
	spi(f, 33)->hw = true;
	spi(f, 33)->hwintid = 77;
	wr(f, GICD_CTLR, 4, 3);
	wr(f, GICD_ISENABLER + 4, 4, 1U << 1);
	wr(f, GICD_IPRIORITYR + 33, 1, 0xA0);
	wr(f, GICD_IROUTER + 8 * 33, 8, 2);
	vgic_v3_dist_reset(&f->vm);
	assert_int_equal(rd(f, GICD_CTLR, 4), 0x50);
	assert_false(spi(f, 33)->enabled);
	assert_int_equal(spi(f, 33)->priority, 0);
	assert_int_equal(spi(f, 33)->irouter, 0);
	assert_true(spi(f, 33)->owned);
	assert_true(spi(f, 33)->hw);
	assert_int_equal(spi(f, 33)->hwintid, 77);
	assert_int_equal(spi(f, 33)->intid, 33);
}

/* TYPER and IIDR read from the VM's copy, as the table reads them. */
static void test_const_copy(void **state)
{
	struct fixture *f = *state;
	struct vgic_mmio_ctx c = { .vm = &f->vm };

	assert_int_equal(vgic_const_check(&vgic_v3_dist_table, &c, f->vm.vgic->const_words), 2);
}

/* The frame's offset index finds what a walk of the table finds, for every byte. */
static void test_table_index(void **state)
{
	(void)state;
	vgic_index_check(&vgic_v3_dist_table, VGIC_DIST_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_index),
		cmocka_unit_test_setup_teardown(test_const_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region_and_alloc, setup, teardown),
		cmocka_unit_test(test_init_register_failure),
		cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
		cmocka_unit_test(test_typer_vcpus),
		cmocka_unit_test_setup_teardown(test_ctlr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctlr_enable_kicks_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_set_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_set_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_active_set_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_intids_raz_wi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unowned_spis, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irouter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_and_secure_raz_wi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_raz_wi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_irq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
