// SPDX-License-Identifier: GPL-2.0-only
/*
 * SGIs between vCPUs wherever they run, and the VM-wide PSCI calls from a secondary vCPU (for up
 * to 4 vCPUs, at least 2; run with 4 on 4 pCPUs and time-shared on 1).
 *
 * First boot:
 *  - ping-pong: every vCPU pings every other one ROUNDS times (default 10,000 per ordered pair,
 *    all pairs at once); the target answers from its interrupt handler and the sender waits for
 *    the answer in WFI, so on a shared pCPU every round trip is two wake-ups and two switches;
 *  - wake-up latency: vCPU 1 spins (never WFI) and sends an SGI to vCPU 0, asleep in WFI (the
 *    others sleep in WFI meanwhile); with lat_limit_us=N the median delay until vCPU 0's handler
 *    runs must be below N us (a woken vCPU on a shared pCPU must not wait for the spinning one's
 *    10 ms slice to end). The delay is only a property of Tern in virtual time under QEMU's
 *    -icount (on the host's clock it is whatever the host adds), so the runner sets the bound
 *    there and the default only reports; the rate and the latency themselves are measured by
 *    make bench under icount. Then again with the sender spinning through HVC exits after
 *    running 2 ms: Tern's exit loop must see the reschedule the SGI's exit asks for;
 *  - active state across vCPUs: vCPU 1 takes an SGI with EOImode 1 (priority drop, no
 *    deactivation) and keeps running in the guest; vCPU 0 reads the SGI active through vCPU 1's
 *    redistributor, clears it there, and vCPU 1 takes the same SGI again (impossible if the clear
 *    was lost to vCPU 1's list registers);
 *  - a pending list register stays with its vCPU: vCPU 1 holds an SGI pending (masked) in its
 *    list registers and spins; vCPU 0, sharing its pCPU, spins between vCPU 1's slices and must
 *    never see that SGI pending for itself (ICC_HPPIR1_EL1);
 *  - leaves state behind (an SGI active on vCPU 1, one pending on vCPU 0, vCPU 0's timer armed)
 *    and has vCPU 2 (vCPU 1 with 2 vCPUs) call SYSTEM_RESET while vCPU 1 spins in the guest and
 *    the others sleep.
 * Second boot (told apart by a mailbox in RAM the reset keeps, as tests/guests/reset.c does): the
 * image is pristine, the other vCPUs are off, nothing is pending or active in the GIC; every vCPU
 * comes up again and ping-pongs ROUNDS / 10 times; vCPU 0 prints the SUMMARY (both boots), and the
 * last vCPU calls SYSTEM_OFF while vCPU 1 spins and vCPU 0 sleeps: the runner checks that Tern
 * stopped the VM and powered off.
 * Bootargs: rounds=N (round trips per ordered pair), lat=N (latency samples), lat_limit_us=N
 * (the latency bound; 0, the default: report only).
 */
#include "smp.h"

#define SGI_PING(cpu) (cpu)	/* 0..3: a ping from vCPU cpu */
#define SGI_PONG(cpu) (4 + cpu) /* 4..7: a pong from vCPU cpu */
#define SGI_LAT	      8
#define SGI_ACT	      9
#define SGI_STALE     10 /* left active on vCPU 1 across the reset */
#define SGI_PEND      11 /* left pending (disabled) on vCPU 0 across the reset */
#define SGI_DONE      12 /* only wakes a vCPU from WFI */
#define SGI_HELD      13 /* held pending (masked) in vCPU 1's list registers */
#define NR_SGIS	      14
#define CTL_ENABLE    (1UL << 0)
#define CTL_IMASK     (1UL << 1)
#define MB_MAGIC      0x1b1b0000c0ffee00UL
#define WAIT_US	      2000000
#define DEF_ROUNDS    10000
#define DEF_LAT	      40
#define MAX_LAT	      64

static unsigned int nr_cpus;
static volatile u32 boot_stamp = 0x1234;

