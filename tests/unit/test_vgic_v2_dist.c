// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated GICv2 distributor (virt/vgic_v2_dist.c + virt/vgic_mmio.c): its register table
 * driven through its MMIO ops, as a vCPU's access would, against fake VM plumbing (vgic_irq_changed
 * records its calls). Expected values come from Arm IHI 0048B, 4.3: reset values, byte-accessible
 * ITARGETSR (banked for SGIs/PPIs, a vCPU set for SPIs), GICD_SGIR decode (target list, all but
 * self, self, reserved filter) with per-sender SGI pending state, CPENDSGIR/SPENDSGIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <tern/errno.h>
#include <tern/mmio.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic.h>
#include <virt/vgic_mmio.h>
#include <virt/vgic_v2.h>
#include "stub_vgic_active.h"
#include "vgic_index_check.h"

#define NR_VCPUS    3
#define MAX_CHANGED 256

static struct {
	struct vgic_irq *changed[MAX_CHANGED];
	unsigned int nr_changed;
} fake;

void vgic_irq_changed(struct vm *vm, struct vgic_irq *irq)
{
	(void)vm;
	assert_true(spin_is_locked(&vm->vgic->lock));
	assert_true(fake.nr_changed < MAX_CHANGED);
	fake.changed[fake.nr_changed++] = irq;
}

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];
static struct vgic_cpu cpus[NR_VCPUS];
static struct vgic_dist dist;

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	stub_vgic_active_reset();
	memset(&vm, 0, sizeof(vm));
	memset(vcpus, 0, sizeof(vcpus));
	memset(cpus, 0, sizeof(cpus));
	memset(&dist, 0, sizeof(dist));
	spin_lock_init(&dist.lock);
	dist.model = &vgic_v2_model;
	vm.vgic = &dist;
	vm.nr_vcpus = NR_VCPUS;
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		vcpus[i].id = i;
		vcpus[i].vm = &vm;
		vcpus[i].vgic = &cpus[i];
		vm.vcpus[i] = &vcpus[i];
	}
	vgic_v2_dist_reset(&vm);
	assert_int_equal(vgic_mmio_regs_init(&vgic_v2_dist_table), 0);
	/* As vgic_v2_create() does. */
	vgic_mmio_const_fill(&vgic_v2_dist_table,
			     &(struct vgic_mmio_ctx){ .vm = &vm, .vcpu = &vcpus[0] },
			     dist.const_words);
	/* SPI 33 (the console's) and 40 belong to the VM; the others do not. */
	dist.spis[33 - 32].owned = true;
	dist.spis[40 - 32].owned = true;
	return 0;
}

static u64 rd(unsigned int vcpu, u64 off, unsigned int size)
{
	u64 v = 0xDEADBEEF;

	assert_int_equal(vgic_v2_dist_ops.read(&vcpus[vcpu], &vm, off, size, &v), 0);
	return v;
}

static void wr(unsigned int vcpu, u64 off, unsigned int size, u64 val)
{
	assert_int_equal(vgic_v2_dist_ops.write(&vcpus[vcpu], &vm, off, size, val), 0);
}

