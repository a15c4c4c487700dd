// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated GICv3 redistributors (virt/vgic_v3_redist.c) against fake VM plumbing: a VM of
 * 1..8 vCPUs, mmio_register recording the regions so the test calls their ops directly,
 * page_zalloc on the host heap, and a vgic_irq_changed that records its calls.
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

#define ORDER(t) (sizeof(t) <= PAGE_SIZE ? 0U : 1U)

struct fixture {
	struct vm vm;
	struct vcpu vcpus[VM_MAX_VCPUS];
	const struct mmio_region *gicr;
};

static struct fixture *make_vm(unsigned int nr_vcpus)
{
	struct fixture *f = calloc(1, sizeof(*f));

	memset(&fake, 0, sizeof(fake));
	stub_vgic_active_reset();
	f->vm.nr_vcpus = nr_vcpus;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		f->vcpus[i].id = i;
		f->vcpus[i].vm = &f->vm;
		f->vcpus[i].arch.vmpidr = (1ULL << 31) | i;
		f->vm.vcpus[i] = &f->vcpus[i];
	}
	return f;
}

static struct fixture *make(unsigned int nr_vcpus)
{
	struct fixture *f = make_vm(nr_vcpus);

	assert_int_equal(vgic_v3_dist_init(&f->vm), 0);
	assert_int_equal(vgic_v3_redist_init(&f->vm), 0);
	assert_int_equal(fake.nr_regions, 2);
	f->gicr = &fake.regions[1];
	return f;
}

static void destroy(struct fixture *f)
{
	for (unsigned int i = 0; i < f->vm.nr_vcpus; i++)
		if (f->vcpus[i].vgic)
			page_free((paddr_t)f->vcpus[i].vgic, ORDER(struct vgic_cpu));
	if (f->vm.vgic)
		page_free((paddr_t)f->vm.vgic, ORDER(struct vgic_dist));
	assert_int_equal(unit_pages_live, 0);
	free(f);
}

static int setup(void **state)
{
	*state = make(4);
	return 0;
}

static int teardown(void **state)
{
	destroy(*state);
	return 0;
}

static int rd_rc(struct fixture *f, u64 off, unsigned int size, u64 *val)
{
	*val = 0;
	return f->gicr->ops->read(&f->vcpus[0], f->gicr->priv, off, size, val);
}

