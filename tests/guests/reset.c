// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI SYSTEM_RESET restarts the VM from its pristine image.
 *
 * boot_stamp lives in .data with the value 0x1234 in the image. The first boot checks it, changes
 * it to 0xdead and calls SYSTEM_RESET; after the reset it must read 0x1234 again, which is only
 * true if Tern reloaded the image (a restart that just jumps back to the entry sees 0xdead and
 * FAILs; one that loses the image prints nothing and the runner times out).
 *
 * Telling the boots apart needs a channel that survives the reset, and PSCI has none. We use a
 * mailbox in RAM outside the image (and outside the DTB), which survives if Tern does not clear
 * guest RAM on reset. That is a hint, not a requirement:
 *  - RAM kept (the expected case): the console shows "reset: first boot", one PASS, "reset:
 *    second boot", the second boot's checks and SUMMARY (the manifest's count is this SUMMARY's).
 *  - RAM cleared by Tern: every boot looks like the first, so "reset: first boot" and its
 *    ".data is pristine" PASS repeat and the VM resets forever. The second "reset: first boot"
 *    followed by PASS already proves the reload; the runner must then stop the VM itself.
 * The runner therefore counts "reset: first boot" lines: one, then "reset: second boot" -> the
 * SUMMARY decides; two or more -> pass on the PASS lines, flag "RAM cleared on reset", stop.
 *
 * The first boot also leaves the machine busy: interrupts enabled, pending and one active (acked,
 * never EOIed), the CPU interface's priority mask and group enable set, both timers armed, a
 * virtual SError pending (the DEBUG_GUEST_HOOKS hypercall), a breakpoint, a watchpoint and the
 * debug enables set with the OS lock clear, the PMU counting with its interrupt enabled (when the
 * VM has a PMU). After
 * the reset every one of them must read its reset value, and unmasking takes nothing.
 */
#include "gic.h"

#define STAMP_PRISTINE 0x1234U
#define STAMP_DIRTY    0xdeadU
#define MB_MAGIC       0x7e5e7b007e5e7b00UL

struct mailbox {
	u64 magic;
	u64 boots;
	u64 dtb;
	u64 check;
};

static volatile u32 boot_stamp = STAMP_PRISTINE;

#define SGI_ENABLED 1
#define SGI_PENDING 2
#define SGI_ACTIVE  3
#define MDSCR_KDE   (1UL << 13)
#define MDSCR_MDE   (1UL << 15)
#define ISR_A	    (1UL << 8)

/* The PMU's registers by encoding (the macros take the name as written). */
static volatile u32 serrors;

static void on_serror(u64 esr, u64 index)
{
	(void)esr;
	(void)index;
	serrors++;
}

/* A PMUv3 the guest can use (Tern shows none where it cannot keep it from counting at EL2). */
static bool has_pmu(void)
{
	u64 ver = FIELD(read_sysreg(id_aa64dfr0_el1), 11, 8);

	return ver && ver != 0xf;
}

