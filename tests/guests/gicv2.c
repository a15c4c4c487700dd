// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual GICv2 as a guest of QEMU virt's gic-version=2 machine sees it (GIC=2 builds; run on
 * GICv2 hosts with 2 vCPUs or more): the distributor emulated by Tern, the CPU interface at
 * 0x08010000 the host's GICV in hardware, list registers through GICH. Checks the identification,
 * the banked ITARGETSR, SGIs through GICD_SGIR with each target filter and through SPENDSGIR, with
 * the sender in GICC_IAR, priority masking and order, active state seen by the distributor while
 * the guest handles an interrupt, an SPI routed by ITARGETSR, the virtual timer (a hardware-linked
 * list register; a periodic one that is behind gets a tick per deactivation) and SGIs between the
 * two vCPUs both ways.
 */
#include "gic.h"

#define WAIT_US	      100000
#define QUIET_US      5000
#define SGI_SELF      1
#define SGI_PEND      2
#define SGI_LOW	      3
#define SGI_HIGH      4
#define SGI_ACTIVE    5
#define SGI_REMOTE    6
#define SGI_BACK      7
#define PRIO_MID      0x80
#define PRIO_LOW      0xc0
#define PRIO_HIGH     0x40
#define SECONDARY_ARG 0x62c
#define VTIMER_BEHIND 64

static volatile u32 nr_irqs, irq_log[16], irq_src[16];
static volatile bool active_seen;

static void record_irq(u32 intid)
{
	u32 n = nr_irqs;

	if (n < ARRAY_SIZE(irq_log)) {
		irq_log[n] = intid;
		irq_src[n] = intid < GIC_NR_SGIS ? gic_v2_last_sgi_source(intid) : 0;
	}
	nr_irqs = n + 1;
}

static void active_irq(u32 intid)
{
	/* The guest handles it in hardware: reading the distributor makes Tern sync the LRs. */
	active_seen = gic_irq_is_active(intid);
	record_irq(intid);
}

static void log_reset(void)
{
	nr_irqs = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(irq_log); i++)
		irq_log[i] = irq_src[i] = GIC_INTID_SPURIOUS;
}

static bool take_irqs(u32 want, u64 us)
{
	return gic_take_irqs(&nr_irqs, want, us);
}

static bool quiet(u64 us)
{
	gic_irqs_open(us);
	return nr_irqs == 0;
}

/* vCPUs the VM has: cpu nodes of its DT. */
static unsigned int count_vcpus(void)
{
	int n = guest_boot_dtb ? fdt_count_cpus((const void *)guest_boot_dtb) : -1;

	if (n < 0)
		report_abort("no guest device tree");
	return (unsigned int)n;
}

static void test_ids(void)
{
	unsigned int vcpus = count_vcpus();
	u32 typer = gic_read32(GICD_BASE + GICD_TYPER);
	u32 iidr = gic_read32(GICC_BASE + GICC_IIDR);
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);

	report(vcpus >= 2 && ((typer >> 5) & 7) + 1 == vcpus,
	       "GICD_TYPER.CPUNumber: one CPU interface per vCPU, %u (0x%x)", vcpus, typer);
	report(GIC_PIDR2_ARCHREV(gic_read32(GICD_BASE + GICD_V2_PIDR2)) == 2,
	       "ICPIDR2 (0x%x) at 0x%x: ArchRev 2", gic_read32(GICD_BASE + GICD_V2_PIDR2),
	       GICD_V2_PIDR2);
	report(((iidr >> 16) & 0xf) == 2, "GICC_IIDR is a GICv2 CPU interface (0x%x)", iidr);
	report(((pfr0 >> 24) & 0xf) == 0, "ID_AA64PFR0_EL1.GIC is 0: no system-register interface");
	report(gic_v2_cpu_mask() == 1 && gic_read8(GICD_BASE + GICD_ITARGETSR + 27) == 1,
	       "GICD_ITARGETSR0-7 read as vCPU 0's own bit (0x%x)", gic_v2_cpu_mask());
}

/*
 * Words of Tern's GICv2 distributor frame that may read non-zero: every other word of it is
 * reserved or RAZ (NSACR: no Security Extensions; GICD_SGIR: write-only), reads 0, ignores writes.
 * The identification registers end the 4 KiB frame (IHI 0048B 4.1.2), where QEMU's GICv2 has
 * them too (ICPIDR2 0x2B, ICCIDR0-3 0x0D 0xF0 0x05 0xB1), not at the end of 64 KiB as in a GICv3.
 */