static int wr_rc(struct fixture *f, u64 off, unsigned int size, u64 val)
{
	return f->gicr->ops->write(&f->vcpus[0], f->gicr->priv, off, size, val);
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

/* Offset of register @reg in vCPU @n's frame pair. */
static u64 rdf(unsigned int n, u64 reg)
{
	return n * VGIC_REDIST_SIZE + reg;
}

static struct vgic_irq *priv(struct fixture *f, unsigned int n, u32 intid)
{
	return &f->vcpus[n].vgic->priv[intid];
}

/* ---- tests ---- */

static void test_region_and_alloc(void **state)
{
	(void)state;
	for (unsigned int n = 1; n <= VM_MAX_VCPUS; n++) {
		struct fixture *f = make(n);

		assert_int_equal(f->gicr->base, GUEST_GICR_BASE);
		assert_int_equal(f->gicr->size, n * 0x20000);
		assert_ptr_equal(f->gicr->priv, &f->vm);
		/* It must not reach the next region of QEMU virt's map (GICR up to 0x08FFFFFF). */
		assert_true(f->gicr->base + f->gicr->size <= 0x09000000);
		for (unsigned int i = 0; i < n; i++)
			assert_non_null(f->vcpus[i].vgic);
		assert_int_equal(unit_pages_live, 1 + n);
		destroy(f);
	}
}

static void test_init_keeps_existing_vgic_cpu(void **state)
{
	struct fixture *f = make_vm(2);
	struct vgic_cpu *mine = calloc(1, sizeof(*mine));

	(void)state;
	mine->vmcr = 0x1234;
	f->vcpus[1].vgic = mine;
	assert_int_equal(vgic_v3_dist_init(&f->vm), 0);
	assert_int_equal(vgic_v3_redist_init(&f->vm), 0);
	assert_ptr_equal(f->vcpus[1].vgic, mine);
	assert_int_equal(mine->vmcr, 0x1234);
	assert_int_equal(mine->priv[3].intid, 3);
	assert_int_equal(mine->waker, 6);
	f->vcpus[1].vgic = NULL;
	free(mine);
	destroy(f);
}

static void test_init_errors(void **state)
{
	struct fixture *f = make_vm(3);
	struct vgic_cpu *mine = calloc(1, sizeof(*mine));

	(void)state;
	/* The distributor (and its lock) first. */
	assert_int_equal(vgic_v3_redist_init(&f->vm), -TERN_EINVAL);
	assert_int_equal(unit_pages_live, 0);
	assert_int_equal(vgic_v3_dist_init(&f->vm), 0);
	/* A failed registration frees what it allocated, and only that. */
	f->vcpus[2].vgic = mine;
	fake.register_err = -TERN_EEXIST;
	assert_int_equal(vgic_v3_redist_init(&f->vm), -TERN_EEXIST);
	assert_null(f->vcpus[0].vgic);
	assert_null(f->vcpus[1].vgic);
	assert_ptr_equal(f->vcpus[2].vgic, mine);
	assert_int_equal(unit_pages_live, 1);
	f->vcpus[2].vgic = NULL;
	free(mine);
	destroy(f);
}

static void test_reset_values(void **state)
{
	struct fixture *f = *state;

	for (unsigned int n = 0; n < f->vm.nr_vcpus; n++) {
		assert_int_equal(rd(f, rdf(n, GICR_CTLR), 4), 0);
		assert_int_equal(rd(f, rdf(n, GICR_IIDR), 4), 0x5400043B);
		assert_int_equal(rd(f, rdf(n, GICR_STATUSR), 4), 0);
		/* ProcessorSleep = ChildrenAsleep = 1. */
		assert_int_equal(rd(f, rdf(n, GICR_WAKER), 4), 6);
		assert_int_equal(rd(f, rdf(n, GICR_PROPBASER), 8), 0);
		assert_int_equal(rd(f, rdf(n, GICR_PENDBASER), 8), 0);
		assert_int_equal(rd(f, rdf(n, GICR_PIDR2), 4), 0x3B);
		assert_int_equal(rd(f, rdf(n, 0xFFF0), 4), 0x0D);
		assert_int_equal(rd(f, rdf(n, 0xFFFC), 4), 0xB1);
		assert_int_equal(rd(f, rdf(n, GICR_IGROUPR0), 4), 0);
		assert_int_equal(rd(f, rdf(n, GICR_ISENABLER0), 4), 0);
		assert_int_equal(rd(f, rdf(n, GICR_ISPENDR0), 4), 0);
		assert_int_equal(rd(f, rdf(n, GICR_ISACTIVER0), 4), 0);
		for (u64 o = 0; o < 32; o += 4)
			assert_int_equal(rd(f, rdf(n, GICR_IPRIORITYR + o), 4), 0);
		/* SGIs edge, PPIs level. */
		assert_int_equal(rd(f, rdf(n, GICR_ICFGR0), 4), 0xAAAAAAAA);
		assert_int_equal(rd(f, rdf(n, GICR_ICFGR1), 4), 0);
		for (u32 i = 0; i < VGIC_NR_PRIVATE; i++) {
			assert_int_equal(priv(f, n, i)->intid, i);
			assert_int_equal(priv(f, n, i)->edge, i < 16);
			assert_false(priv(f, n, i)->owned);
		}
	}
	assert_int_equal(fake.nr_changed, 0);
}

static void test_typer(void **state)
{
	struct fixture *f = *state;

	for (unsigned int n = 0; n < 4; n++) {
		u64 t = rd(f, rdf(n, GICR_TYPER), 8);

		assert_int_equal(t >> 32, n);		       /* Affinity: 0.0.0.n */
		assert_int_equal((t >> 8) & 0xFFFF, n);	       /* Processor_Number */
		assert_int_equal(t & 0xFF, n == 3 ? 0x10 : 0); /* Last; no PLPIS/VLPIS/DirectLPI */
		/* 32-bit halves. */
		assert_int_equal(rd(f, rdf(n, GICR_TYPER), 4), (u32)t);
		assert_int_equal(rd(f, rdf(n, GICR_TYPER + 4), 4), t >> 32);
		/* Read-only. */
		wr(f, rdf(n, GICR_TYPER), 8, 0);
		wr(f, rdf(n, GICR_TYPER + 4), 4, 0);
		assert_int_equal(rd(f, rdf(n, GICR_TYPER), 8), t);
	}
}

static void test_typer_affinity_levels(void **state)
{
	struct fixture *f = make_vm(2);

	(void)state;
	f->vcpus[1].arch.vmpidr = (1ULL << 31) | (0xA5ULL << 32) | (0x03 << 16) | (0x02 << 8) | 1;
	assert_int_equal(vgic_v3_dist_init(&f->vm), 0);
	assert_int_equal(vgic_v3_redist_init(&f->vm), 0);
	f->gicr = &fake.regions[1];
	assert_int_equal(rd(f, rdf(1, GICR_TYPER), 8) >> 32, 0xA5030201);
	destroy(f);
}

/* Linux's gic_iterate_rdists/gic_populate_rdist: walk the frames until TYPER.Last. */
static void test_linux_scan(void **state)
{
	(void)state;
	for (unsigned int nr = 1; nr <= VM_MAX_VCPUS; nr++) {
		struct fixture *f = make(nr);
		unsigned int seen = 0;
		u64 off = 0;

		for (;;) {
			u64 typer;

			assert_true(off < f->gicr->size);
			assert_int_equal(rd(f, off + GICR_PIDR2, 4) & 0xF0, 0x30);
			typer = rd(f, off + GICR_TYPER, 8);
			/* The vCPU with MPIDR affinity 0.0.0.seen finds its frame here. */
			assert_int_equal(typer >> 32, f->vcpus[seen].arch.vmpidr & 0xFFFFFF);
			seen++;
			if (typer & GICR_TYPER_LAST)
				break;
			off += VGIC_REDIST_SIZE; /* no VLPIS: two 64 KiB frames */
		}
		assert_int_equal(seen, nr);
		assert_int_equal(off + VGIC_REDIST_SIZE, f->gicr->size);
		destroy(f);
	}
}

static void test_waker(void **state)
{
	struct fixture *f = *state;

	/* Linux's gic_enable_redist: clear ProcessorSleep, wait for ChildrenAsleep to clear. */
	wr(f, rdf(2, GICR_WAKER), 4, rd(f, rdf(2, GICR_WAKER), 4) & ~GICR_WAKER_PROC_SLEEP);
	assert_int_equal(rd(f, rdf(2, GICR_WAKER), 4), 0);
	/* Other redistributors are not affected. */
	assert_int_equal(rd(f, rdf(1, GICR_WAKER), 4), 6);
	/* Going to sleep: ChildrenAsleep follows. Bit 0 and the rest are RAZ/WI. */
	wr(f, rdf(2, GICR_WAKER), 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, rdf(2, GICR_WAKER), 4), 6);
	wr(f, rdf(2, GICR_WAKER), 4, GICR_WAKER_CHILD_ASLEEP | 1);
	assert_int_equal(rd(f, rdf(2, GICR_WAKER), 4), 0);
}

