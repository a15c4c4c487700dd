// SPDX-License-Identifier: GPL-2.0-only
/*
 * SGIs a vCPU sends to itself, as Tern's self-SGI fast path delivers them (an ICC_SGI1R_EL1 write
 * naming only the sender, of an SGI the vGIC holds idle and deliverable, goes straight into a
 * free list register, virt/vgic_v3_fast.c), and everything that must take one off that path
 * (2 vCPUs; run on 1 pCPU, where they time-share, and on 4). Each SGI is first sent once the
 * slow way, which arms it, and then again:
 * - back to back, every SGI 0-15 many times: each delivered once, with its own INTID;
 * - sent again while still pending in the list register (PSTATE.I masked), with and without
 *   a GICR_ISPENDR0 read in between (which must see it pending): delivered once;
 * - sent while another SGI waits in a list register: each delivered once;
 * - acknowledged (active) and sent again: GICR_ISACTIVER0 sees it active, delivered once more
 *   after the EOI;
 * - disabled (ICENABLER0), in Group 0 (IGROUPR0), with Group 1 off in GICD_CTLR, with its
 *   priority lowered under ICC_PMR_EL1 through GICR_IPRIORITYR, masked by PMR, or disabled by
 *   vCPU 1 through vCPU 0's redistributor: not delivered (pending where it must be), then once
 *   when allowed again;
 * - a write naming vCPU 0 and vCPU 1 (TargetList), or every other vCPU (IRM = 1): each named
 *   vCPU takes it once, the sender only if named.
 * Each of the disarming checks fails if the fast path keeps an SGI armed across the change. The
 * same program passes on plain QEMU (tools/run-qemu --dtb --smp 2 sgiself.bin).
 */
#include "smp.h"

#define PRIO_SGI 0x80
#define PRIO_LOW 0xC0
#define PMR_OPEN 0xF0
#define PMR_MID	 0xA0
#define ROUNDS	 64
#define WAIT_US	 2000000
#define QUIET_US 3000
#define SGI_A	 3 /* the SGI most checks use */
#define SGI_B	 9
#define SGI_C	 12

struct count {
	volatile u32 n[GIC_NR_SGIS];
	volatile u32 last;
	volatile u32 total;
};

static struct count counts[SMP_MAX_CPUS];

static void sgi_irq(u32 intid)
{
	struct count *c = &counts[smp_this_cpu()];

	if (intid < GIC_NR_SGIS)
		c->n[intid]++;
	c->last = intid;
	c->total++;
}

static u64 self(void)
{
	return smp_mpidr[smp_this_cpu()];
}

static u32 sgi_reg(u32 off)
{
	return gic_read32(gic_sgi_base() + off);
}

/* Anything pending is taken, then IRQs are masked again. */
static void take(void)
{
	gic_irqs_open(QUIET_US);
}

/* Sent to itself and taken: once with the right INTID. */
static bool send_take(u32 sgi)
{
	struct count *c = &counts[smp_this_cpu()];
	u32 n0 = c->n[sgi], t0 = c->total;

	gic_send_sgi(self(), sgi);
	take();
	return c->n[sgi] == n0 + 1 && c->total == t0 + 1 && c->last == sgi;
}

static void test_back_to_back(void)
{
	unsigned int bad = 0;

	for (unsigned int r = 0; r < ROUNDS; r++)
		for (u32 sgi = 0; sgi < GIC_NR_SGIS; sgi++)
			bad += !send_take(sgi);
	report(!bad, "SGIs 0-15 to itself, %u rounds: each once with its INTID (%u wrong)", ROUNDS,
	       bad);
}

/* Sent twice while pending in the list register (IRQs masked): one pending state, once. */
static void test_pending_twice(void)
{
	struct count *c = &counts[0];
	u32 n0;
	bool pend;

	(void)send_take(SGI_A);
	n0 = c->n[SGI_A];
	gic_send_sgi(self(), SGI_A);
	gic_send_sgi(self(), SGI_A);
	take();
	report(c->n[SGI_A] == n0 + 1, "sent twice while pending: delivered once (%u)",
	       c->n[SGI_A] - n0);

	(void)send_take(SGI_A);
	n0 = c->n[SGI_A];
	gic_send_sgi(self(), SGI_A);
	pend = sgi_reg(GICR_ISPENDR0) & (1U << SGI_A);
	gic_send_sgi(self(), SGI_A);
	pend &= (sgi_reg(GICR_ISPENDR0) & (1U << SGI_A)) != 0;
	take();
	report(pend && c->n[SGI_A] == n0 + 1,
	       "GICR_ISPENDR0 sees it pending (%d), sent again: delivered once (%u)", pend,
	       c->n[SGI_A] - n0);
}

