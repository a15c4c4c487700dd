// SPDX-License-Identifier: GPL-2.0-only
/* SMP helpers: vCPU list and bootargs from the DTB, CPU_ON entries, locks, barrier, worker pool. */
#include "smp.h"

#define SMP_STACK_SIZE 0x10000 /* guest.lds STACK_SIZE */

struct smp_cpu smp_cpus[SMP_MAX_CPUS];
unsigned int smp_nr_cpus;
u64 smp_mpidr[SMP_MAX_CPUS];
volatile u32 smp_cpu_off_returned;

static smp_secondary_fn smp_secondary = smp_worker_main;
static void (*smp_cpu_setup)(unsigned int cpu);

void smp_entry_c(u64 context_id, u64 entry, u64 mpidr, u64 current_el, u64 sctlr, u64 daif,
		 u64 spsel);

/*
 * CPU_ON entries: record x0 and the entry state before anything changes it, take this vCPU's
 * stack slot (Aff0 % SMP_MAX_CPUS), install crt0's vectors and call smp_entry_c().
 */
asm(".pushsection .text.smp_entry, \"ax\"\n"
    "	.global	smp_entry_a\n"
    "	.global	smp_entry_b\n"
    "	.balign	8\n"
    "smp_entry_a:\n"
    "	mov	x1, #0\n"
    "	b	smp_entry_common\n"
    "smp_entry_b:\n"
    "	mov	x1, #1\n"
    "smp_entry_common:\n"
    "	mrs	x8, daif\n"
    "	msr	daifset, #0xf\n"
    "	mrs	x2, mpidr_el1\n"
    "	and	x9, x2, #0xff\n"
    "	and	x9, x9, #3\n" /* SMP_MAX_CPUS - 1 */
    "	add	x9, x9, #1\n"
    "	lsl	x9, x9, #16\n" /* SMP_STACK_SIZE */
    "	adrp	x10, _stacks_start\n"
    "	add	x10, x10, :lo12:_stacks_start\n"
    "	add	sp, x10, x9\n"
    "	mrs	x3, CurrentEL\n"
    "	mrs	x4, sctlr_el1\n"
    "	mov	x5, x8\n"
    "	mrs	x6, spsel\n"
    "	adr	x10, el1_vectors\n"
    "	msr	vbar_el1, x10\n"
    "	isb\n"
    "	bl	smp_entry_c\n"
    "1:	wfi\n"
    "	b	1b\n"
    ".popsection\n");

_Static_assert(SMP_MAX_CPUS == 4 && SMP_STACK_SIZE == 1 << 16, "smp_entry_common constants");

void smp_entry_c(u64 context_id, u64 entry, u64 mpidr, u64 current_el, u64 sctlr, u64 daif,
		 u64 spsel)
{
	unsigned int cpu = smp_this_cpu();
	struct smp_cpu *c = &smp_cpus[cpu];

	c->boot.context_id = context_id;
	c->boot.entry = entry;
	c->boot.mpidr = mpidr & 0xff00ffffffUL;
	c->boot.current_el = current_el;
	c->boot.sctlr = sctlr;
	c->boot.daif = daif;
	c->boot.spsel = spsel;
	smp_atomic_add(&c->boots, 1);
	smp_sev();
	smp_secondary(cpu, context_id);
	psci_cpu_off();
	smp_cpu_off_returned++;
}

void smp_set_secondary_fn(smp_secondary_fn fn)
{
	smp_secondary = fn ? fn : smp_worker_main;
	dsb();
}

void smp_set_cpu_setup(void (*fn)(unsigned int cpu))
{
	smp_cpu_setup = fn;
	dsb();
}

void smp_worker_main(unsigned int cpu, u64 context_id)
{
	struct smp_cpu *c = &smp_cpus[cpu];
	u32 seen;

	(void)context_id;
	if (!gic_cpu_init())
		report_info("vCPU %u: no redistributor", cpu);
	if (smp_cpu_setup)
		smp_cpu_setup(cpu);
	/* Work posted before this boot is stale: start from the current generation. */
	seen = smp_load_acquire(&c->gen);
	smp_store_release(&c->done, seen);
	smp_store_release(&c->ready, c->boots);
	smp_sev();
	for (;;) {
		u32 gen = smp_load_acquire(&c->gen);

		if (gen == seen) {
			smp_relax();
			continue;
		}
		seen = gen;
		c->fn(cpu, c->arg);
		smp_store_release(&c->done, seen);
		smp_sev();
	}
}

