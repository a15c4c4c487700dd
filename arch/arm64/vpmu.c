// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PMUv3 for every vCPU: the hardware's counters, passed through while the vCPU runs and
 * switched with it. Until a vCPU first touches the PMU its accesses trap (MDCR_EL2.TPM/TPMCR);
 * the first one gives it the PMU (no more traps) and the instruction runs again on the hardware.
 * From then on its counters, event types, filters and enables are saved when it is switched out
 * (counting stopped, interrupt enables and overflow flags cleared in the hardware, so nothing of
 * it counts or interrupts for the next vCPU) and restored when it is switched in. All counters
 * are the guest's (MDCR_EL2.HPMN = PMCR_EL0.N); none counts at EL2 (MDCR_EL2.HPMD, and HCCD for
 * the cycle counter), whatever filter the guest sets. The overflow interrupt (the host's PMU PPI
 * from the device tree) is forwarded through a hardware-linked list register as the guest's
 * PPI 23, level-sensitive like the timer's.
 */
#include <asm/cpuid.h>
#include <string.h>
#include <asm/sysreg.h>
#include <asm/vpmu.h>
#include <tern/irq.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <virt/vgic_core.h>

#define PMCR_E	       (1UL << 0)
#define PMCR_N(pmcr)   (((pmcr) >> 11) & 0x1F)
#define PMCR_WRITABLE  0xF9UL /* E, D, X, DP, LC, LP; P and C only reset, never restored */
#define PMU_CYCLE_BIT  (1UL << 31)
#define PMUVER_V3P1    4
#define PMUVER_V3P5    6
#define PMUVER_IMP_DEF 0xF

static unsigned int vpmu_nr_counters;
static unsigned int vpmu_host_intid;
static u64 vpmu_mdcr_bits;
static bool vpmu_present;

/*
 * Event counters and types: register names must be constants, one case per counter. The cases
 * run from the highest counter down and fall through, so that switch (PMCR_EL0.N) handles
 * counters N - 1 to 0 in one jump: four instructions per counter, no loop.
 */
#define PMU_COUNTERS(op)                                                                           \
	op(30, c11_6, c15_6) op(29, c11_5, c15_5) op(28, c11_4, c15_4) op(27, c11_3, c15_3)        \
	    op(26, c11_2, c15_2) op(25, c11_1, c15_1) op(24, c11_0, c15_0) op(23, c10_7, c14_7)    \
		op(22, c10_6, c14_6) op(21, c10_5, c14_5) op(20, c10_4, c14_4)                     \
		    op(19, c10_3, c14_3) op(18, c10_2, c14_2) op(17, c10_1, c14_1)                 \
			op(16, c10_0, c14_0) op(15, c9_7, c13_7) op(14, c9_6, c13_6)               \
			    op(13, c9_5, c13_5) op(12, c9_4, c13_4) op(11, c9_3, c13_3)            \
				op(10, c9_2, c13_2) op(9, c9_1, c13_1) op(8, c9_0, c13_0)          \
				    op(7, c8_7, c12_7) op(6, c8_6, c12_6) op(5, c8_5, c12_5)       \
					op(4, c8_4, c12_4) op(3, c8_3, c12_3) op(2, c8_2, c12_2)   \
					    op(1, c8_1, c12_1) op(0, c8_0, c12_0)