static void test_rd_raz_wi(void **state)
{
	struct fixture *f = *state;

	wr(f, rdf(0, GICR_CTLR), 4, 0xFFFFFFFF); /* EnableLPIs RAZ/WI */
	assert_int_equal(rd(f, rdf(0, GICR_CTLR), 4), 0);
	wr(f, rdf(0, GICR_STATUSR), 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, rdf(0, GICR_STATUSR), 4), 0);
	wr(f, rdf(0, GICR_PROPBASER), 8, ~0ULL);
	wr(f, rdf(0, GICR_PENDBASER + 4), 4, ~0U);
	assert_int_equal(rd(f, rdf(0, GICR_PROPBASER), 8), 0);
	assert_int_equal(rd(f, rdf(0, GICR_PENDBASER), 4), 0);
	assert_int_equal(rd(f, rdf(0, GICR_PENDBASER + 4), 4), 0);
	wr(f, rdf(0, GICR_IIDR), 4, 0);
	assert_int_equal(rd(f, rdf(0, GICR_IIDR), 4), 0x5400043B);
	/* Reserved offsets in both frames, any width. */
	static const u64 offs[] = { 0x40,
				    0x48,
				    0xA0,
				    0xC0,
				    0x1000,
				    0xFFCC,
				    GICR_SGI_BASE,
				    GICR_SGI_BASE + 0x84,
				    GICR_SGI_BASE + 0x420,
				    GICR_SGI_BASE + 0xC08,
				    GICR_SGI_BASE + 0xFFE8 };
	for (unsigned int i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		wr(f, rdf(1, offs[i]), 4, 0xFFFFFFFF);
		assert_int_equal(rd(f, rdf(1, offs[i]), 4), 0);
		assert_int_equal(rd(f, rdf(1, offs[i]), 2), 0);
	}
	/* Single Security state. */
	wr(f, rdf(1, GICR_IGRPMODR0), 4, 0xFFFFFFFF);
	wr(f, rdf(1, GICR_NSACR), 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, rdf(1, GICR_IGRPMODR0), 4), 0);
	assert_int_equal(rd(f, rdf(1, GICR_NSACR), 4), 0);
	assert_int_equal(fake.nr_changed, 0);
}