/* Survives the SYSTEM_RESET (outside the image and the DTB). */
struct mailbox {
	u64 magic;
	u64 boots;
	u64 tests, failures;
	u64 check;
};

static u64 mb_check(volatile struct mailbox *mb)
{
	return ~(mb->magic ^ mb->boots ^ mb->tests ^ mb->failures);
}

static volatile struct mailbox *mailbox_addr(void)
{
	u64 mb = ALIGN_UP((u64)_end, 4096) + 0x20000;
	u64 dtb = guest_boot_dtb, dtb_size = fdt_totalsize((const void *)dtb);

	if (dtb_size && mb + sizeof(struct mailbox) > dtb && mb < dtb + dtb_size)
		mb = ALIGN_UP(dtb + dtb_size, 4096);
	return (volatile struct mailbox *)mb;
}

static u64 now(void)
{
	return gic_counter();
}

static u64 ticks_to_us(u64 t)
{
	return t * 1000000 / read_sysreg(cntfrq_el0);
}

/* The virtual timer only ends a WFI at a deadline: silence it when it fires. */
static void vtimer_handler(u32 intid)
{
	(void)intid;
	write_sysreg(CTL_ENABLE | CTL_IMASK, cntv_ctl_el0);
	isb();
}

/*
 * Sleep in WFI (interrupts masked, then taken one window at a time) until *cnt >= want or @us
 * pass; the virtual timer wakes the vCPU at the deadline. Returns whether the count was reached.
 */
static bool wait_for(const volatile u32 *cnt, u32 want, u64 us)
{
	u64 end = now() + gic_us_to_ticks(us);

	write_sysreg(end, cntv_cval_el0);
	write_sysreg(CTL_ENABLE, cntv_ctl_el0);
	isb();
	gic_irqs_mask();
	while (smp_load_acquire(cnt) < want && now() < end) {
		gic_wfi_take();
	}
	write_sysreg(0, cntv_ctl_el0);
	isb();
	return smp_load_acquire(cnt) >= want;
}

/* Spin (never WFI, no exit) until *cnt >= want or @us pass. */
static bool spin_for(const volatile u32 *cnt, u32 want, u64 us)
{
	u64 end = now() + gic_us_to_ticks(us);

	while (smp_load_acquire(cnt) < want && now() < end)
		;
	return smp_load_acquire(cnt) >= want;
}

static void cpu_setup(unsigned int cpu)
{
	(void)cpu;
	for (u32 i = 0; i < NR_SGIS; i++)
		if (i != SGI_PEND)
			gic_irq_enable(i);
	gic_irq_enable(GIC_PPI_VTIMER);
}

/* ---- ping-pong ---- */

static void done_handler(u32 intid)
{
	(void)intid;
}

static struct {
	u32 rounds;
	volatile u32 ping_recv[SMP_MAX_CPUS][SMP_MAX_CPUS]; /* [receiver][sender] */
	volatile u32 pong_recv[SMP_MAX_CPUS][SMP_MAX_CPUS]; /* [receiver][sender] */
	volatile u32 late[SMP_MAX_CPUS];
	volatile u32 finished;
	volatile u64 ticks[SMP_MAX_CPUS];
} pp;

static void ping_handler(u32 intid)
{
	unsigned int me = smp_this_cpu(), from = intid - SGI_PING(0);

	pp.ping_recv[me][from]++;
	gic_send_sgi(smp_mpidr[from], SGI_PONG(me));
}

static void pong_handler(u32 intid)
{
	unsigned int me = smp_this_cpu();

	smp_store_release(&pp.pong_recv[me][intid - SGI_PONG(0)],
			  pp.pong_recv[me][intid - SGI_PONG(0)] + 1);
}