/* PMEVCNTR<n>_EL0 is S3_3_C14_C(8 + n / 8)_(n % 8), PMEVTYPER<n>_EL0 S3_3_C14_C(12 + n / 8)_... */
#define EV_SAVE(n, cnt, typ)                                                                       \
	case n + 1:                                                                                \
		p->evcntr[n] = read_sysreg(s3_3_c14_##cnt);                                        \
		p->evtyper[n] = read_sysreg(s3_3_c14_##typ);                                       \
		fallthrough;
#define EV_RESTORE(n, cnt, typ)                                                                    \
	case n + 1:                                                                                \
		write_sysreg(p->evtyper[n], s3_3_c14_##typ);                                       \
		write_sysreg(p->evcntr[n], s3_3_c14_##cnt);                                        \
		fallthrough;

/* The PMU's own registers by encoding (some assemblers lack the names). */
#define PMCR_EL0       s3_3_c9_c12_0
#define PMCNTENSET_EL0 s3_3_c9_c12_1
#define PMCNTENCLR_EL0 s3_3_c9_c12_2
#define PMOVSCLR_EL0   s3_3_c9_c12_3
#define PMSELR_EL0     s3_3_c9_c12_5
#define PMCCNTR_EL0    s3_3_c9_c13_0
#define PMUSERENR_EL0  s3_3_c9_c14_0
#define PMOVSSET_EL0   s3_3_c9_c14_3
#define PMINTENSET_EL1 s3_0_c9_c14_1
#define PMINTENCLR_EL1 s3_0_c9_c14_2
#define PMCCFILTR_EL0  s3_3_c14_c15_7

static void vpmu_irq(unsigned int intid, void *priv);

void vpmu_init(void)
{
	u64 dfr0 = cpuid_read(CPUID_AA64DFR0);
	unsigned int ver = (dfr0 >> 8) & 0xF;

	if (!ver || ver == PMUVER_IMP_DEF)
		return;
	vpmu_nr_counters = PMCR_N(read_sysreg(PMCR_EL0));
	/* HPMN must be a valid count whether or not guests get the PMU: all counters theirs. */
	vpmu_mdcr_bits = vpmu_nr_counters & MDCR_EL2_HPMN_MASK;
	/* Without PMUv3p1 (MDCR_EL2.HPMD) nothing keeps a guest from counting at EL2: no PMU. */
	if (ver < PMUVER_V3P1)
		return;
	vpmu_present = true;
	/* None counting at EL2 (HPMD: PMUv3p1, HCCD for the cycle counter: PMUv3p5). */
	vpmu_mdcr_bits |= MDCR_EL2_HPMD;
	if (ver >= PMUVER_V3P5)
		vpmu_mdcr_bits |= MDCR_EL2_HCCD;
}

int vpmu_init_cpu(u32 host_intid)
{
	if (!vpmu_present || !host_intid)
		return 0;
	vpmu_host_intid = host_intid;
	return irq_request_forwarded(host_intid, vpmu_irq, NULL);
}

bool vpmu_available(void)
{
	return vpmu_present;
}

bool vpmu_has_irq(void)
{
	return vpmu_present && vpmu_host_intid;
}

u64 vpmu_mdcr(void)
{
	/* The PMU traps until the vCPU first uses it (vpmu_first_access). */
	return vpmu_mdcr_bits | MDCR_EL2_TPM | MDCR_EL2_TPMCR;
}

static u64 vpmu_counter_mask(void)
{
	return PMU_CYCLE_BIT | ((1UL << vpmu_nr_counters) - 1);
}

/* The overflow interrupt's line (as QEMU and the Arm ARM compute it: enabled, flagged, armed). */
static bool vpmu_line(void)
{
	return (read_sysreg(PMCR_EL0) & PMCR_E) &&
	       (read_sysreg(PMOVSSET_EL0) & read_sysreg(PMINTENSET_EL1));
}

/*
 * The hardware's PMU interrupt while a vCPU ran: it is that vCPU's. Tern only drops its
 * priority; the guest's deactivation of the linked virtual interrupt deactivates it.
 */
static void vpmu_irq(unsigned int intid, void *priv)
{
	struct vcpu *v = this_pcpu()->current_vcpu;

	(void)priv;
	if (v && v->vgic && v->arch.pmu.used) {
		vgic_inject_ppi(v, VPMU_GUEST_INTID, true, true, intid);
		return;
	}
	/* No guest to own it (no vGIC to deliver it): silence it. */
	write_sysreg(~0UL, PMINTENCLR_EL1);
	isb();
	irq_deactivate(intid);
}

static void vpmu_restore(const struct vcpu_pmu *p)
{
	u64 all = vpmu_counter_mask();

	write_sysreg(p->pmcr & PMCR_WRITABLE & ~PMCR_E, PMCR_EL0);
	isb();
	switch (vpmu_nr_counters) {
		PMU_COUNTERS(EV_RESTORE)
	default:
		break;
	}
	write_sysreg(p->selr, PMSELR_EL0);
	write_sysreg(p->ccfiltr, PMCCFILTR_EL0);
	write_sysreg(p->ccntr, PMCCNTR_EL0);
	write_sysreg(p->userenr, PMUSERENR_EL0);
	write_sysreg(all, PMOVSCLR_EL0);
	write_sysreg(p->ovsset & all, PMOVSSET_EL0);
	write_sysreg(all, PMINTENCLR_EL1);
	write_sysreg(p->intenset & all, PMINTENSET_EL1);
	write_sysreg(all, PMCNTENCLR_EL0);
	write_sysreg(p->cntenset & all, PMCNTENSET_EL0);
	isb();
	write_sysreg(p->pmcr & PMCR_WRITABLE, PMCR_EL0);
	isb();
}

/* Save the vCPU's PMU and leave the hardware counting nothing and interrupting no one. */
static void vpmu_save(struct vcpu_pmu *p)
{
	u64 all = vpmu_counter_mask();

	p->pmcr = read_sysreg(PMCR_EL0);
	write_sysreg(p->pmcr & PMCR_WRITABLE & ~PMCR_E, PMCR_EL0);
	isb();
	switch (vpmu_nr_counters) {
		PMU_COUNTERS(EV_SAVE)
	default:
		break;
	}
	p->selr = read_sysreg(PMSELR_EL0);
	p->ccfiltr = read_sysreg(PMCCFILTR_EL0);
	p->ccntr = read_sysreg(PMCCNTR_EL0);
	p->userenr = read_sysreg(PMUSERENR_EL0);
	p->ovsset = read_sysreg(PMOVSSET_EL0);
	p->intenset = read_sysreg(PMINTENSET_EL1);
	p->cntenset = read_sysreg(PMCNTENSET_EL0);
	write_sysreg(all, PMCNTENCLR_EL0);
	write_sysreg(all, PMINTENCLR_EL1);
	write_sysreg(all, PMOVSCLR_EL0);
	isb();
}

void vpmu_reset(struct vcpu *vcpu)
{
	memset(&vcpu->arch.pmu, 0, sizeof(vcpu->arch.pmu));
}

void vpmu_load(struct vcpu *vcpu)
{
	struct vcpu_pmu *p = &vcpu->arch.pmu;

	if (!p->used)
		return;
	vpmu_restore(p);
	if (vcpu->vgic && vpmu_host_intid && p->hw_active)
		irq_set_active(vpmu_host_intid, true);
}

void vpmu_put(struct vcpu *vcpu)
{
	struct vcpu_pmu *p = &vcpu->arch.pmu;

	if (!p->used)
		return;
	vpmu_save(p);
	/* The host PPI's active state belongs to this vCPU's linked interrupt: keep it with it. */
	if (vcpu->vgic && vpmu_host_intid) {
		p->hw_active = irq_get_active(vpmu_host_intid);
		if (p->hw_active)
			irq_set_active(vpmu_host_intid, false);
	}
}

enum sysreg_result vpmu_first_access(struct vcpu *vcpu)
{
	struct vcpu_pmu *p = &vcpu->arch.pmu;

	if (!vpmu_present || p->used)
		return SYSREG_UNDEF;
	/* From now on the PMU is this vCPU's: no traps, switched with it; run the access again. */
	p->used = true;
	vcpu->arch.mdcr &= ~(MDCR_EL2_TPM | MDCR_EL2_TPMCR);
	write_sysreg(vcpu->arch.mdcr, mdcr_el2);
	vpmu_restore(p);
	return SYSREG_RETRY;
}

/* After each exit: an overflow interrupt not yet taken is withdrawn once its line is low. */
void vpmu_sync_line(struct vcpu *vcpu)
{
	if (!vcpu->vgic || !vpmu_host_intid || !vgic_ppi_hw_pending(vcpu, VPMU_GUEST_INTID) ||
	    vpmu_line())
		return;
	if (irq_get_active(vpmu_host_intid) && vgic_ppi_hw_withdraw(vcpu, VPMU_GUEST_INTID))
		irq_set_active(vpmu_host_intid, false);
}