/* Acknowledged (active), sent again: active in the redistributor, once more after the EOI. */
static void test_active(void)
{
	struct count *c = &counts[0];
	u32 n0, acked;
	bool active, pending;

	(void)send_take(SGI_A);
	n0 = c->n[SGI_A];
	gic_send_sgi(self(), SGI_A);
	acked = gic_ack();
	gic_send_sgi(self(), SGI_A);
	active = sgi_reg(GICR_ISACTIVER0) & (1U << SGI_A);
	pending = sgi_reg(GICR_ISPENDR0) & (1U << SGI_A);
	take(); /* active: not taken again yet */
	report(acked == SGI_A && active && pending && c->n[SGI_A] == n0,
	       "acknowledged (%u), sent again: active %d, pending %d, not taken (%u)", acked,
	       active, pending, c->n[SGI_A] - n0);
	gic_eoi(SGI_A);
	take();
	report(c->n[SGI_A] == n0 + 1 && !(sgi_reg(GICR_ISACTIVER0) & (1U << SGI_A)),
	       "after the EOI: delivered once more (%u)", c->n[SGI_A] - n0);
}

/*
 * An SGI the slow way (disabled, sent, enabled: in a list register) waits there, IRQs masked,
 * while an armed one is sent: the exit that sends the second reads the first back from its list
 * register and must fill them again before the entry (Tern's exit path may not skip that for
 * the fast path's list register). Taken: neither pending any more (GICR_ISPENDR0, an exit),
 * and each came once, also after that exit's entry.
 */
static void test_behind_slow(void)
{
	struct count *c = &counts[0];
	u32 na, nc, pend;

	(void)send_take(SGI_A);
	(void)send_take(SGI_A);
	na = c->n[SGI_A];
	nc = c->n[SGI_C];
	gic_irq_disable(SGI_C);
	gic_send_sgi(self(), SGI_C);
	gic_irq_enable(SGI_C);
	gic_send_sgi(self(), SGI_A);
	take();
	pend = sgi_reg(GICR_ISPENDR0) & (1U << SGI_C | 1U << SGI_A);
	take();
	report(!pend && c->n[SGI_C] == nc + 1 && c->n[SGI_A] == na + 1,
	       "one SGI in a list register, an armed one sent: once each (%u, %u), then not "
	       "pending (0x%x)",
	       c->n[SGI_C] - nc, c->n[SGI_A] - na, pend);
}

/* Not delivered while @off; pending (if @want_pending); once after @on. */
static void check_held(const char *what, u32 sgi, void (*off)(u32), void (*on)(u32),
		       bool want_pending)
{
	struct count *c = &counts[smp_this_cpu()];
	u32 n0;
	bool pend, held_ok;

	(void)send_take(sgi);
	(void)send_take(sgi);
	n0 = c->n[sgi];
	off(sgi);
	gic_send_sgi(self(), sgi);
	take();
	pend = (sgi_reg(GICR_ISPENDR0) & (1U << sgi)) != 0;
	held_ok = c->n[sgi] == n0 && pend == want_pending;
	on(sgi);
	take();
	report(held_ok && c->n[sgi] == n0 + (want_pending ? 1 : 0),
	       "%s: not delivered, pending %d; then %u delivered", what, pend, c->n[sgi] - n0);
	/* And it still works (armed again after one slow send). */
	report(send_take(sgi) && send_take(sgi), "%s: delivered again afterwards", what);
}

static void dis(u32 sgi)
{
	gic_irq_disable(sgi);
}

static void en(u32 sgi)
{
	gic_irq_enable(sgi);
}

static void group0(u32 sgi)
{
	gic_write32(gic_sgi_base() + GICR_IGROUPR0, sgi_reg(GICR_IGROUPR0) & ~(1U << sgi));
}

static void group1(u32 sgi)
{
	gic_write32(gic_sgi_base() + GICR_IGROUPR0, sgi_reg(GICR_IGROUPR0) | (1U << sgi));
}

static void g1_off(u32 sgi)
{
	(void)sgi;
	gic_write32(GICD_BASE + GICD_CTLR,
		    gic_read32(GICD_BASE + GICD_CTLR) & ~GICD_CTLR_ENABLE_G1_G1A);
}

static void g1_on(u32 sgi)
{
	(void)sgi;
	gic_write32(GICD_BASE + GICD_CTLR,
		    gic_read32(GICD_BASE + GICD_CTLR) | GICD_CTLR_ENABLE_G1_G1A);
}

/* Armed at 0x80 under PMR 0xA0, then lowered to 0xC0: masked. */
static void prio_low(u32 sgi)
{
	gic_set_pmr(PMR_MID);
	gic_irq_set_priority(sgi, PRIO_LOW);
}

static void prio_back(u32 sgi)
{
	gic_set_pmr(PMR_OPEN);
	gic_irq_set_priority(sgi, PRIO_SGI);
}

static void pmr_mask(u32 sgi)
{
	(void)sgi;
	gic_set_pmr(PRIO_SGI);
}

static void pmr_open(u32 sgi)
{
	(void)sgi;
	gic_set_pmr(PMR_OPEN);
}

