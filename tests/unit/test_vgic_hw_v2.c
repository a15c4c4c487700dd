// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GICv2 list-register layer (virt/vgic_hw_v2.c) over a GICH frame in host memory: the
 * GICH_LR encoding of the vGIC core's ICH_LR values (Arm IHI 0048B, 5.3.8), and hardware-linked
 * values, which go out as software LRs with the EOI maintenance bit and whose physical interrupt
 * Tern deactivates once the guest has deactivated the virtual one (QEMU's GICv2 does not signal
 * a still-pending physical interrupt after a HW LR's deactivation). The test edits the GICH_LR
 * words the way the guest's acknowledge and deactivation would; irq_set_active and
 * irq_deactivate record their calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <drivers/gicv2.h>
#include <tern/irq.h>
#include <tern/irqchip.h>
#include <tern/percpu.h>
#include <tern/platform.h>
#include <virt/vgic_hw.h>

#define GICH_VTR      (0x004 / 4)
#define GICH_LR(n)    (0x100 / 4 + (n))
#define LR_EOI	      (1U << 19)
#define LR_PENDING    (1U << 28)
#define LR_ACTIVE     (1U << 29)
#define LR_GRP1	      (1U << 30)
#define LR_HW	      (1U << 31)
#define LR_PRIO(p)    ((u32)(p) >> 3 << 23)
#define ICH_PRIO(p)   ((u64)(p) << ICH_LR_PRIO_SHIFT)
#define ICH_PINTID(i) ((u64)(i) << ICH_LR_PINTID_SHIFT)
#define ICH_SOURCE(s) ((u64)(s) << VGIC_LR_SOURCE_SHIFT)
#define MAX_CALLS     8

static u32 gich[0x200 / 4];
static struct pcpu pcpu1 = { .id = 1, .online = true };
static struct pcpu *pcpu0;

/* Physical deactivations: INTID, and whether through the active bit (PPI) or GICC_DIR. */
static struct {
	unsigned int intid[MAX_CALLS];
	bool dir[MAX_CALLS];
	unsigned int n;
} deact;

void irq_set_active(unsigned int intid, bool active)
{
	assert_false(active);
	assert_true(deact.n < MAX_CALLS);
	deact.intid[deact.n] = intid;
	deact.dir[deact.n++] = false;
}

void irq_deactivate(unsigned int intid)
{
	assert_true(deact.n < MAX_CALLS);
	deact.intid[deact.n] = intid;
	deact.dir[deact.n++] = true;
}

static int setup(void **state)
{
	static const struct irqchip_driver drv = { .name = "gicv2" };
	struct platform_irqchip ic = { .drv = &drv, .nr_regs = GICV2_NR_REGS };

	(void)state;
	memset(gich, 0, sizeof(gich));
	memset(&deact, 0, sizeof(deact));
	gich[GICH_VTR] = 3; /* ListRegs: 4 */
	ic.regs[GICV2_REG_HYP].base = (paddr_t)(uintptr_t)gich;
	if (!pcpu0)
		pcpu0 = unit_this_pcpu;
	unit_this_pcpu = pcpu0;
	assert_int_equal(vgic_hw_init_cpu(&ic), 0);
	assert_int_equal(vgic_hw_nr_lrs(), 4);
	return 0;
}

static void test_software_values(void **state)
{
	u64 sgi = 3 | ICH_PRIO(0xa0) | ICH_LR_GROUP1 | ICH_LR_PENDING | ICH_LR_EOI | ICH_SOURCE(2);
	u64 spi = 33 | ICH_PRIO(0x80) | ICH_LR_PENDING | ICH_LR_ACTIVE;

	(void)state;
	vgic_hw_write_lr(0, sgi);
	assert_int_equal(gich[GICH_LR(0)],
			 3 | 2 << 10 | LR_EOI | LR_PRIO(0xa0) | LR_PENDING | LR_GRP1);
	assert_int_equal(vgic_hw_read_lr(0), sgi);
	vgic_hw_write_lr(1, spi);
	assert_int_equal(gich[GICH_LR(1)], 33 | LR_PRIO(0x80) | LR_PENDING | LR_ACTIVE);
	assert_int_equal(vgic_hw_read_lr(1), spi);
	/* The guest deactivated them: nothing physical to do. */
	gich[GICH_LR(0)] &= ~(LR_PENDING | LR_ACTIVE);
	gich[GICH_LR(1)] &= ~(LR_PENDING | LR_ACTIVE);
	vgic_hw_read_lr(0);
	vgic_hw_read_lr(1);
	assert_int_equal(deact.n, 0);
}

/* The virtual timer: written without HW, with EOI; the physical PPI deactivated once, at the end.
 */
static void test_hw_linked_ppi(void **state)
{
	u64 vt = 27 | ICH_PRIO(0x80) | ICH_LR_PENDING | ICH_LR_HW | ICH_PINTID(27);

	(void)state;
	vgic_hw_write_lr(2, vt);
	assert_int_equal(gich[GICH_LR(2)], 27 | LR_EOI | LR_PRIO(0x80) | LR_PENDING);
	assert_false(gich[GICH_LR(2)] & LR_HW);
	/* Not acknowledged yet: read back as written, hardware-linked. */
	assert_int_equal(vgic_hw_read_lr(2), vt);
	assert_int_equal(deact.n, 0);
	/* Acknowledged: active, still linked, the physical interrupt still active. */
	gich[GICH_LR(2)] ^= LR_PENDING | LR_ACTIVE;
	assert_int_equal(vgic_hw_read_lr(2), (vt & ~ICH_LR_PENDING) | ICH_LR_ACTIVE);
	assert_int_equal(deact.n, 0);
	/* Written back active (the next entry), then deactivated by the guest. */
	vgic_hw_write_lr(2, (vt & ~ICH_LR_PENDING) | ICH_LR_ACTIVE);
	gich[GICH_LR(2)] &= ~LR_ACTIVE;
	assert_int_equal(vgic_hw_read_lr(2), vt & ~ICH_LR_PENDING);
	assert_int_equal(deact.n, 1);
	assert_int_equal(deact.intid[0], 27);
	assert_false(deact.dir[0]);
	/* Once only. */
	vgic_hw_read_lr(2);
	assert_int_equal(deact.n, 1);
}

/* An SPI forwarded the same way is deactivated through GICC_DIR. */
static void test_hw_linked_spi(void **state)
{
	(void)state;
	vgic_hw_write_lr(0, 40 | ICH_LR_ACTIVE | ICH_LR_HW | ICH_PINTID(72));
	gich[GICH_LR(0)] &= ~LR_ACTIVE;
	assert_int_equal(vgic_hw_read_lr(0), ICH_LR_HW | ICH_PINTID(72) | 40);
	assert_int_equal(deact.n, 1);
	assert_int_equal(deact.intid[0], 72);
	assert_true(deact.dir[0]);
}

/*
 * A hardware-linked LR Tern overwrites (vgic_put, a reset) deactivates nothing; nor does reading
 * an LR of another pCPU, whose GICH frame is its own.
 */
static void test_overwritten_and_other_pcpu(void **state)
{
	(void)state;
	vgic_hw_write_lr(1, 27 | ICH_LR_PENDING | ICH_LR_HW | ICH_PINTID(27));
	vgic_hw_write_lr(1, 0);
	vgic_hw_read_lr(1);
	assert_int_equal(deact.n, 0);

	vgic_hw_write_lr(3, 27 | ICH_LR_ACTIVE | ICH_LR_HW | ICH_PINTID(27));
	unit_this_pcpu = &pcpu1;
	gich[GICH_LR(3)] &= ~LR_ACTIVE;
	assert_int_equal(vgic_hw_read_lr(3), ICH_LR_EOI | 27);
	assert_int_equal(deact.n, 0);
	unit_this_pcpu = pcpu0;
	assert_int_equal(vgic_hw_read_lr(3), ICH_LR_HW | ICH_PINTID(27) | 27);
	assert_int_equal(deact.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_software_values, setup),
		cmocka_unit_test_setup(test_hw_linked_ppi, setup),
		cmocka_unit_test_setup(test_hw_linked_spi, setup),
		cmocka_unit_test_setup(test_overwritten_and_other_pcpu, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