static int wr_err(unsigned int vcpu, u64 off, unsigned int size, u64 val)
{
	return vgic_v2_dist_ops.write(&vcpus[vcpu], &vm, off, size, val);
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_int_equal(rd(0, GICD_CTLR, 4), 0);
	/* ITLinesNumber = 96/32 - 1, CPUNumber = vCPUs - 1, SecurityExtn = 0. */
	assert_int_equal(rd(0, GICD_TYPER, 4), 2 | (NR_VCPUS - 1) << 5);
	assert_int_equal(rd(0, GICD_IIDR, 4), VGIC_IIDR);
	/* The identification block ends the 4 KiB frame (IHI 0048B 4.1.2): ICPIDR4 at 0xFD0. */
	assert_int_equal(GICD_V2_PIDR2, 0xFE8);
	assert_int_equal(rd(0, GICD_V2_PIDR2, 4), VGIC_V2_PIDR2);
	assert_int_equal(rd(0, 0xFF0, 4), 0x0D);
	assert_int_equal(rd(0, 0xFF4, 4), 0xF0);
	assert_int_equal(rd(0, 0xFF8, 4), 0x05);
	assert_int_equal(rd(0, 0xFFC, 4), 0xB1);
	for (u64 off = 0xFD0; off < 0xFF0; off += 4)
		if (off != GICD_V2_PIDR2)
			assert_int_equal(rd(0, off, 4), 0);
	/* Not where a GICv3 frame has them: reserved here. */
	for (u64 off = 0xFFD0; off < 0x10000; off += 4)
		assert_int_equal(rd(0, off, 4), 0);
	for (unsigned int n = 0; n < 3; n++) {
		assert_int_equal(rd(1, GICD_IGROUPR + 4 * n, 4), 0);
		assert_int_equal(rd(1, GICD_ISENABLER + 4 * n, 4), 0);
		assert_int_equal(rd(1, GICD_ISPENDR + 4 * n, 4), 0);
		assert_int_equal(rd(1, GICD_ISACTIVER + 4 * n, 4), 0);
	}
	assert_int_equal(rd(2, GICD_IPRIORITYR + 32, 4), 0);
	/* SGIs edge (read-only), PPIs and SPIs level. */
	assert_int_equal(rd(0, GICD_ICFGR, 4), 0xAAAAAAAA);
	assert_int_equal(rd(0, GICD_ICFGR + 4, 4), 0);
	assert_int_equal(rd(0, GICD_ICFGR + 8, 4), 0);
	/* SPIs target no vCPU until the guest says. */
	assert_int_equal(rd(0, GICD_ITARGETSR + 32, 4), 0);
	assert_int_equal(rd(0, GICD_SPENDSGIR, 4), 0);
	/* Enable both groups. */
	wr(0, GICD_CTLR, 4, 0xFFFFFFFF);
	assert_int_equal(rd(0, GICD_CTLR, 4), VGIC_V2_CTLR_WRITABLE);
	/* A reset after the guest changed things brings every field back. */
	wr(0, GICD_ISENABLER + 4, 4, 1U << 1);
	wr(0, GICD_ITARGETSR + 33, 1, 2);
	wr(1, GICD_SGIR, 4, 2U << 24 | 5);
	vgic_v2_dist_reset(&vm);
	assert_int_equal(rd(0, GICD_CTLR, 4), 0);
	assert_int_equal(rd(0, GICD_ISENABLER + 4, 4), 0);
	assert_int_equal(rd(0, GICD_ITARGETSR + 32, 4), 0);
	assert_int_equal(rd(1, GICD_SPENDSGIR + 4, 4), 0);
	assert_true(dist.spis[33 - 32].owned);
}

static void test_banked_private(void **state)
{
	(void)state;
	/* Each vCPU sees its own SGIs and PPIs through the same offsets. */
	wr(1, GICD_ISENABLER, 4, 1U << 27);
	assert_true(cpus[1].priv[27].enabled);
	assert_false(cpus[0].priv[27].enabled);
	assert_int_equal(rd(1, GICD_ISENABLER, 4), 1U << 27);
	assert_int_equal(rd(0, GICD_ISENABLER, 4), 0);
	wr(2, GICD_IPRIORITYR + 27, 1, 0xA5);
	/* Five priority bits. */
	assert_int_equal(rd(2, GICD_IPRIORITYR + 27, 1), 0xA0);
	assert_int_equal(rd(0, GICD_IPRIORITYR + 27, 1), 0);
	/* ISPENDR0/ICPENDR0 cannot pend or clear an SGI; a PPI they can. */
	wr(0, GICD_ISPENDR, 4, 0x00010003);
	assert_false(cpus[0].priv[0].pending_latch);
	assert_false(cpus[0].priv[1].pending_latch);
	assert_true(cpus[0].priv[16].pending_latch);
}

