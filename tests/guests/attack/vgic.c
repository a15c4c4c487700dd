// SPDX-License-Identifier: GPL-2.0-only
/*
 * vGIC: every distributor and redistributor register read and written with all ones and zeros,
 * out-of-range INTIDs, SPIs the VM does not own, IROUTER to affinities no vCPU has (not
 * delivered: issue 11) and IRM=1, SGIs to vCPUs that do not exist, the CPU interface registers
 * with junk, LPI/legacy registers. Without a vGIC, the GIC's registers must be UNDEFINED/abort.
 */
#include "attack.h"

#define UART_SPI   GIC_SPI_UART
#define QUIET_US   5000
#define DELIVER_US 100000
#define SGI_ATTACK 7
#define ICC_SGI0R  "s3_0_c12_c11_7"
#define ICC_ASGI1R "s3_0_c12_c11_6"

static volatile u32 irq_count, last_intid;

static void count_irq(u32 intid)
{
	last_intid = intid;
	irq_count = irq_count + 1;
}

/* The GIC back as gic_cpu_init()/gic_dist_init() left it, with our handlers. */
static void gic_sane(void)
{
	gic_dist_init();
	gic_cpu_init();
	gic_set_handler(UART_SPI, count_irq);
	gic_set_handler(SGI_ATTACK, count_irq);
	for (u32 i = 0; i < GIC_NR_SGIS; i++)
		gic_irq_enable(i);
}

static bool take(u32 want, u64 us)
{
	bool ok;

	gic_irqs_unmask();
	ok = gic_wait_count(&irq_count, want, us);
	gic_irqs_mask();
	return ok;
}

static bool no_gic_undef(void)
{
	u64 esr;

	if (attack_have_gic)
		return true;
	return !probe_insn(0xd5384600 /* mrs x0, icc_pmr_el1 */, 0, NULL, &esr) &&
	       ESR_EC(esr) == ESR_EC_UNKNOWN;
}

static bool sweep(u64 base, u64 size, unsigned int size_access, bool write, u64 val)
{
	for (u64 off = 0; off < size; off += size_access) {
		enum probe r = write ? probe_write(base + off, size_access, val)
				     : probe_read(base + off, size_access, NULL);

		if (r == PROBE_OTHER)
			return false;
	}
	return true;
}

static bool gicd_read_all(void)
{
	return !attack_have_gic || sweep(GICD_BASE, GUEST_GICD_SIZE, 4, false, 0);
}

static bool gicd_read_all_64(void)
{
	return !attack_have_gic || sweep(GICD_BASE, GUEST_GICD_SIZE, 8, false, 0);
}

static bool gicd_read_all_bytes(void)
{
	return !attack_have_gic || sweep(GICD_BASE, 0x1000, 1, false, 0);
}

static bool gicd_write_ones(void)
{
	bool ok;

	if (!attack_have_gic)
		return true;
	ok = sweep(GICD_BASE, GUEST_GICD_SIZE, 4, true, ~0UL);
	gic_sane();
	return ok;
}

static bool gicd_write_zeros(void)
{
	bool ok;

	if (!attack_have_gic)
		return true;
	ok = sweep(GICD_BASE, GUEST_GICD_SIZE, 4, true, 0);
	gic_sane();
	return ok;
}

static bool gicr_read_all(void)
{
	u64 rd = gic_this_cpu()->rd_base;

	return !attack_have_gic ||
	       (sweep(rd, GICR_FRAME_SIZE, 4, false, 0) && sweep(rd, GICR_FRAME_SIZE, 8, false, 0));
}

static bool gicr_write_ones(void)
{
	u64 rd = gic_this_cpu()->rd_base;
	bool ok;

	if (!attack_have_gic)
		return true;
	ok = sweep(rd, GICR_FRAME_SIZE, 4, true, ~0UL);
	gic_sane();
	return ok;
}

static bool gicr_write_zeros(void)
{
	u64 rd = gic_this_cpu()->rd_base;
	bool ok;

	if (!attack_have_gic)
		return true;
	ok = sweep(rd, GICR_FRAME_SIZE, 4, true, 0);
	gic_sane();
	return ok;
}