static const struct gic_live_range dist_live[] = {
	{ 0x0000, 0x000C }, /* CTLR, TYPER, IIDR */
	{ 0x0080, 0x0D00 }, /* IGROUPR ... ICACTIVER, IPRIORITYR, ITARGETSR, ICFGR */
	{ 0x0F10, 0x0F30 }, /* CPENDSGIR, SPENDSGIR */
	{ 0x0FE8, 0x0FEC }, /* ICPIDR2 */
	{ 0x0FF0, 0x1000 }, /* ICCIDR0-3 */
};

/*
 * The register map as Tern's offset index serves it (virt/vgic_v2_dist.c): reserved words read 0
 * and ignore writes, the read-only registers keep their values and answer at their own offsets,
 * and widths no register allows abort.
 */
static void test_register_map(void)
{
	static const u32 reserved[] = { 0x000C, 0x0D00, 0x0E00, 0x0F04, 0x0F30, 0x0FCC, 0x0FE4,
					0x1000, 0x8000, 0xFFCC, 0xFFE4, 0xFFE8, 0xFFF0, 0xFFFC };
	static const u8 cidr[] = { 0x0D, 0xF0, 0x05, 0xB1 };
	u32 typer = gic_read32(GICD_BASE + GICD_TYPER), iidr = gic_read32(GICD_BASE + GICD_IIDR);
	u64 first = 0;
	unsigned int bad =
	    gic_sweep_reserved(GICD_BASE, 0x10000, dist_live, ARRAY_SIZE(dist_live), &first);
	bool wi = true, ids = gic_read32(GICD_BASE + GICD_V2_PIDR2) == 0x2B;

	report(!bad, "GICD: every reserved word reads 0 (%u do not, first at 0x%lx)", bad, first);
	for (unsigned int i = 0; i < ARRAY_SIZE(reserved); i++)
		wi &= gic_try_write32(GICD_BASE + reserved[i], ~0U) &&
		      !gic_read32(GICD_BASE + reserved[i]);
	wi &= gic_try_write32(GICD_BASE + GICD_TYPER, 0) &&
	      gic_try_write32(GICD_BASE + GICD_IIDR, ~0U) &&
	      gic_read32(GICD_BASE + GICD_TYPER) == typer &&
	      gic_read32(GICD_BASE + GICD_IIDR) == iidr;
	for (unsigned int i = 0; i < 4; i++)
		ids &= gic_read32(GICD_BASE + GICD_V2_CIDR0 + 4 * i) == cidr[i];
	report(wi && ids && (iidr & 0xfff) == 0x43b,
	       "GICD: writes to reserved words, TYPER and IIDR ignored; IIDR 0x%x, ICPIDR2 and "
	       "ICCIDR0-3 at 0xFE8-0xFFC (%d/%d)",
	       iidr, wi, ids);
	report(gic_read_aborts(GICD_BASE + GICD_TYPER, 1) &&
		   gic_read_aborts(GICD_BASE + GICD_IIDR, 2) &&
		   gic_read_aborts(GICD_BASE + GICD_CTLR, 8) &&
		   gic_read_aborts(GICD_BASE + GICD_ISENABLER(0), 2),
	       "GICD: byte, halfword and 64-bit reads of 32-bit registers abort");
}

static void test_sgi_self(void)
{
	log_reset();
	gic_write32(GICD_BASE + GICD_SGIR, 2U << 24 | SGI_SELF);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_SELF && irq_src[0] == 0,
	       "GICD_SGIR filter 2 (self): SGI %u taken, sender CPUID 0 (%u taken, src %u)",
	       SGI_SELF, nr_irqs, irq_src[0]);
	log_reset();
	gic_write8(GICD_BASE + GICD_SPENDSGIR + SGI_PEND, 0x01);
	report(gic_read8(GICD_BASE + GICD_SPENDSGIR + SGI_PEND) == 0x01,
	       "GICD_SPENDSGIR shows the pending sender");
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_PEND &&
		   !gic_read8(GICD_BASE + GICD_SPENDSGIR + SGI_PEND),
	       "GICD_SPENDSGIR pends SGI %u, taken once (%u taken)", SGI_PEND, nr_irqs);
	/* Reserved filter 3: nothing. */
	log_reset();
	gic_write32(GICD_BASE + GICD_SGIR, 3U << 24 | 0xffU << 16 | SGI_SELF);
	report(quiet(QUIET_US), "GICD_SGIR filter 3 (reserved) sends nothing (%u taken)", nr_irqs);
}

