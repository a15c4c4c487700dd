// SPDX-License-Identifier: GPL-2.0-only
/* Secondary pCPU bring-up through PSCI CPU_ON. */
#include <asm/cache.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/sysreg.h>
#include <drivers/arch_timer.h>
#include <drivers/psci.h>
#include <tern/compiler.h>
#include <tern/irqchip.h>
#include <tern/kconfig.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/sched.h>

extern char secondary_entry[];

/*
 * Real CPUs come online in microseconds; emulated ones are host threads that a saturated host
 * may not schedule for a long while (the EL2 timer self-test saw more than 100 ms), so the
 * limit only guards against a CPU that never starts.
 */
#define SMP_ONLINE_TIMEOUT_US 5000000

static unsigned int smp_online = 1;
static bool smp_go;

void secondary_main(void)
{
	struct pcpu *p = this_pcpu();

	if (irqchip_cpu_init())
		pr_err("smp: pCPU %u has no working interrupt controller interface\n", p->id);
	pr_info("smp: pCPU %u online, MPIDR 0x%llx\n", p->id, (unsigned long long)p->mpidr);
	__atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
	/* Wait until the boot pCPU has created the VMs, then schedule until all have stopped. */
	while (!__atomic_load_n(&smp_go, __ATOMIC_ACQUIRE))
		__asm__ __volatile__("wfe");
	smp_pcpu_init_virt();
	sched_run();
	cpu_halt();
}

void smp_release_secondaries(void)
{
	__atomic_store_n(&smp_go, true, __ATOMIC_RELEASE);
	cpu_kick();
}

unsigned int smp_nr_online(void)
{
	return smp_online;
}

u64 smp_online_mask(void)
{
	return GENMASK(smp_online - 1, 0);
}

/* vCPU @i's pCPU: the i-th (mod n) set bit of @allowed (which must not be 0). */
unsigned int smp_place_vcpu(unsigned int i, u64 allowed)
{
	unsigned int n = 0, k;

	for (unsigned int c = 0; c < 64; c++)
		n += (allowed >> c) & 1;
	k = n ? i % n : 0;
	for (unsigned int c = 0; c < 64; c++) {
		if (!(allowed & BIT(c)))
			continue;
		if (!k--)
			return c;
	}
	return 0;
}

static bool smp_start_one(unsigned int id, u64 mpidr)
{
	struct pcpu *p = pcpu_prepare(id, mpidr);
	u64 deadline;
	int ret;

	/* The new pCPU reads its entry with the MMU (and so its caches) off. */
	dcache_clean_range((paddr_t)p, (paddr_t)(p + 1));
	ret = psci_cpu_on(mpidr, (paddr_t)secondary_entry, (u64)(uintptr_t)p);
	if (ret != PSCI_RET_SUCCESS) {
		pr_err("smp: CPU_ON for MPIDR 0x%llx failed: %s\n", (unsigned long long)mpidr,
		       psci_strerror(ret));
		return false;
	}
	deadline = arch_timer_now() + SMP_ONLINE_TIMEOUT_US * arch_timer_freq() / 1000000;
	while (!__atomic_load_n(&p->online, __ATOMIC_ACQUIRE)) {
		if (arch_timer_now() > deadline) {
			pr_err("smp: pCPU %u (MPIDR 0x%llx) did not come online\n", id,
			       (unsigned long long)mpidr);
			return false;
		}
	}
	return true;
}

unsigned int smp_boot_secondaries(const struct platform *p)
{
	unsigned int want = CONFIG_MAX_PCPUS;
	unsigned int online = 1;

	if (!IS_ENABLED(CONFIG_MULTI_PCPU)) {
		pr_info("smp: MULTI_PCPU is off: using 1 of %u pCPUs\n", p->nr_cpus);
		return 1;
	}
	if (p->nr_cpus < want)
		pr_info("smp: the machine has %u pCPU%s, fewer than the %u configured: using %u\n",
			p->nr_cpus, p->nr_cpus == 1 ? "" : "s", want, p->nr_cpus);
	else if (p->nr_cpus > want)
		pr_info("smp: using %u of %u pCPUs (NR_PCPUS)\n", want, p->nr_cpus);
	if (!psci_available() && p->nr_cpus > 1) {
		pr_err("smp: no PSCI: secondary pCPUs stay off\n");
		return 1;
	}
	for (unsigned int i = 1; i < p->nr_cpus && i < want; i++) {
		if (p->cpus[i].enable != CPU_ENABLE_PSCI) {
			pr_warn("smp: CPU MPIDR 0x%llx has no PSCI enable-method, left off\n",
				(unsigned long long)p->cpus[i].mpidr);
			continue;
		}
		if (smp_start_one(online, p->cpus[i].mpidr))
			online++;
	}
	pr_info("smp: %u pCPU%s online\n", online, online == 1 ? "" : "s");
	smp_online = online;
	return online;
}