/* Everything a reset must undo, left in use (vCPU 0 only: the VM has one). */
static void leave_busy(void)
{
	u64 self = read_sysreg(mpidr_el1);
	u64 now = read_sysreg(cntvct_el0), ten_s = read_sysreg(cntfrq_el0) * 10;

	gic_dist_init();
	gic_cpu_init();
	gic_irq_enable(SGI_ENABLED);
	gic_irq_enable(GIC_PPI_VTIMER);
	gic_irq_enable(GIC_SPI_UART);
	gic_irq_set_pending(SGI_PENDING);
	gic_irq_enable(SGI_ACTIVE);
	gic_send_sgi(self, SGI_ACTIVE);
	report_info("acknowledged INTID %u and left it active", gic_ack());
	gic_set_pmr(0x80);
	write_sysreg(now + ten_s, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	write_sysreg(now + ten_s, cntp_cval_el0);
	write_sysreg(1, cntp_ctl_el0);
	report_info("SError hook: %ld", tern_hook(GUEST_HOOK_INJECT_SERROR));
	write_sysreg(0, oslar_el1);
	write_sysreg(0x40000000, dbgbvr0_el1);
	write_sysreg(1 | 1UL << 1 | 0xFUL << 5, dbgbcr0_el1);
	write_sysreg(0x40001000, dbgwvr0_el1);
	write_sysreg(1 | 1UL << 1 | 3UL << 3 | 0xFFUL << 5, dbgwcr0_el1);
	write_sysreg(MDSCR_KDE | MDSCR_MDE, mdscr_el1);
	if (has_pmu()) {
		write_sysreg(0x11, s3_3_c14_c12_0);
		write_sysreg(12345, s3_3_c14_c8_0);
		write_sysreg(1 | 1UL << 31, s3_3_c9_c12_1);
		write_sysreg(1, s3_0_c9_c14_1);
		write_sysreg(1, s3_3_c9_c14_0);
		write_sysreg(1, s3_3_c9_c12_0);
	}
	isb();
}

/* After the reset, before anything is set up again: everything at its reset value. */
static void check_quiet(void)
{
	struct gic_reset_view g;
	u32 en1 = gic_read32(GICD_BASE + GICD_ISENABLER(1)),
	    pend1 = gic_read32(GICD_BASE + GICD_ISPENDR(1));
	u64 isr;

	gic_reset_view(&g);
	report(!g.enabled0 && !g.pending0 && !g.active0 && !en1 && !pend1 && g.rpr == 0xff &&
		   g.hppir == GIC_INTID_SPURIOUS && !g.pmr && !g.enable && !g.apr0,
	       "GIC: nothing enabled, pending or active (0x%x 0x%x 0x%x 0x%x 0x%x), RPR 0x%x, "
	       "HPPIR %u, PMR 0x%x, interface enable %u, APR0 0x%x",
	       g.enabled0, g.pending0, g.active0, en1, pend1, g.rpr, g.hppir, g.pmr, g.enable,
	       g.apr0);
	report(!(read_sysreg(cntv_ctl_el0) & 1) && !(read_sysreg(cntp_ctl_el0) & 1),
	       "timers disabled (CNTV_CTL 0x%lx, CNTP_CTL 0x%lx)", read_sysreg(cntv_ctl_el0),
	       read_sysreg(cntp_ctl_el0));
	isr = read_sysreg(isr_el1);
	exception_set_serror_handler(on_serror);
	asm volatile("msr daifclr, #4\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #4\n\tisb" ::: "memory");
	exception_set_serror_handler(NULL);
	report(!isr && !serrors, "no SError or interrupt pending (ISR_EL1 0x%lx, %u taken)", isr,
	       serrors);
	report(!read_sysreg(dbgbcr0_el1) && !read_sysreg(dbgwcr0_el1) && !read_sysreg(mdscr_el1) &&
		   (read_sysreg(oslsr_el1) & 2),
	       "debug: breakpoint, watchpoint and MDSCR_EL1 clear, OS lock set (OSLSR 0x%lx)",
	       read_sysreg(oslsr_el1));
	if (!has_pmu()) {
		report_skip("PMU: none (ID_AA64DFR0_EL1.PMUVer 0x%lx)",
			    FIELD(read_sysreg(id_aa64dfr0_el1), 11, 8));
		return;
	}
	report(!(read_sysreg(s3_3_c9_c12_0) & 1) && !read_sysreg(s3_3_c9_c12_1) &&
		   !read_sysreg(s3_0_c9_c14_1) && !read_sysreg(s3_3_c9_c14_3) &&
		   !read_sysreg(s3_3_c9_c14_0),
	       "PMU: not counting, no counter or interrupt enabled, no overflow (PMCR 0x%lx)",
	       read_sysreg(s3_3_c9_c12_0));
}

static u64 mb_check(volatile struct mailbox *mb)
{
	return ~(mb->magic ^ mb->boots ^ mb->dtb);
}

/* The same address on every boot: past the image, moved past the DTB if they would overlap. */
static volatile struct mailbox *mailbox_addr(void)
{
	u64 mb = ALIGN_UP((u64)_end, 4096) + 0x10000;
	u64 dtb = guest_boot_dtb, dtb_size = fdt_totalsize((const void *)dtb);

	if (dtb_size && mb + sizeof(struct mailbox) > dtb && mb < dtb + dtb_size)
		mb = ALIGN_UP(dtb + dtb_size, 4096);
	return (volatile struct mailbox *)mb;
}

int main(void)
{
	volatile struct mailbox *mb = mailbox_addr();
	u32 stamp = boot_stamp;
	u64 el = (read_sysreg(CurrentEL) >> 2) & 3, sctlr = read_sysreg(sctlr_el1);

	report_prefix("reset");
	if (mb->magic != MB_MAGIC || mb->check != mb_check(mb)) {
		puts("reset: first boot\n");
		report(stamp == STAMP_PRISTINE, ".data is pristine at boot (0x%x)", stamp);
		boot_stamp = STAMP_DIRTY;
		mb->magic = MB_MAGIC;
		mb->boots = 1;
		mb->dtb = guest_boot_dtb;
		mb->check = mb_check(mb);
		write_sysreg(0x7e5e7, tpidr_el1);
		leave_busy();
		dsb();
		puts("reset: calling SYSTEM_RESET\n");
		psci_system_reset();
		report(false, "SYSTEM_RESET returned");
		return 0;
	}

	puts("reset: second boot\n");
	check_quiet();
	report(stamp == STAMP_PRISTINE,
	       ".data is pristine after SYSTEM_RESET: image reloaded (0x%x)", stamp);
	report(el == 1 && !(sctlr & 1),
	       "entered at EL1 with the MMU off again (EL%lu, SCTLR 0x%lx)", el, sctlr);
	report(mb->dtb == guest_boot_dtb, "x0 (DTB) the same as on the first boot (0x%lx)",
	       guest_boot_dtb);
	report(mb->boots == 1, "exactly one reset before this boot (%lu)", mb->boots);
	report_info("TPIDR_EL1 after reset 0x%lx (0x7e5e7 before; architecturally UNKNOWN)",
		    read_sysreg(tpidr_el1));
	mb->magic = 0;
	mb->check = 0;
	return 0;
}