static void test_group_enable(void **state)
{
	struct fixture *f = *state;

	wr(f, rdf(1, GICR_IGROUPR0), 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, rdf(1, GICR_IGROUPR0), 4), 0xFFFFFFFF);
	assert_int_equal(rd(f, rdf(0, GICR_IGROUPR0), 4), 0);
	assert_int_equal(fake.nr_changed, 32);
	fake.nr_changed = 0;
	/* Enable SGI 1 and PPI 27 of vCPU 2: only vCPU 2's interrupts change. */
	wr(f, rdf(2, GICR_ISENABLER0), 4, (1U << 1) | (1U << 27));
	assert_true(priv(f, 2, 1)->enabled);
	assert_true(priv(f, 2, 27)->enabled);
	assert_false(priv(f, 1, 27)->enabled);
	assert_false(priv(f, 3, 27)->enabled);
	assert_int_equal(rd(f, rdf(2, GICR_ISENABLER0), 4), (1U << 1) | (1U << 27));
	assert_int_equal(rd(f, rdf(2, GICR_ICENABLER0), 4), (1U << 1) | (1U << 27));
	assert_int_equal(fake.nr_changed, 2);
	assert_ptr_equal(fake.changed[0], priv(f, 2, 1));
	assert_ptr_equal(fake.changed[1], priv(f, 2, 27));
	assert_true(fake.changed_locked[0]);
	wr(f, rdf(2, GICR_ICENABLER0), 4, 1U << 27);
	assert_false(priv(f, 2, 27)->enabled);
	assert_true(priv(f, 2, 1)->enabled);
	assert_int_equal(fake.nr_changed, 3);
	assert_ptr_equal(fake.changed[2], priv(f, 2, 27));
	wr(f, rdf(2, GICR_ICENABLER0), 4, 1U << 27);
	assert_int_equal(fake.nr_changed, 3);
}