static void pingpong_work(unsigned int cpu, void *arg)
{
	u64 start = now();

	(void)arg;
	for (u32 r = 0; r < pp.rounds; r++) {
		for (unsigned int k = 1; k < nr_cpus; k++) {
			unsigned int to = (cpu + k) % nr_cpus;

			gic_send_sgi(smp_mpidr[to], SGI_PING(cpu));
			if (!wait_for(&pp.pong_recv[cpu][to], r + 1, WAIT_US))
				pp.late[cpu]++;
		}
	}
	pp.ticks[cpu] = now() - start;
	/* Keep answering until everybody is done sending; the last one wakes the others. */
	if (smp_atomic_add(&pp.finished, 1) == nr_cpus) {
		for (unsigned int k = 1; k < nr_cpus; k++)
			gic_send_sgi(smp_mpidr[(cpu + k) % nr_cpus], SGI_DONE);
	}
	wait_for(&pp.finished, nr_cpus, 4 * WAIT_US);
}

static void test_pingpong(u32 rounds)
{
	u32 left, bad_pairs = 0, late = 0;
	u64 ticks_max = 0, total;

	memset((void *)&pp, 0, sizeof(pp));
	pp.rounds = rounds;
	left =
	    smp_run(smp_all_mask(), pingpong_work, NULL, (u64)rounds * nr_cpus * 100000 + WAIT_US);
	for (unsigned int a = 0; a < nr_cpus; a++) {
		late += pp.late[a];
		ticks_max = pp.ticks[a] > ticks_max ? pp.ticks[a] : ticks_max;
		for (unsigned int b = 0; b < nr_cpus; b++) {
			if (a == b ||
			    (pp.ping_recv[b][a] == rounds && pp.pong_recv[a][b] == rounds))
				continue;
			bad_pairs++;
			report_info("vCPU %u -> %u: %u pings received, %u pongs received (want %u)",
				    a, b, pp.ping_recv[b][a], pp.pong_recv[a][b], rounds);
		}
	}
	total = (u64)rounds * nr_cpus * (nr_cpus - 1);
	report(!left && !bad_pairs && !late,
	       "%u round trips between each ordered pair of %u vCPUs (%lu in all), every ping and "
	       "pong counted exactly (%u pairs off, %u late, not done 0x%x)",
	       rounds, nr_cpus, total, bad_pairs, late, left);
	report_info("ping-pong: %lu round trips in %lu ms (%lu per second)", total,
		    ticks_to_us(ticks_max) / 1000,
		    ticks_max ? total * 1000000 / ticks_to_us(ticks_max) : 0);
}

/* ---- wake-up latency: a spinning sender, a sleeping receiver ---- */

static struct {
	u32 n;
	volatile u32 recv;
	volatile u64 sent_at[MAX_LAT];
	volatile u64 recv_at[MAX_LAT];
	volatile u32 lost;
	volatile u32 over;
} lat;

static void lat_handler(u32 intid)
{
	u32 i = lat.recv;

	(void)intid;
	if (i < MAX_LAT)
		lat.recv_at[i] = now();
	smp_store_release(&lat.recv, i + 1);
}

/*
 * Spin through exits: PSCI_VERSION calls, which Tern answers and re-enters the guest after
 * without going back to its scheduler loop, until *cnt >= want or @us pass.
 */
static bool spin_exits_for(const volatile u32 *cnt, u32 want, u64 us)
{
	u64 end = now() + gic_us_to_ticks(us);

	while (smp_load_acquire(cnt) < want && now() < end)
		smccc_call(PSCI_VERSION, 0, 0, 0);
	return smp_load_acquire(cnt) >= want;
}

static void lat_sender(unsigned int cpu, void *arg)
{
	bool exits = arg != NULL;

	(void)cpu;
	for (u32 i = 0; i < lat.n; i++) {
		/*
		 * Right after the last answer: on a shared pCPU this vCPU was just loaded (the
		 * receiver went back to sleep), so the rest of its slice is a whole slice. Spinning
		 * through exits, it first runs twice the wake-up granularity (1 ms): the SGI's
		 * exit then asks for the reschedule at once, and only the exit loop's check can
		 * see it (no timer is armed for it, the sender takes no interrupt).
		 */
		if (exits)
			spin_exits_for(&lat.recv, ~0U, 2000);
		else
			gic_delay_us(20);
		lat.sent_at[i] = now();
		gic_send_sgi(smp_mpidr[0], SGI_LAT);
		if (!(exits ? spin_exits_for : spin_for)(&lat.recv, i + 1, 200000))
			lat.lost++;
	}
}

