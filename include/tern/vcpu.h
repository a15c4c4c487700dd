/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VCPU_H
#define TERN_VCPU_H

#include <asm/vcpu_arch.h>
#include <tern/types.h>

struct vm;
struct vgic_cpu;

enum vcpu_state {
	VCPU_UNINITIALIZED,
	VCPU_READY,   /* runnable */
	VCPU_RUNNING, /* loaded on a pCPU */
	VCPU_OFF,     /* PSCI off: waits for CPU_ON */
	VCPU_WFI,     /* trapped WFI: the scheduler decides whether it sleeps */
	VCPU_BLOCKED, /* asleep in WFI until an interrupt or its timer is due */
	VCPU_STOPPED, /* its VM stopped */
};

/* PSCI's view of a vCPU (AFFINITY_INFO). */
enum vcpu_power {
	VCPU_POWER_OFF,
	VCPU_POWER_ON_PENDING,
	VCPU_POWER_ON,
};

struct vcpu {
	unsigned int id;
	struct vm *vm;
	enum vcpu_state state;
	enum vcpu_power power;
	/* pCPU this vCPU runs on. */
	unsigned int pcpu;
	/* Where a PSCI CPU_ON or a reset starts it. */
	u64 boot_entry;
	u64 boot_x0;
	/* Run-queue link, and whether the vCPU is on a queue. */
	struct vcpu *rq_next;
	bool queued;
	/* Exits by exception class, and the once-only log for unhandled ones. */
	u64 exits;
	bool undef_logged;
	/* Virtual GIC CPU interface and redistributor state (NULL without a vGIC). */
	struct vgic_cpu *vgic;
	struct vcpu_arch arch;
};

static inline u64 vcpu_reg(const struct vcpu *v, unsigned int n)
{
	return n < 31 ? v->arch.regs.x[n] : 0; /* 31 is XZR in data-register positions */
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned int n, u64 val)
{
	if (n < 31)
		v->arch.regs.x[n] = val;
}

#endif
