// SPDX-License-Identifier: GPL-2.0-only
/*
 * One busy loop per vCPU (up to 4), for the placement tests that look at the machine from
 * outside (QEMU's monitor, `info registers -a`): every vCPU spins at EL1 with
 * x28 = BUSY_TAG | tag << 8 | vCPU index, so a sample of a pCPU in the guest says which VM
 * (bootarg tag=N) and which vCPU runs there. vCPU 0 checks every few milliseconds whether a
 * character arrived on its UART (the test's "stop") or secs=S (default 120) have passed; then all
 * loops end and the VM powers off. Prints "busy: N vCPUs spinning, tag T" once all of them run.
 * With hvc=1 every iteration also makes a PSCI_VERSION call (an exit Tern handles and answers
 * from its exit vector without going back to its scheduler): the operations tests pause and stop
 * such a VM from another pCPU.
 */
#include "smp.h"

#define BUSY_TAG     0xb05e000000UL
#define UART_DR	     0x09000000UL
#define UART_FR	     0x09000018UL
#define UART_FR_RXFE (1U << 4)
#define WAIT_US	     2000000
#define CHUNK	     (1UL << 18) /* loop iterations between vCPU 0's checks */

#define CHUNK_HVC (1UL << 10)

static volatile u32 stop;
static volatile u64 spins[SMP_MAX_CPUS];
static u64 tag;
static bool hvc;

/* Spin at EL1 with x28 = the tag, until *stop (checked every iteration) or @n iterations. */
static u64 busy_spin(u64 x28, u64 n)
{
	u64 i = 0;

	asm volatile("mov	x28, %[tag]\n"
		     "1:	add	%[i], %[i], #1\n"
		     "	ldr	w9, [%[stop]]\n"
		     "	cbnz	w9, 2f\n"
		     "	cmp	%[i], %[n]\n"
		     "	b.lo	1b\n"
		     "2:\n"
		     : [i] "+r"(i)
		     : [tag] "r"(x28), [stop] "r"(&stop), [n] "r"(n)
		     : "x9", "x28", "cc", "memory");
	return i;
}

/* The same with a PSCI_VERSION call (HVC) in every iteration. */
static u64 busy_spin_hvc(u64 x28, u64 n)
{
	u64 i = 0;

	asm volatile("mov	x28, %[tag]\n"
		     "1:	add	%[i], %[i], #1\n"
		     "	mov	x0, %[fid]\n"
		     "	hvc	#0\n"
		     "	ldr	w9, [%[stop]]\n"
		     "	cbnz	w9, 2f\n"
		     "	cmp	%[i], %[n]\n"
		     "	b.lo	1b\n"
		     "2:\n"
		     : [i] "+r"(i)
		     : [tag] "r"(x28), [stop] "r"(&stop), [n] "r"(n), [fid] "r"((u64)PSCI_VERSION)
		     : "x0", "x1", "x2", "x3", "x9", "x28", "cc", "memory");
	return i;
}

static void busy_work(unsigned int cpu, void *arg)
{
	(void)arg;
	while (!smp_load_acquire(&stop))
		spins[cpu] += hvc ? busy_spin_hvc(BUSY_TAG | tag << 8 | cpu, ~0UL)
				  : busy_spin(BUSY_TAG | tag << 8 | cpu, ~0UL);
}

int main(void)
{
	unsigned int n;
	u64 secs, end, start;
	u32 started = 0, left;
	bool by_uart = false;

	report_prefix("busy");
	n = smp_init();
	tag = smp_bootarg("tag", 0) & 0xff;
	secs = smp_bootarg("secs", 120);
	hvc = smp_bootarg("hvc", 0) != 0;
	for (unsigned int i = 1; i < n; i++) {
		u32 boots = smp_cpus[i].boots;

		if (smp_cpu_on(i, false, i) == PSCI_RET_SUCCESS &&
		    smp_wait_ready(i, boots + 1, WAIT_US))
			started |= 1U << i;
	}
	report(started == (smp_all_mask() & ~1U), "%u secondary vCPUs started (0x%x)", n - 1,
	       started);
	smp_run_on(smp_all_mask() & ~1U, busy_work, NULL);
	printf("busy: %u vCPUs spinning, tag %lu\n", n, tag);
	start = gic_counter();
	end = start + secs * read_sysreg(cntfrq_el0);
	while (gic_counter() < end) {
		spins[0] += hvc ? busy_spin_hvc(BUSY_TAG | tag << 8, CHUNK_HVC)
				: busy_spin(BUSY_TAG | tag << 8, CHUNK);
		if (!(gic_read32(UART_FR) & UART_FR_RXFE)) {
			(void)gic_read32(UART_DR);
			by_uart = true;
			break;
		}
	}
	smp_store_release(&stop, 1);
	smp_sev();
	left = smp_wait_done(smp_all_mask() & ~1U, WAIT_US);
	printf("busy: stopped (%s) after %lu ms\n", by_uart ? "input" : "time",
	       (gic_counter() - start) * 1000 / read_sysreg(cntfrq_el0));
	for (unsigned int i = 0; i < n; i++)
		report(spins[i] > 0 && !(left & 1U << i), "vCPU %u spun %lu times", i, spins[i]);
	return 0;
}