static void test_itargetsr_bytes(void **state)
{
	(void)state;
	/* SGIs and PPIs: the reading vCPU's own bit, in every byte, read-only. */
	assert_int_equal(rd(0, GICD_ITARGETSR, 4), 0x01010101);
	assert_int_equal(rd(2, GICD_ITARGETSR + 28, 4), 0x04040404);
	assert_int_equal(rd(1, GICD_ITARGETSR + 5, 1), 0x02);
	wr(1, GICD_ITARGETSR + 4, 4, 0xFFFFFFFF);
	assert_int_equal(rd(1, GICD_ITARGETSR + 4, 4), 0x02020202);
	/* An SPI byte on its own; its neighbours are untouched. */
	wr(0, GICD_ITARGETSR + 33, 1, 0x02);
	assert_int_equal(dist.spis[1].targets, 0x02);
	assert_int_equal(rd(0, GICD_ITARGETSR + 32, 4), 0x0200);
	assert_int_equal(rd(2, GICD_ITARGETSR + 33, 1), 0x02);
	assert_int_equal(fake.nr_changed, 1);
	assert_ptr_equal(fake.changed[0], &dist.spis[1]);
	/* Bits of vCPUs the VM does not have read as zero. */
	wr(0, GICD_ITARGETSR + 40, 1, 0xFC);
	assert_int_equal(rd(0, GICD_ITARGETSR + 40, 1), 0x04);
	/* Routing: the first vCPU named. */
	assert_ptr_equal(vgic_v2_model.spi_target(&vm, &dist.spis[40 - 32]), &vcpus[2]);
	wr(0, GICD_ITARGETSR + 40, 1, 0x06);
	assert_ptr_equal(vgic_v2_model.spi_target(&vm, &dist.spis[40 - 32]), &vcpus[1]);
	wr(0, GICD_ITARGETSR + 40, 1, 0x00);
	assert_null(vgic_v2_model.spi_target(&vm, &dist.spis[40 - 32]));
	/* A word write sets four. SPIs the VM does not own stay RAZ/WI, and are counted. */
	wr(0, GICD_ITARGETSR + 32, 4, 0x01010101);
	assert_int_equal(rd(0, GICD_ITARGETSR + 32, 4), 0x00000100);
	assert_int_equal(dist.ignored_spi_writes, 1);
	/* Halfword: not an access the GIC defines. */
	assert_int_equal(wr_err(0, GICD_ITARGETSR + 32, 2, 0), -TERN_EINVAL);
}

static u16 src(unsigned int vcpu, unsigned int sgi)
{
	return cpus[vcpu].priv[sgi].sgi_source;
}

static void test_sgir_decode(void **state)
{
	(void)state;
	/* Filter 0, target list: vCPUs 0 and 2 get SGI 3 from vCPU 1. */
	wr(1, GICD_SGIR, 4, 0U << 24 | 0x05U << 16 | 3);
	assert_int_equal(src(0, 3), 1U << 1);
	assert_int_equal(src(2, 3), 1U << 1);
	assert_int_equal(src(1, 3), 0);
	assert_true(cpus[0].priv[3].pending_latch && cpus[2].priv[3].pending_latch);
	assert_int_equal(fake.nr_changed, 2);
	/* Target-list bits of vCPUs the VM does not have go nowhere. */
	wr(1, GICD_SGIR, 4, 0xF8U << 16 | 4);
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		assert_int_equal(src(i, 4), 0);
	/* Filter 1, all but self: from vCPU 2, SGI 7 to 0 and 1. */
	wr(2, GICD_SGIR, 4, 1U << 24 | 0xFFU << 16 | 7);
	assert_int_equal(src(0, 7), 1U << 2);
	assert_int_equal(src(1, 7), 1U << 2);
	assert_int_equal(src(2, 7), 0);
	/* Filter 2, self: the list is ignored. */
	wr(0, GICD_SGIR, 4, 2U << 24 | 0x06U << 16 | 9);
	assert_int_equal(src(0, 9), 1U << 0);
	assert_int_equal(src(1, 9), 0);
	/* Filter 3 is reserved: nothing. */
	fake.nr_changed = 0;
	wr(0, GICD_SGIR, 4, 3U << 24 | 0xFFU << 16 | 10);
	assert_int_equal(fake.nr_changed, 0);
	/* Senders add up: SGI 3 on vCPU 0 from 1, then from 2 too. */
	wr(2, GICD_SGIR, 4, 0x01U << 16 | 3);
	assert_int_equal(src(0, 3), (1U << 1) | (1U << 2));
	/* SGIR is write-only. */
	assert_int_equal(rd(0, GICD_SGIR, 4), 0);
	/* SPENDSGIR shows the senders: byte n for SGI n, on the reading vCPU. */
	assert_int_equal(rd(0, GICD_SPENDSGIR, 4), (u32)0x06 << 24);
	assert_int_equal(rd(0, GICD_CPENDSGIR + 3, 1), 0x06);
	assert_int_equal(rd(0, GICD_SPENDSGIR + 8, 4), 0x01 << 8);
	assert_int_equal(rd(1, GICD_SPENDSGIR + 4, 4), (u32)0x04 << 24);
}