static void test_pending_active(void **state)
{
	struct fixture *f = *state;

	/* An SGI made pending through ISPENDR0; ICPENDR0 also drops queued senders. */
	wr(f, rdf(3, GICR_ISPENDR0), 4, 1U << 5);
	assert_true(priv(f, 3, 5)->pending_latch);
	assert_int_equal(rd(f, rdf(3, GICR_ICPENDR0), 4), 1U << 5);
	priv(f, 3, 5)->sgi_source = 0x3;
	wr(f, rdf(3, GICR_ICPENDR0), 4, 1U << 5);
	assert_false(priv(f, 3, 5)->pending_latch);
	assert_int_equal(priv(f, 3, 5)->sgi_source, 0);
	assert_int_equal(rd(f, rdf(3, GICR_ISPENDR0), 4), 0);
	assert_int_equal(fake.nr_changed, 2);
	/* A level PPI with its line up stays pending. */
	priv(f, 3, 23)->line_level = true;
	wr(f, rdf(3, GICR_ICPENDR0), 4, 1U << 23);
	assert_int_equal(rd(f, rdf(3, GICR_ISPENDR0), 4), 1U << 23);
	/* Active. */
	wr(f, rdf(0, GICR_ISACTIVER0), 4, 1U << 30);
	assert_true(priv(f, 0, 30)->active);
	assert_int_equal(rd(f, rdf(0, GICR_ICACTIVER0), 4), 1U << 30);
	wr(f, rdf(0, GICR_ICACTIVER0), 4, 1U << 30);
	assert_false(priv(f, 0, 30)->active);
	assert_int_equal(fake.nr_changed, 4);
}

static void test_priority(void **state)
{
	struct fixture *f = *state;

	wr(f, rdf(1, GICR_IPRIORITYR + 27), 1, 0xA7);
	assert_int_equal(priv(f, 1, 27)->priority, 0xA0);
	assert_int_equal(rd(f, rdf(1, GICR_IPRIORITYR + 27), 1), 0xA0);
	wr(f, rdf(1, GICR_IPRIORITYR + 0), 4, 0x80604020);
	assert_int_equal(priv(f, 1, 0)->priority, 0x20);
	assert_int_equal(priv(f, 1, 3)->priority, 0x80);
	assert_int_equal(rd(f, rdf(1, GICR_IPRIORITYR + 24), 4), 0xA0000000);
	assert_int_equal(rd(f, rdf(1, GICR_IPRIORITYR + 0), 4), 0x80604020);
	assert_int_equal(priv(f, 0, 0)->priority, 0);
	assert_int_equal(fake.nr_changed, 5);
}

static void test_config(void **state)
{
	struct fixture *f = *state;

	/* SGIs: read-only edge. */
	wr(f, rdf(0, GICR_ICFGR0), 4, 0);
	assert_int_equal(rd(f, rdf(0, GICR_ICFGR0), 4), 0xAAAAAAAA);
	assert_true(priv(f, 0, 0)->edge);
	/* PPIs configurable; bit 0 of each field RES0. */
	wr(f, rdf(0, GICR_ICFGR1), 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, rdf(0, GICR_ICFGR1), 4), 0xAAAAAAAA);
	assert_true(priv(f, 0, 16)->edge && priv(f, 0, 31)->edge);
	assert_int_equal(fake.nr_changed, 16);
	wr(f, rdf(0, GICR_ICFGR1), 4, 0x2U << (2 * (27 - 16)));
	assert_int_equal(rd(f, rdf(0, GICR_ICFGR1), 4), 0x2U << 22);
	assert_false(priv(f, 0, 26)->edge);
	assert_true(priv(f, 0, 27)->edge);
	assert_int_equal(rd(f, rdf(1, GICR_ICFGR1), 4), 0);
}