/*
 * The vCPUs not in the test sleep in WFI meanwhile: idle in the worker pool they would spin on
 * WFE (a no-op for Tern under QEMU's TCG) through whole slices, which under -icount costs the
 * host a CPU-loop exit every few instructions, and the woken vCPU would queue behind them too.
 */
static void lat_park(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	wait_for(&lat.over, 1, 60 * WAIT_US);
}

static void test_wakeup_latency(u32 n, u64 limit, bool exits)
{
	u32 parked = smp_all_mask() & ~3U, left;
	u64 us[MAX_LAT], median, max = 0;

	lat.n = n > MAX_LAT ? MAX_LAT : n;
	lat.recv = 0;
	lat.lost = 0;
	lat.over = 0;
	smp_run_on(parked, lat_park, NULL);
	smp_run_on(1U << 1, lat_sender, exits ? (void *)1 : NULL);
	wait_for(&lat.recv, lat.n, (u64)lat.n * 300000);
	left = smp_wait_done(1U << 1, WAIT_US);
	smp_store_release(&lat.over, 1);
	for (unsigned int i = 2; i < nr_cpus; i++)
		gic_send_sgi(smp_mpidr[i], SGI_DONE);
	left |= smp_wait_done(parked, WAIT_US);
	for (u32 i = 0; i < lat.n; i++) {
		us[i] = ticks_to_us(lat.recv_at[i] - lat.sent_at[i]);
		max = us[i] > max ? us[i] : max;
		for (u32 j = i; j > 0 && us[j] < us[j - 1]; j--) {
			u64 t = us[j];

			us[j] = us[j - 1];
			us[j - 1] = t;
		}
	}
	median = us[lat.n / 2];
	report(!left && !lat.lost && lat.recv == lat.n && (!limit || median < limit),
	       "an SGI from a vCPU spinning %s wakes a vCPU asleep in WFI within %lu us%s (median "
	       "of %u: %lu us, max %lu us, %u lost)",
	       exits ? "through HVC exits" : "in the guest", limit, limit ? "" : " (not checked)",
	       lat.n, median, max, lat.lost);
}

/* ---- the active state of an interrupt another vCPU holds in its list registers ---- */

static struct {
	volatile u32 taken;
	volatile u32 release;
	volatile u32 done;
} act;

static void act_handler(u32 intid)
{
	(void)intid;
	smp_store_release(&act.taken, act.taken + 1);
}

/* vCPU 1: EOImode 1, take SGI_ACT (it stays active), keep running in the guest. */
static void act_holder(unsigned int cpu, void *arg)
{
	u64 end = now() + gic_us_to_ticks(4 * WAIT_US);

	(void)cpu;
	(void)arg;
	write_sysreg(read_sysreg(icc_ctlr_el1) | ICC_CTLR_EL1_EOIMODE, icc_ctlr_el1);
	isb();
	gic_irqs_unmask();
	while (!smp_load_acquire(&act.release) && now() < end)
		;
	gic_irqs_mask();
	/* Whatever is still active ends here; back to EOImode 0. */
	write_sysreg(SGI_ACT, icc_dir_el1);
	write_sysreg(read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EL1_EOIMODE, icc_ctlr_el1);
	isb();
	smp_store_release(&act.done, 1);
}