static bool out_of_range_intids(void)
{
	u32 lines;
	bool ok = true;

	if (!attack_have_gic)
		return true;
	lines = (GICD_TYPER_ITLINES(gic_read32(GICD_BASE + GICD_TYPER)) + 1) * 32;
	/* Enable, pend and prioritise INTIDs past ITLinesNumber and up to 1023. */
	for (u32 n = lines / 32; n < 32; n++) {
		ok &= probe_write(GICD_BASE + GICD_ISENABLER(n), 4, ~0UL) != PROBE_OTHER;
		ok &= probe_write(GICD_BASE + GICD_ISPENDR(n), 4, ~0UL) != PROBE_OTHER;
		ok &= probe_write(GICD_BASE + GICD_ISACTIVER(n), 4, ~0UL) != PROBE_OTHER;
	}
	for (u32 i = lines; i < 1024; i += 4)
		ok &= probe_write(GICD_BASE + GICD_IPRIORITYR + i, 4, 0) != PROBE_OTHER;
	for (u32 i = 1019; i < 1024; i++)
		ok &= probe_write(GICD_BASE + GICD_IROUTER(i), 8, ~0UL) != PROBE_OTHER;
	irq_count = 0;
	gic_irqs_unmask();
	gic_delay_us(QUIET_US);
	gic_irqs_mask();
	gic_sane();
	return ok && irq_count == 0;
}

static bool foreign_spis(void)
{
	/* SPIs 34..: not this VM's; they read as zero and never fire. */
	bool ok = true;

	if (!attack_have_gic)
		return true;
	irq_count = 0;
	for (u32 n = 1; n < 4; n++) {
		gic_write32(GICD_BASE + GICD_ISENABLER(n), ~0U & ~(n == 1 ? 1U << 1 : 0));
		gic_write32(GICD_BASE + GICD_ISPENDR(n), ~0U & ~(n == 1 ? 1U << 1 : 0));
		ok &= (gic_read32(GICD_BASE + GICD_ISPENDR(n)) & ~(n == 1 ? 1U << 1 : 0)) == 0;
	}
	gic_irqs_unmask();
	gic_delay_us(QUIET_US);
	gic_irqs_mask();
	gic_sane();
	return ok && irq_count == 0;
}

static bool irouter_sgi_range(void)
{
	bool ok = true;

	if (!attack_have_gic)
		return true;
	for (u32 i = 0; i < 32; i++) {
		ok &= probe_write(GICD_BASE + GICD_IROUTER(i), 8, ~0UL) != PROBE_OTHER;
		ok &= probe_read(GICD_BASE + GICD_IROUTER(i), 8, NULL) != PROBE_OTHER;
	}
	return ok;
}

/* Issue 11: an SPI routed to an affinity no vCPU has is not delivered (it was, to vCPU 0). */
static bool irouter_nobody(void)
{
	bool quiet, still;

	if (!attack_have_gic)
		return true;
	gic_sane();
	irq_count = 0;
	gic_irq_disable(UART_SPI);
	gic_irq_clear_pending(UART_SPI);
	gic_write64(GICD_BASE + GICD_IROUTER(UART_SPI), 0x07); /* Aff0 7: no such vCPU */
	gic_irq_set_priority(UART_SPI, 0x80);
	gic_irq_enable(UART_SPI);
	gic_irq_set_pending(UART_SPI);
	quiet = !take(1, QUIET_US);
	still = gic_irq_is_pending(UART_SPI);
	gic_irq_disable(UART_SPI);
	gic_irq_clear_pending(UART_SPI);
	gic_spi_route(UART_SPI, cpu_mpidr());
	if (!quiet)
		report_info("SPI %u routed to Aff0 7 was delivered to vCPU 0", UART_SPI);
	return quiet && still;
}

static bool irouter_irm(void)
{
	bool got;

	if (!attack_have_gic)
		return true;
	gic_sane();
	irq_count = 0;
	gic_irq_disable(UART_SPI);
	gic_irq_clear_pending(UART_SPI);
	gic_write64(GICD_BASE + GICD_IROUTER(UART_SPI), 1UL << 31 | 0x07); /* IRM: any vCPU */
	gic_irq_enable(UART_SPI);
	gic_irq_set_pending(UART_SPI);
	got = take(1, DELIVER_US) && last_intid == UART_SPI;
	gic_irq_disable(UART_SPI);
	gic_irq_clear_pending(UART_SPI);
	gic_spi_route(UART_SPI, cpu_mpidr());
	return got;
}

static bool irouter_rerouted_home(void)
{
	/* Pending for nobody, then routed here: delivered now. */
	bool got;

	if (!attack_have_gic)
		return true;
	gic_sane();
	irq_count = 0;
	gic_irq_disable(UART_SPI);
	gic_write64(GICD_BASE + GICD_IROUTER(UART_SPI), 0x0300);
	gic_irq_enable(UART_SPI);
	gic_irq_set_pending(UART_SPI);
	gic_irqs_unmask();
	gic_delay_us(QUIET_US);
	gic_spi_route(UART_SPI, cpu_mpidr());
	got = gic_wait_count(&irq_count, 1, DELIVER_US);
	gic_irqs_mask();
	gic_irq_disable(UART_SPI);
	gic_irq_clear_pending(UART_SPI);
	return got;
}