static void test_access_widths(void **state)
{
	struct fixture *f = *state;
	u64 v;

	assert_int_equal(rd_rc(f, rdf(0, GICR_CTLR), 1, &v), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, rdf(0, GICR_WAKER), 8, &v), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, rdf(0, GICR_WAKER), 2, 0), -TERN_EINVAL);
	assert_int_equal(rd(f, rdf(0, GICR_WAKER), 4), 6);
	assert_int_equal(rd_rc(f, rdf(0, GICR_TYPER), 1, &v), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, rdf(0, GICR_TYPER), 2, &v), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, rdf(0, GICR_TYPER + 4), 8, &v), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, rdf(0, GICR_ISENABLER0), 1, 0xFF), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, rdf(0, GICR_ISENABLER0), 8, ~0ULL), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, rdf(0, GICR_IPRIORITYR), 2, 0xFFFF), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, rdf(0, GICR_IPRIORITYR), 8, ~0ULL), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, rdf(0, GICR_IPRIORITYR + 2), 4, ~0ULL), -TERN_EINVAL);
	assert_int_equal(wr_rc(f, rdf(0, GICR_ICFGR1), 8, ~0ULL), -TERN_EINVAL);
	assert_int_equal(rd_rc(f, rdf(0, GICR_PROPBASER), 1, &v), -TERN_EINVAL);
	assert_false(priv(f, 0, 0)->enabled);
	assert_int_equal(priv(f, 0, 0)->priority, 0);
	assert_int_equal(fake.nr_changed, 0);
	assert_false(spin_is_locked(&f->vm.vgic->lock));
}

static void test_redist_reset(void **state)
{
	struct fixture *f = *state;

	wr(f, rdf(1, GICR_WAKER), 4, 0);
	wr(f, rdf(1, GICR_ISENABLER0), 4, 0xFFFFFFFF);
	wr(f, rdf(1, GICR_ICFGR1), 4, 0xFFFFFFFF);
	vgic_v3_redist_reset(&f->vcpus[1]);
	assert_int_equal(rd(f, rdf(1, GICR_WAKER), 4), 6);
	assert_int_equal(rd(f, rdf(1, GICR_ISENABLER0), 4), 0);
	assert_int_equal(rd(f, rdf(1, GICR_ICFGR0), 4), 0xAAAAAAAA);
	assert_int_equal(rd(f, rdf(1, GICR_ICFGR1), 4), 0);
}

/* The frame's offset index finds what a walk of the table finds, for every byte. */
/*
 * The constant registers read from each vCPU's copy: IIDR and TYPER (both halves and whole) of
 * every frame pair, as the table reads them, each frame its own TYPER.
 */
static void test_const_copy(void **state)
{
	struct fixture *f = *state;

	for (unsigned int n = 0; n < f->vm.nr_vcpus; n++) {
		struct vgic_mmio_ctx c = { .vm = &f->vm, .vcpu = &f->vcpus[n] };
		u64 v;

		/* IIDR, TYPER's two halves: 32-bit; TYPER: 64-bit. */
		assert_int_equal(
		    vgic_const_check(&vgic_v3_redist_table, &c, f->vcpus[n].vgic->const_words), 4);
		assert_true(vgic_mmio_const_read(&vgic_v3_redist_table,
						 f->vcpus[n].vgic->const_words, GICR_TYPER, 8, &v));
		assert_int_equal(v, rd(f, rdf(n, GICR_TYPER), 8));
		assert_int_equal(v >> 32, n);
	}
}

static void test_table_index(void **state)
{
	(void)state;
	vgic_index_check(&vgic_v3_redist_table, VGIC_REDIST_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_index),
		cmocka_unit_test_setup_teardown(test_const_copy, setup, teardown),
		cmocka_unit_test(test_region_and_alloc),
		cmocka_unit_test(test_init_keeps_existing_vgic_cpu),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typer, setup, teardown),
		cmocka_unit_test(test_typer_affinity_levels),
		cmocka_unit_test(test_linux_scan),
		cmocka_unit_test_setup_teardown(test_waker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rd_raz_wi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_enable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_active, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redist_reset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