void smp_work_cpu_off(unsigned int cpu, void *arg)
{
	(void)cpu;
	(void)arg;
	psci_cpu_off();
	smp_cpu_off_returned++;
}

/* The DTB: /cpus/cpu@N reg, /chosen/bootargs. */
struct smp_dt_ctx {
	bool in_cpus, in_cpu, in_chosen;
	u32 addr_cells;
	unsigned int count;
	bool too_many;
	const char *bootargs;
};

static void smp_dt_begin(void *ctx, int depth, const char *name)
{
	struct smp_dt_ctx *c = ctx;

	if (depth == 1) {
		c->in_cpus = !strcmp(name, "cpus");
		c->in_chosen = !strcmp(name, "chosen");
	}
	if (depth == 2)
		c->in_cpu = c->in_cpus && !strncmp(name, "cpu@", 4);
}

static void smp_dt_prop(void *ctx, int depth, const char *name, const void *val, u32 len)
{
	struct smp_dt_ctx *c = ctx;

	if (depth == 1 && c->in_cpus && !strcmp(name, "#address-cells") && len == 4)
		c->addr_cells = fdt_be32(val);
	if (depth == 1 && c->in_chosen && !strcmp(name, "bootargs") && len)
		c->bootargs = val;
	if (depth == 2 && c->in_cpu && !strcmp(name, "reg") && len >= 4) {
		u32 cells = len >= 8 && c->addr_cells == 2 ? 2 : 1;

		if (c->count < SMP_MAX_CPUS)
			smp_mpidr[c->count] = fdt_cells(val, cells) & 0xff00ffffffUL;
		else
			c->too_many = true;
		c->count++;
	}
}

static struct smp_dt_ctx smp_dt;

static void smp_dt_scan(void)
{
	struct fdt_walker w = { .begin_node = smp_dt_begin, .prop = smp_dt_prop, .ctx = &smp_dt };

	smp_dt.addr_cells = 1;
	if (guest_boot_dtb && fdt_walk((const void *)guest_boot_dtb, &w))
		return;
	smp_dt.count = 0;
	smp_dt.bootargs = NULL;
}

static unsigned int smp_init_cpus(bool allow_more)
{
	u32 seen = 0;

	smp_dt_scan();
	if (smp_dt.too_many && !allow_more)
		report_abort("smp: %u vCPUs in the DTB, at most %u supported", smp_dt.count,
			     SMP_MAX_CPUS);
	if (smp_dt.too_many)
		smp_dt.count = SMP_MAX_CPUS;
	if (!smp_dt.count) {
		smp_mpidr[0] = cpu_mpidr();
		smp_dt.count = 1;
	}
	smp_nr_cpus = smp_dt.count;
	if ((u64)(_stacks_end - _stacks_start) < SMP_MAX_CPUS * SMP_STACK_SIZE)
		report_abort("smp: guest.lds has fewer than %u stacks", SMP_MAX_CPUS);
	for (unsigned int i = 0; i < smp_nr_cpus; i++) {
		/* Index i must be Aff0 i: the entry code picks stacks and slots by Aff0. */
		if ((smp_mpidr[i] & 0xff) != i || seen & 1U << i)
			report_abort("smp: /cpus entry %u has MPIDR 0x%lx, want Aff0 = %u", i,
				     smp_mpidr[i], i);
		seen |= 1U << i;
	}
	if (smp_this_cpu() != 0 || cpu_mpidr() != smp_mpidr[0])
		report_abort("smp: boot vCPU MPIDR 0x%lx is not the first in /cpus", cpu_mpidr());
	smp_cpus[0].boots = 1;
	smp_cpus[0].ready = 1;
	return smp_nr_cpus;
}

unsigned int smp_init(void)
{
	return smp_init_cpus(false);
}