static void sgi1r(u64 v)
{
	write_sysreg(v, icc_sgi1r_el1);
	isb();
}

static bool sgi_nobody(u64 v)
{
	if (!attack_have_gic)
		return true;
	gic_sane();
	irq_count = 0;
	sgi1r(v);
	return !take(1, QUIET_US);
}

static bool sgi_absent_target_list(void)
{
	/* TargetList bits for Aff0 5..15: no such vCPUs. */
	return sgi_nobody((u64)SGI_ATTACK << 24 | 0xffe0);
}

static bool sgi_absent_aff1(void)
{
	return sgi_nobody((u64)SGI_ATTACK << 24 | 0xffUL << 16 | 1);
}

static bool sgi_absent_aff3(void)
{
	return sgi_nobody((u64)SGI_ATTACK << 24 | 0xffUL << 48 | 0xffUL << 32 | 1);
}

static bool sgi_range_selector(void)
{
	return sgi_nobody((u64)SGI_ATTACK << 24 | 0xfUL << 44 | 0xffff);
}

static bool sgi_broadcast_alone(void)
{
	/* IRM: every vCPU but this one; alone in the VM, nobody. */
	if (attack_nr_vcpus > 1)
		return true;
	return sgi_nobody((u64)SGI_ATTACK << 24 | 1UL << 40);
}

static bool sgi_self_junk_bits(void)
{
	/* RES0 bits set around a valid SGI to self: delivered once, nothing else. */
	bool got;

	if (!attack_have_gic)
		return true;
	gic_sane();
	irq_count = 0;
	sgi1r((u64)SGI_ATTACK << 24 | 1 << (cpu_mpidr() & 0xf) | 0xf0000000UL |
	      0xff00000000000000UL);
	got = take(1, DELIVER_US);
	gic_delay_us(1000);
	return got && irq_count == 1 && last_intid == SGI_ATTACK;
}

static bool sgi0r(void)
{
	u64 esr;

	if (!attack_have_gic)
		return true;
	expect_exception(EXCEPTION_ANY);
	asm volatile("msr " ICC_SGI0R ", %0\n\tisb" ::"r"((u64)SGI_ATTACK << 24 | 0xffe0));
	return !exception_taken(&esr, NULL);
}

static bool asgi1r(void)
{
	u64 esr;

	if (!attack_have_gic)
		return true;
	expect_exception(EXCEPTION_ANY);
	asm volatile("msr " ICC_ASGI1R ", %0\n\tisb" ::"r"((u64)SGI_ATTACK << 24 | 0xffe0));
	return !exception_taken(&esr, NULL);
}

static bool iar_nothing(void)
{
	if (!attack_have_gic)
		return true;
	gic_sane();
	return gic_ack() == GIC_INTID_SPURIOUS;
}

static bool eoi_never_acked(void)
{
	if (!attack_have_gic)
		return true;
	gic_eoi(UART_SPI);
	gic_eoi(GIC_INTID_SPURIOUS);
	gic_eoi(1020);
	gic_eoi(0xffffff);
	write_sysreg(UART_SPI, icc_dir_el1);
	isb();
	gic_sane();
	return iar_nothing();
}

static bool cpu_if_junk(void)
{
	u64 esr;
	bool ok = true;

	if (!attack_have_gic)
		return true;
	expect_exception(EXCEPTION_ANY);
	write_sysreg(~0UL, icc_bpr1_el1);
	write_sysreg(~0UL, icc_ctlr_el1);
	write_sysreg(~0UL, icc_ap1r0_el1);
	write_sysreg(0, icc_pmr_el1);
	write_sysreg(~0UL, icc_pmr_el1);
	write_sysreg(0, icc_sre_el1);
	write_sysreg(~0UL, icc_igrpen0_el1);
	isb();
	ok = !exception_taken(&esr, NULL);
	write_sysreg(0, icc_ap1r0_el1);
	write_sysreg(0, icc_igrpen0_el1);
	write_sysreg(1, icc_sre_el1);
	isb();
	gic_sane();
	return ok && sgi_self_junk_bits();
}