static void test_pmr_and_order(void)
{
	log_reset();
	gic_set_pmr(PRIO_MID);
	gic_write32(GICD_BASE + GICD_SGIR, 2U << 24 | SGI_LOW);
	report(quiet(QUIET_US), "GICC_PMR 0x%x masks an SGI of priority 0x%x (%u taken)", PRIO_MID,
	       PRIO_LOW, nr_irqs);
	gic_set_pmr(0xf0);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_LOW, "raising GICC_PMR delivers it (%u)", nr_irqs);
	log_reset();
	gic_write32(GICD_BASE + GICD_SGIR, 2U << 24 | SGI_LOW);
	gic_write32(GICD_BASE + GICD_SGIR, 2U << 24 | SGI_HIGH);
	take_irqs(2, WAIT_US);
	report(nr_irqs == 2 && irq_log[0] == SGI_HIGH && irq_log[1] == SGI_LOW,
	       "two pending SGIs taken in priority order (%u then %u)", irq_log[0], irq_log[1]);
}

static void test_active(void)
{
	log_reset();
	active_seen = false;
	gic_set_handler(SGI_ACTIVE, active_irq);
	gic_write32(GICD_BASE + GICD_SGIR, 2U << 24 | SGI_ACTIVE);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && active_seen && !gic_irq_is_active(SGI_ACTIVE),
	       "GICD_ISACTIVER0 shows SGI %u active while handled, inactive after EOI", SGI_ACTIVE);
}

static void test_spi(void)
{
	log_reset();
	gic_irq_set_priority(GIC_SPI_UART, PRIO_MID);
	gic_spi_route(GIC_SPI_UART, cpu_mpidr());
	report(gic_read8(GICD_BASE + GICD_ITARGETSR + GIC_SPI_UART) == 1,
	       "GICD_ITARGETSR byte of SPI %u holds vCPU 0", GIC_SPI_UART);
	gic_irq_enable(GIC_SPI_UART);
	gic_irq_set_pending(GIC_SPI_UART);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == GIC_SPI_UART,
	       "SPI %u routed by ITARGETSR, pended by ISPENDR, taken (%u)", GIC_SPI_UART, nr_irqs);
	log_reset();
	gic_write8(GICD_BASE + GICD_ITARGETSR + GIC_SPI_UART, 0);
	gic_irq_set_pending(GIC_SPI_UART);
	report(quiet(QUIET_US) && gic_irq_is_pending(GIC_SPI_UART),
	       "an SPI targeting no vCPU stays pending, delivered nowhere");
	gic_irq_clear_pending(GIC_SPI_UART);
	gic_irq_disable(GIC_SPI_UART);
}

/* A timer driver's handler lowers the line: disabled here. */
static void vtimer_once(u32 intid)
{
	write_sysreg(0, cntv_ctl_el0);
	isb();
	record_irq(intid);
}

static u64 vtimer_period;
static volatile u32 vtimer_ticks;

/* A periodic timer catching up: the next compare value is still in the past, the line stays up. */
static void vtimer_periodic(u32 intid)
{
	(void)intid;
	write_sysreg(read_sysreg(cntv_cval_el0) + vtimer_period, cntv_cval_el0);
	isb();
	vtimer_ticks++;
}

