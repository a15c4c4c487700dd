// SPDX-License-Identifier: GPL-2.0-only
/* Per-pCPU data and stacks. */
#include <tern/compiler.h>
#include <tern/percpu.h>

/*
 * Each pCPU's slot is twice its stack size and aligned to that: the lower half is the
 * guard (never mapped), the upper half the stack. vectors.S uses the alignment to tell an
 * overflowed stack from bit CONFIG_PCPU_STACK_SHIFT of SP. head.S starts pCPU 0 on slot 0.
 */
u8 pcpu_stacks[CONFIG_MAX_PCPUS][2 * PCPU_STACK_SIZE] __aligned(2 * PCPU_STACK_SIZE);
/* Where a fault on an overflowed stack is reported from. */
static u8 pcpu_emerg_stacks[CONFIG_MAX_PCPUS][8192] __aligned(16);
struct pcpu pcpu_table[CONFIG_MAX_PCPUS];

_Static_assert(offsetof(struct pcpu, stack_top) == PCPU_OFF_STACK_TOP, "head.S offset");
_Static_assert(offsetof(struct pcpu, emerg_top) == PCPU_OFF_EMERG_TOP, "vectors.S offset");
_Static_assert(offsetof(struct pcpu, guest_regs) == PCPU_OFF_GUEST_REGS, "guest_entry.S offset");
_Static_assert(offsetof(struct pcpu, fast_hvc) == PCPU_OFF_FAST_HVC, "guest_entry.S offset");
_Static_assert(offsetof(struct pcpu, fast_sysreg) == PCPU_OFF_FAST_SYSREG, "guest_entry.S offset");
_Static_assert(offsetof(struct pcpu, id_fast) == PCPU_OFF_ID_FAST, "guest_entry.S offset");
_Static_assert(offsetof(struct pcpu, stack_guard) == PCPU_OFF_STACK_GUARD,
	       "head.S and -mstack-protector-guard-offset");

struct pcpu *pcpu_get(unsigned int id)
{
	return id < CONFIG_MAX_PCPUS ? &pcpu_table[id] : NULL;
}

void pcpu_stack_guard(unsigned int id, paddr_t *start, paddr_t *end)
{
	*start = (paddr_t)pcpu_stacks[id];
	*end = *start + PCPU_STACK_SIZE;
}

struct pcpu *pcpu_prepare(unsigned int id, u64 mpidr)
{
	struct pcpu *p = &pcpu_table[id];

	p->id = id;
	p->mpidr = mpidr;
	p->stack_top = (vaddr_t)pcpu_stacks[id] + 2 * PCPU_STACK_SIZE;
	p->emerg_top = (vaddr_t)pcpu_emerg_stacks[id] + sizeof(pcpu_emerg_stacks[id]);
	/* Before the pCPU runs any C: its functions check their frames against this. */
	p->stack_guard = this_pcpu()->stack_guard;
	return p;
}