static bool legacy_and_lpi(void)
{
	u64 rd = gic_this_cpu()->rd_base;
	bool ok = true;

	if (!attack_have_gic)
		return true;
	ok &= probe_write(GICD_BASE + 0x40, 4, UART_SPI) != PROBE_OTHER;    /* SETSPI_NSR */
	ok &= probe_write(GICD_BASE + 0x48, 4, UART_SPI) != PROBE_OTHER;    /* CLRSPI_NSR */
	ok &= probe_write(GICD_BASE + 0xf00, 4, 0x00ff0000) != PROBE_OTHER; /* GICD_SGIR (v2) */
	ok &= probe_write(rd + 0x70, 8, 0x40000000UL | 0xf) != PROBE_OTHER; /* PROPBASER */
	ok &= probe_write(rd + 0x78, 8, 0x40100000UL) != PROBE_OTHER;	    /* PENDBASER */
	ok &= probe_write(rd + GICR_CTLR, 4, 1) != PROBE_OTHER;		    /* EnableLPIs */
	ok &= probe_write(rd + 0x40, 8, 8192) != PROBE_OTHER;		    /* SETLPIR */
	gic_sane();
	return ok;
}

static bool groups_off_while_pending(void)
{
	bool quiet, got;

	if (!attack_have_gic)
		return true;
	gic_sane();
	irq_count = 0;
	gic_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE);
	sgi1r((u64)SGI_ATTACK << 24 | 1 << (cpu_mpidr() & 0xf));
	quiet = !take(1, QUIET_US);
	gic_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1_G1A);
	got = take(1, DELIVER_US);
	if (!quiet || !got)
		report_info("SGI with groups off: delivered %d, after enabling: %d", !quiet, got);
	gic_sane();
	return quiet && got;
}

static bool waker_games(void)
{
	u64 rd = gic_this_cpu()->rd_base;

	if (!attack_have_gic)
		return true;
	gic_write32(rd + GICR_WAKER, GICR_WAKER_PSLEEP);
	gic_write32(rd + GICR_WAKER, 0);
	gic_write32(rd + GICR_WAKER, ~0U);
	gic_sane();
	return sgi_self_junk_bits();
}

static bool icfgr_flip(void)
{
	if (!attack_have_gic)
		return true;
	gic_irq_set_edge(UART_SPI, true);
	gic_irq_set_edge(UART_SPI, false);
	for (u32 n = 0; n < 64; n++)
		probe_write(GICD_BASE + GICD_ICFGR(n), 4, 0xaaaaaaaa);
	gic_sane();
	return true;
}

static bool active_foreign(void)
{
	if (!attack_have_gic)
		return true;
	gic_write32(GICD_BASE + GICD_ISACTIVER(2), ~0U);
	return gic_read32(GICD_BASE + GICD_ISACTIVER(2)) == 0;
}

ATTACK_TABLE(vgic, { "no vGIC: ICC_PMR_EL1 UNDEFINED", no_gic_undef },
	     { "GICD: read every register", gicd_read_all },
	     { "GICD: 64-bit reads everywhere", gicd_read_all_64 },
	     { "GICD: byte reads", gicd_read_all_bytes },
	     { "GICD: write all ones everywhere", gicd_write_ones },
	     { "GICD: write zeros everywhere", gicd_write_zeros },
	     { "GICR: read every register", gicr_read_all },
	     { "GICR: write all ones everywhere", gicr_write_ones },
	     { "GICR: write zeros everywhere", gicr_write_zeros },
	     { "INTIDs past ITLinesNumber", out_of_range_intids },
	     { "SPIs of other VMs", foreign_spis }, { "IROUTER of SGIs/PPIs", irouter_sgi_range },
	     { "IROUTER to an absent affinity: not delivered", irouter_nobody },
	     { "IROUTER IRM=1: delivered", irouter_irm },
	     { "IROUTER from nobody back to this vCPU", irouter_rerouted_home },
	     { "SGI to absent vCPUs (TargetList)", sgi_absent_target_list },
	     { "SGI to absent Aff1", sgi_absent_aff1 },
	     { "SGI to absent Aff3.Aff2", sgi_absent_aff3 },
	     { "SGI range selector 15", sgi_range_selector },
	     { "SGI broadcast with no other vCPU", sgi_broadcast_alone },
	     { "SGI with RES0 bits set", sgi_self_junk_bits }, { "ICC_SGI0R_EL1 emulated", sgi0r },
	     { "ICC_ASGI1R_EL1 emulated", asgi1r }, { "IAR with nothing pending", iar_nothing },
	     { "EOI/DIR of never-acked INTIDs", eoi_never_acked },
	     { "CPU interface registers with junk", cpu_if_junk },
	     { "legacy SGIR, SETSPI, LPI registers", legacy_and_lpi },
	     { "groups off while pending", groups_off_while_pending },
	     { "GICR_WAKER games", waker_games }, { "ICFGR flips", icfgr_flip },
	     { "ISACTIVER of foreign SPIs", active_foreign });