static volatile u64 rd_base0;
static volatile u32 remote_sgi;

static void remote_disable(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	gic_write32(rd_base0 + GICR_SGI_OFFSET + GICR_ICENABLER0, 1U << remote_sgi);
}

static void remote_off(u32 sgi)
{
	rd_base0 = gic_this_cpu()->rd_base;
	remote_sgi = sgi;
	smp_run_on(1U << 1, remote_disable, NULL);
	report(smp_wait_done(1U << 1, WAIT_US) == 0, "vCPU 1 disabled vCPU 0's SGI %u", sgi);
}

/* vCPU 1: takes what comes for a while (the sender waits for it). */
static void open_irqs(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	gic_irqs_open(5 * QUIET_US);
}

/* One write naming vCPU 0 and vCPU 1; then IRM = 1 (every other vCPU). */
static void test_targets(void)
{
	u64 both[2] = { smp_mpidr[0], smp_mpidr[1] };
	u32 n0, n1;

	(void)send_take(SGI_B);
	(void)send_take(SGI_B);
	n0 = counts[0].n[SGI_B];
	n1 = counts[1].n[SGI_B];
	smp_run_on(1U << 1, open_irqs, NULL);
	gic_send_sgi_list(both, 2, SGI_B);
	take();
	report(smp_wait_done(1U << 1, WAIT_US) == 0 && counts[0].n[SGI_B] == n0 + 1 &&
		   counts[1].n[SGI_B] == n1 + 1,
	       "TargetList vCPUs 0 and 1: once each (%u, %u)", counts[0].n[SGI_B] - n0,
	       counts[1].n[SGI_B] - n1);

	(void)send_take(SGI_B);
	n0 = counts[0].n[SGI_B];
	n1 = counts[1].n[SGI_B];
	smp_run_on(1U << 1, open_irqs, NULL);
	gic_send_sgi_others(SGI_B);
	take();
	report(smp_wait_done(1U << 1, WAIT_US) == 0 && counts[0].n[SGI_B] == n0 &&
		   counts[1].n[SGI_B] == n1 + 1,
	       "IRM = 1: vCPU 1 once, not the sender (%u, %u)", counts[0].n[SGI_B] - n0,
	       counts[1].n[SGI_B] - n1);

	/* IRM = 1 with the fields of a write to the sender alone: still every other vCPU. */
	(void)send_take(SGI_B);
	n0 = counts[0].n[SGI_B];
	n1 = counts[1].n[SGI_B];
	smp_run_on(1U << 1, open_irqs, NULL);
	dsb();
	write_sysreg(ICC_SGI1R_IRM | (u64)SGI_B << ICC_SGI1R_INTID_SHIFT | 1UL << (self() & 0xf),
		     icc_sgi1r_el1);
	isb();
	take();
	report(smp_wait_done(1U << 1, WAIT_US) == 0 && counts[0].n[SGI_B] == n0 &&
		   counts[1].n[SGI_B] == n1 + 1,
	       "IRM = 1 with its own TargetList bit: vCPU 1 once, not the sender (%u, %u)",
	       counts[0].n[SGI_B] - n0, counts[1].n[SGI_B] - n1);
}

static void sgiself_setup(unsigned int cpu)
{
	(void)cpu;
	for (u32 sgi = 0; sgi < GIC_NR_SGIS; sgi++) {
		gic_irq_set_priority(sgi, PRIO_SGI);
		gic_irq_enable(sgi);
	}
	gic_irqs_mask();
}

int main(void)
{
	report_prefix("sgiself");
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GICv3 set-up failed");
	if (smp_init() < 2)
		report_abort("need 2 vCPUs");
	for (u32 sgi = 0; sgi < GIC_NR_SGIS; sgi++)
		gic_set_handler(sgi, sgi_irq);
	smp_set_cpu_setup(sgiself_setup);
	sgiself_setup(0);
	if (smp_cpu_on(1, false, 0) != PSCI_RET_SUCCESS || !smp_wait_ready(1, 1, WAIT_US))
		report_abort("vCPU 1 did not start");

	test_back_to_back();
	test_pending_twice();
	test_behind_slow();
	test_active();
	check_held("ICENABLER0", SGI_A, dis, en, true);
	check_held("Group 0 (IGROUPR0)", SGI_A, group0, group1, false);
	check_held("GICD_CTLR Group 1 off", SGI_A, g1_off, g1_on, true);
	check_held("priority 0xc0 under PMR 0xa0", SGI_A, prio_low, prio_back, true);
	check_held("ICC_PMR_EL1 at its priority", SGI_A, pmr_mask, pmr_open, true);
	check_held("disabled by vCPU 1", SGI_A, remote_off, en, true);
	test_targets();
	test_back_to_back();
	report(gic_unhandled_count() == 0, "no interrupt without a handler (%u)",
	       gic_unhandled_count());
	return 0;
}