/* The RD_base of the redistributor whose GICR_TYPER affinity is @mpidr's. */
static u64 rd_base_of(u64 mpidr)
{
	u64 want = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;

	for (u64 rd = GICR_BASE; rd < GICR_BASE + GICR_REGION_SIZE; rd += GICR_FRAME_SIZE) {
		u64 typer = gic_read64(rd + GICR_TYPER);

		if (GICR_TYPER_AFF(typer) == want)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

static bool sgi_bit(u64 rd, u32 reg, u32 intid)
{
	return rd && (gic_read32(rd + GICR_SGI_OFFSET + reg) >> intid) & 1;
}

static void test_active_across_vcpus(void)
{
	u64 rd1 = rd_base_of(smp_mpidr[1]);
	bool active, cleared, again;

	memset((void *)&act, 0, sizeof(act));
	smp_run_on(1U << 1, act_holder, NULL);
	gic_delay_us(2000);
	gic_send_sgi(smp_mpidr[1], SGI_ACT);
	spin_for(&act.taken, 1, WAIT_US);
	/* vCPU 1 now spins in the guest with SGI_ACT active in its list registers. */
	gic_delay_us(2000);
	active = sgi_bit(rd1, GICR_ISACTIVER0, SGI_ACT);
	report(rd1 && act.taken == 1 && active,
	       "vCPU 0 reads vCPU 1's SGI %u active while vCPU 1 runs with it in a list register "
	       "(taken %u, active %u)",
	       SGI_ACT, act.taken, active);
	gic_write32(rd1 + GICR_SGI_OFFSET + GICR_ICACTIVER0, 1U << SGI_ACT);
	cleared = !sgi_bit(rd1, GICR_ISACTIVER0, SGI_ACT);
	gic_send_sgi(smp_mpidr[1], SGI_ACT);
	again = spin_for(&act.taken, 2, WAIT_US);
	report(cleared && again,
	       "vCPU 0 clears it through GICR_ICACTIVER0: it reads inactive (%u) and vCPU 1 takes "
	       "the SGI again (taken %u)",
	       cleared, act.taken);
	smp_store_release(&act.release, 1);
	smp_sev();
	smp_wait_done(1U << 1, WAIT_US);
}

/* ---- a pending list register stays with its vCPU ---- */

#define HELD_CHECK_US 40000 /* four of Tern's 10 ms slices: vCPU 1 is put and loaded again */

static struct {
	volatile u32 holding, release, taken, done;
} held;

static void held_handler(u32 intid)
{
	(void)intid;
	smp_store_release(&held.taken, held.taken + 1);
}

/*
 * vCPU 1: SGI_HELD sent to itself with interrupts masked, so it stays pending in a list register
 * while vCPU 1 spins (put at each slice end with it there); taken once released.
 */
static void held_holder(unsigned int cpu, void *arg)
{
	u64 end = now() + gic_us_to_ticks(4 * WAIT_US);

	(void)cpu;
	(void)arg;
	gic_irqs_mask();
	gic_send_sgi(smp_mpidr[1], SGI_HELD);
	smp_store_release(&held.holding, 1);
	while (!smp_load_acquire(&held.release) && now() < end)
		;
	gic_irqs_unmask();
	spin_for(&held.taken, 1, WAIT_US);
	gic_irqs_mask();
	smp_store_release(&held.done, 1);
}

/*
 * On a shared pCPU, vCPU 0 runs between vCPU 1's slices, loaded right after vCPU 1 was put with
 * SGI_HELD pending in a list register: vCPU 0's own view (ICC_HPPIR1_EL1, nothing pending for
 * it) must never show it. Tern leaves the list registers of a vCPU it puts for the next vCPU's
 * first entry to overwrite; one that entered with them as they were would see SGI_HELD here.
 */
static void test_pending_lr_stays_with_its_vcpu(void)
{
	u64 end;
	u32 foreign = GIC_INTID_SPURIOUS, reads = 0;
	bool holding;

	memset((void *)&held, 0, sizeof(held));
	smp_run_on(1U << 1, held_holder, NULL);
	holding = spin_for(&held.holding, 1, WAIT_US);
	end = now() + gic_us_to_ticks(HELD_CHECK_US);
	while (now() < end) {
		u32 intid = (u32)read_sysreg(icc_hppir1_el1) & 0xFFFFFF;

		reads++;
		if (intid != GIC_INTID_SPURIOUS)
			foreign = intid;
	}
	smp_store_release(&held.release, 1);
	smp_wait_done(1U << 1, WAIT_US);
	report(holding && foreign == GIC_INTID_SPURIOUS && held.taken == 1 && held.done,
	       "vCPU 1's SGI %u held pending in its list registers never shows on vCPU 0 (%u "
	       "reads over %u ms, HPPIR %u), vCPU 1 takes it once released (%u)",
	       SGI_HELD, reads, HELD_CHECK_US / 1000, foreign, held.taken);
}

/* ---- SYSTEM_RESET and SYSTEM_OFF from a secondary vCPU ---- */

static volatile u32 never;

static void work_spin(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	gic_irqs_unmask();
	for (;;)
		;
}

static void work_sleep(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	for (;;)
		wait_for(&never, 1, WAIT_US);
}

static void work_stale_active(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	write_sysreg(read_sysreg(icc_ctlr_el1) | ICC_CTLR_EL1_EOIMODE, icc_ctlr_el1);
	isb();
	gic_irqs_unmask();
	gic_send_sgi(smp_mpidr[1], SGI_STALE); /* taken here, dropped, never deactivated */
	for (;;)
		;
}

static void work_system_reset(unsigned int cpu, void *arg)
{
	(void)arg;
	printf("ipi: SYSTEM_RESET from vCPU %u\n", cpu);
	psci_system_reset();
	report(false, "SYSTEM_RESET from vCPU %u returned", cpu);
}

static void work_system_off(unsigned int cpu, void *arg)
{
	(void)arg;
	printf("ipi: SYSTEM_OFF from vCPU %u\n", cpu);
	psci_system_off();
}

static void start_secondaries(void)
{
	for (unsigned int i = 1; i < nr_cpus; i++) {
		u32 boots = smp_cpus[i].boots;

		if (smp_cpu_on(i, false, i) != PSCI_RET_SUCCESS ||
		    !smp_wait_ready(i, boots + 1, WAIT_US))
			report_abort("vCPU %u did not start", i);
	}
}

static void first_boot(volatile struct mailbox *mb)
{
	unsigned int resetter = nr_cpus > 2 ? 2 : 1, n, failed;
	u32 others = smp_all_mask() & ~1U & ~(1U << 1) & ~(1U << resetter);

	puts("ipi: first boot\n");
	report(boot_stamp == 0x1234, ".data is pristine (0x%x)", boot_stamp);
	boot_stamp = 0xdead;
	start_secondaries();
	test_pingpong(smp_bootarg("rounds", DEF_ROUNDS));
	test_wakeup_latency(smp_bootarg("lat", DEF_LAT), smp_bootarg("lat_limit_us", 0), false);
	test_wakeup_latency(smp_bootarg("lat", DEF_LAT), smp_bootarg("lat_limit_us", 0), true);
	test_active_across_vcpus();
	test_pending_lr_stays_with_its_vcpu();

	/* State the reset must clear, then the reset from another vCPU while the others run. */
	smp_run_on(1U << 1, work_stale_active, NULL);
	gic_send_sgi(smp_mpidr[0], SGI_PEND);
	write_sysreg(now() + gic_us_to_ticks(60 * 1000000UL), cntv_cval_el0);
	write_sysreg(CTL_ENABLE, cntv_ctl_el0);
	isb();
	gic_delay_us(5000);
	report_counts(&n, &failed);
	mb->magic = MB_MAGIC;
	mb->boots = 1;
	mb->tests = n;
	mb->failures = failed;
	mb->check = mb_check(mb);
	dsb();
	smp_run_on(others, work_sleep, NULL);
	smp_run_on(1U << resetter, work_system_reset, NULL);
	if (!wait_for(&never, 1, 10 * WAIT_US))
		report_abort("SYSTEM_RESET from vCPU %u: the VM still runs 20 s later", resetter);
}

static void second_boot(volatile struct mailbox *mb)
{
	u64 rd0 = rd_base_of(smp_mpidr[0]), rd1 = rd_base_of(smp_mpidr[1]);
	u32 pend = rd0 ? gic_read32(rd0 + GICR_SGI_OFFSET + GICR_ISPENDR0) : ~0U;
	u32 active0 = rd0 ? gic_read32(rd0 + GICR_SGI_OFFSET + GICR_ISACTIVER0) : ~0U;
	u32 active1 = rd1 ? gic_read32(rd1 + GICR_SGI_OFFSET + GICR_ISACTIVER0) : ~0U;
	u32 ctlr = gic_read32(GICD_BASE + GICD_CTLR);
	u64 cntv = read_sysreg(cntv_ctl_el0);
	unsigned int off = 0;

	puts("ipi: second boot\n");
	report_add_counts((unsigned int)mb->tests, (unsigned int)mb->failures);
	mb->boots = 2;
	mb->check = mb_check(mb);
	report(boot_stamp == 0x1234, ".data is pristine after SYSTEM_RESET (0x%x)", boot_stamp);
	for (unsigned int i = 1; i < nr_cpus; i++)
		off += psci_affinity_info(smp_mpidr[i], 0) == PSCI_AFF_OFF;
	report(off == nr_cpus - 1, "the other %u vCPUs are off after the reset (%u)", nr_cpus - 1,
	       off);
	report(!pend && !active0 && !active1 &&
		   !(ctlr & (GICD_CTLR_ENABLE_G0_G1 | GICD_CTLR_ENABLE_G1_G1A)),
	       "the vGIC is back at reset: vCPU 0 pending 0x%x active 0x%x, vCPU 1 active 0x%x, "
	       "GICD_CTLR 0x%x",
	       pend, active0, active1, ctlr);
	report(!(cntv & CTL_ENABLE), "vCPU 0's virtual timer is off (CNTV_CTL 0x%lx)", cntv);
}

int main(void)
{
	volatile struct mailbox *mb = mailbox_addr();
	bool second = mb->magic == MB_MAGIC && mb->check == mb_check(mb) && mb->boots == 1;
	unsigned int last;

	report_prefix("ipi");
	nr_cpus = smp_init();
	if (nr_cpus < 2)
		report_abort("needs at least 2 vCPUs, the DTB lists %u", nr_cpus);
	if (second)
		second_boot(mb);
	if (!gic_dist_init() || !gic_cpu_init())
		report_abort("GICv3 set-up failed");
	cpu_setup(0);
	smp_set_cpu_setup(cpu_setup);
	for (u32 i = 0; i < SMP_MAX_CPUS; i++) {
		gic_set_handler(SGI_PING(i), ping_handler);
		gic_set_handler(SGI_PONG(i), pong_handler);
	}
	gic_set_handler(SGI_LAT, lat_handler);
	gic_set_handler(SGI_DONE, done_handler);
	gic_set_handler(SGI_ACT, act_handler);
	gic_set_handler(SGI_STALE, act_handler);
	gic_set_handler(SGI_HELD, held_handler);
	gic_set_handler(GIC_PPI_VTIMER, vtimer_handler);
	if (!second) {
		first_boot(mb);
		return 0;
	}
	start_secondaries();
	test_pingpong(smp_bootarg("rounds", DEF_ROUNDS) / 10 ?: 1);
	/* vCPU 0 sleeps, vCPU 1 spins in the guest, the last vCPU switches the VM off. */
	last = nr_cpus - 1;
	report_print_summary();
	if (last > 1)
		smp_run_on(1U << 1, work_spin, NULL);
	smp_run_on(1U << last, work_system_off, NULL);
	wait_for(&never, 1, 10 * WAIT_US);
	report(false, "SYSTEM_OFF from vCPU %u: the VM still runs 20 s later", last);
	report_summary();
	return 0;
}