static void test_vtimer(void)
{
	bool ok;

	log_reset();
	gic_set_handler(GIC_PPI_VTIMER, vtimer_once);
	gic_irq_set_priority(GIC_PPI_VTIMER, PRIO_MID);
	gic_irq_enable(GIC_PPI_VTIMER);
	write_sysreg(gic_us_to_ticks(1000), cntv_tval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	take_irqs(1, WAIT_US);
	write_sysreg(0, cntv_ctl_el0);
	isb();
	report(nr_irqs >= 1 && irq_log[0] == GIC_PPI_VTIMER,
	       "virtual timer PPI %u delivered (hardware-linked list register)", GIC_PPI_VTIMER);

	/*
	 * Each deactivation with the line still high must bring the next tick at once, with nothing
	 * else happening on the host (QEMU's GICv2 signals no physical interrupt after a
	 * deactivation through a hardware-linked LR: Tern emulates that LR).
	 */
	vtimer_period = gic_us_to_ticks(100);
	vtimer_ticks = 0;
	gic_set_handler(GIC_PPI_VTIMER, vtimer_periodic);
	write_sysreg(gic_counter() - VTIMER_BEHIND * vtimer_period, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	gic_irqs_unmask();
	ok = gic_wait_count(&vtimer_ticks, VTIMER_BEHIND, WAIT_US);
	gic_irqs_mask();
	write_sysreg(0, cntv_ctl_el0);
	isb();
	report(ok, "a virtual timer %u periods behind catches up: %u ticks within %u us",
	       VTIMER_BEHIND, vtimer_ticks, WAIT_US);
	gic_irq_disable(GIC_PPI_VTIMER);
	gic_set_handler(GIC_PPI_VTIMER, record_irq);
}

static volatile u32 sec_ready, sec_release, remote_count, remote_src;

static void remote_handler(u32 intid)
{
	remote_src = gic_v2_last_sgi_source(intid);
	remote_count++;
}

static void secondary_main(u64 arg)
{
	bool ok = gic_cpu_init() && gic_v2_cpu_mask() == 2;

	gic_irq_set_priority(SGI_REMOTE, PRIO_MID);
	gic_irq_enable(SGI_REMOTE);
	dsb();
	sec_ready = ok ? (u32)arg : 1;
	gic_irqs_unmask();
	while (!remote_count)
		;
	/* Filter 1 (all but self) from vCPU 1: reaches vCPU 0 only. */
	gic_write32(GICD_BASE + GICD_SGIR, 1U << 24 | SGI_BACK);
	while (!sec_release)
		;
	gic_irqs_mask();
}

static void test_remote(void)
{
	u64 target = (cpu_mpidr() & ~0xffUL) | 1;
	s64 ret;

	log_reset();
	gic_set_handler(SGI_REMOTE, remote_handler);
	ret = cpu_start(target, 1, secondary_main, SECONDARY_ARG);
	for (u64 end = gic_counter() + gic_us_to_ticks(1000000); !sec_ready && gic_counter() < end;)
		;
	report(ret == PSCI_RET_SUCCESS && sec_ready == SECONDARY_ARG,
	       "vCPU 1 up, reading its own bit (2) in GICD_ITARGETSR0 (ret %ld)", ret);
	gic_write32(GICD_BASE + GICD_SGIR, 0U << 24 | 0x02U << 16 | SGI_REMOTE);
	gic_wait_count(&remote_count, 1, WAIT_US);
	report(remote_count == 1 && remote_src == 0,
	       "GICD_SGIR target list: SGI %u taken on vCPU 1, sender 0 (%u, src %u)", SGI_REMOTE,
	       remote_count, remote_src);
	take_irqs(1, WAIT_US);
	report(nr_irqs == 1 && irq_log[0] == SGI_BACK && irq_src[0] == 1,
	       "GICD_SGIR filter 1 from vCPU 1: SGI %u on vCPU 0 with sender 1 (%u, src %u)",
	       SGI_BACK, nr_irqs, irq_src[0]);
	sec_release = 1;
	dsb();
}

int main(void)
{
	report_prefix("gicv2");
	test_ids();
	test_register_map();
	report(gic_dist_init(), "GICD_CTLR: both groups enabled");
	report(gic_cpu_init(), "CPU interface enabled at 0x%lx", GICC_BASE);
	for (u32 i = 0; i < GIC_FIRST_SPI; i++)
		gic_set_handler(i, record_irq);
	gic_set_handler(GIC_SPI_UART, record_irq);
	for (u32 sgi = SGI_SELF; sgi <= SGI_BACK; sgi++) {
		gic_irq_set_priority(sgi, sgi == SGI_HIGH  ? PRIO_HIGH
					  : sgi == SGI_LOW ? PRIO_LOW
							   : PRIO_MID);
		gic_irq_enable(sgi);
	}
	test_sgi_self();
	test_pmr_and_order();
	test_active();
	test_spi();
	test_vtimer();
	test_remote();
	report(gic_unhandled_count() == 0, "no interrupt without a handler (%u), %u spurious",
	       gic_unhandled_count(), gic_spurious_count());
	return 0;
}