unsigned int smp_init_first(void)
{
	return smp_init_cpus(true);
}

u64 smp_bootarg(const char *key, u64 def)
{
	const char *p = smp_dt.bootargs;
	size_t klen = strlen(key);

	if (!p)
		return def;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=' && p[klen + 1] >= '0' &&
		    p[klen + 1] <= '9') {
			u64 v = 0;

			for (p += klen + 1; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (u64)(*p - '0');
			return v;
		}
		while (*p && *p != ' ')
			p++;
	}
	return def;
}

s64 smp_cpu_on(unsigned int cpu, bool entry_b, u64 context_id)
{
	dsb();
	return psci_cpu_on(smp_mpidr[cpu], (u64)(entry_b ? smp_entry_b : smp_entry_a), context_id);
}

s64 smp_wait_affinity(unsigned int cpu, s64 want, u64 us)
{
	u64 end = gic_counter() + gic_us_to_ticks(us);
	s64 st;

	do
		st = psci_affinity_info(smp_mpidr[cpu], 0);
	while (st != want && gic_counter() < end);
	return st;
}

static bool smp_wait_u32(const volatile u32 *p, u32 want, u64 us)
{
	u64 end = gic_counter() + gic_us_to_ticks(us);

	while (smp_load_acquire(p) < want) {
		if (gic_counter() > end)
			return false;
		smp_relax();
	}
	return true;
}

bool smp_wait_boots(unsigned int cpu, u32 want, u64 us)
{
	return smp_wait_u32(&smp_cpus[cpu].boots, want, us);
}

bool smp_wait_ready(unsigned int cpu, u32 want, u64 us)
{
	return smp_wait_u32(&smp_cpus[cpu].ready, want, us);
}

void smp_run_on(u32 mask, void (*fn)(unsigned int cpu, void *arg), void *arg)
{
	for (unsigned int i = 1; i < smp_nr_cpus; i++) {
		struct smp_cpu *c = &smp_cpus[i];

		if (!(mask & 1U << i))
			continue;
		c->fn = fn;
		c->arg = arg;
		smp_store_release(&c->gen, c->gen + 1);
	}
	smp_sev();
	if (mask & 1)
		fn(0, arg);
}

u32 smp_wait_done(u32 mask, u64 us)
{
	u64 end = gic_counter() + gic_us_to_ticks(us);
	u32 left = mask & ~1U;

	while (left) {
		for (unsigned int i = 1; i < smp_nr_cpus; i++)
			if (left & 1U << i &&
			    smp_load_acquire(&smp_cpus[i].done) == smp_cpus[i].gen)
				left &= ~(1U << i);
		if (left && gic_counter() > end)
			break;
		if (left)
			smp_relax();
	}
	return left;
}

u32 smp_run(u32 mask, void (*fn)(unsigned int cpu, void *arg), void *arg, u64 us)
{
	smp_run_on(mask, fn, arg);
	return smp_wait_done(mask, us);
}

void smp_lock(struct smp_lock *l)
{
	u32 v, fail;

	asm volatile("	sevl\n"
		     "1:	wfe\n"
		     "2:	ldaxr	%w0, [%2]\n"
		     "	cbnz	%w0, 1b\n"
		     "	stxr	%w1, %w3, [%2]\n"
		     "	cbnz	%w1, 2b\n"
		     : "=&r"(v), "=&r"(fail)
		     : "r"(&l->v), "r"(1)
		     : "memory");
}

void smp_unlock(struct smp_lock *l)
{
	smp_store_release(&l->v, 0);
	smp_sev();
}

bool smp_barrier_wait(struct smp_barrier *b, unsigned int n, u64 us)
{
	u32 gen = smp_load_acquire(&b->gen);
	u64 end;

	if (smp_atomic_add(&b->count, 1) == n) {
		b->count = 0;
		smp_store_release(&b->gen, gen + 1);
		smp_sev();
		return true;
	}
	end = gic_counter() + gic_us_to_ticks(us);
	while (smp_load_acquire(&b->gen) == gen) {
		if (gic_counter() > end)
			return false;
		smp_relax();
	}
	return true;
}