static void test_sgi_pend_registers(void **state)
{
	(void)state;
	/* SPENDSGIR sets senders (only of existing vCPUs), CPENDSGIR clears them. */
	wr(0, GICD_SPENDSGIR + 2, 1, 0xFF);
	assert_int_equal(src(0, 2), 0x07);
	assert_true(cpus[0].priv[2].pending_latch);
	assert_int_equal(src(1, 2), 0);
	wr(0, GICD_CPENDSGIR, 4, (u32)0x03 << 16);
	assert_int_equal(src(0, 2), 0x04);
	assert_true(cpus[0].priv[2].pending_latch);
	wr(0, GICD_CPENDSGIR + 2, 1, 0x04);
	assert_int_equal(src(0, 2), 0);
	assert_false(cpus[0].priv[2].pending_latch);
	/* The pending bit of ISPENDR0 reflects it. */
	wr(0, GICD_SPENDSGIR + 12, 4, 0x01);
	assert_int_equal(rd(0, GICD_ISPENDR, 4), 1U << 12);
	/* ICPENDR0's SGI bits cannot clear it. */
	wr(0, GICD_ICPENDR, 4, 0xFFFF);
	assert_int_equal(src(0, 12), 0x01);
}

static void test_access_widths(void **state)
{
	(void)state;
	/* Byte access only where the GICv2 allows it. */
	assert_int_equal(wr_err(0, GICD_CTLR, 1, 1), -TERN_EINVAL);
	assert_int_equal(wr_err(0, GICD_ISENABLER + 4, 1, 1), -TERN_EINVAL);
	assert_int_equal(wr_err(0, GICD_SGIR, 8, 1), -TERN_EINVAL);
	assert_int_equal(wr_err(0, GICD_IPRIORITYR + 33, 1, 0x80), 0);
	assert_int_equal(rd(0, GICD_IPRIORITYR + 33, 1), 0x80);
	/* Reserved offsets: RAZ/WI. */
	assert_int_equal(rd(0, 0x0FC0, 4), 0);
	assert_int_equal(rd(0, 0x6000, 8), 0);
}

/* TYPER and IIDR read from the VM's copy, as the table reads them. */
static void test_const_copy(void **state)
{
	struct vgic_mmio_ctx c = { .vm = &vm, .vcpu = &vcpus[1] };

	(void)state;
	assert_int_equal(vgic_const_check(&vgic_v2_dist_table, &c, dist.const_words), 2);
}

static void test_table_index(void **state)
{
	(void)state;
	vgic_index_check(&vgic_v2_dist_table, VGIC_DIST_SIZE);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_values), T(test_banked_private),	  T(test_itargetsr_bytes),
		T(test_sgir_decode),  T(test_sgi_pend_registers), T(test_access_widths),
		T(test_table_index),  T(test_const_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
