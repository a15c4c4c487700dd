// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's architectural state: its reset values, and switching it onto and off a pCPU.
 * EL1 registers are switched here in C when a vCPU is loaded or put, not on every exit
 * (Xen's ctxt_switch_to/from is the model); guest_entry.S only moves general registers.
 */
#include <asm/guest.h>
#include <asm/stage2.h>
#include <asm/sysreg.h>
#include <asm/vtimer.h>
#include <virt/vgic_core.h>
#include <tern/compiler.h>
#include <tern/percpu.h>
#include <string.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

void fpsimd_save(struct vcpu_fpregs *fp);
void fpsimd_restore(const struct vcpu_fpregs *fp);

_Static_assert(offsetof(struct vcpu_gpregs, pc) == GPREGS_OFF_PC, "guest_entry.S offset");
_Static_assert(offsetof(struct vcpu_gpregs, pstate) == GPREGS_OFF_PSTATE, "guest_entry.S offset");
_Static_assert(offsetof(struct vcpu_arch, regs) == 0, "guest_entry.S gets &arch.regs");

/*
 * HCR_EL2 while a guest runs, each bit for a reason:
 * VM: stage-2 on. TSW: set/way cache maintenance becomes maintenance of the VM's RAM by address
 * (setway.c; TVM is set from there while the guest changes its caches). SWIO: were one not
 * trapped, a set/way invalidate would still clean first, so no VM could discard another's lines.
 * FMO/IMO/AMO: physical interrupts and SErrors come to Tern. FB/BSU_IS: the guest's TLB and cache
 * maintenance reaches every pCPU its vCPUs may move to. TWI/TWE: WFI and WFE come to the scheduler.
 * TID1/TID3: ID registers are sanitised (features Tern does not virtualise read as absent). TSC:
 * SMC is PSCI for guests, never the firmware's. TIDCP/TACR: IMPLEMENTATION DEFINED and auxiliary
 * control registers of the host are not the guest's to touch. TLOR: LORegions are hidden. RW: EL1
 * is AArch64. API/APK: pointer authentication runs without traps (Debian's kernel uses it from its
 * first functions); the keys are switched per vCPU below.
 */
#define HCR_GUEST                                                                                  \
	(HCR_EL2_VM | HCR_EL2_TSW | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO |       \
	 HCR_EL2_FB | HCR_EL2_BSU_IS | HCR_EL2_TWI | HCR_EL2_TWE | HCR_EL2_TID1 | HCR_EL2_TID3 |   \
	 HCR_EL2_TSC | HCR_EL2_TIDCP | HCR_EL2_TACR | HCR_EL2_TLOR | HCR_EL2_RW | HCR_EL2_API |    \
	 HCR_EL2_APK)

/*
 * MDCR_EL2: debug, OS-lock and debug-ROM registers trap and are emulated per vCPU
 * (TDA/TDOSA/TDRA); the PMU, SPE and trace, which Tern hides, trap too.
 */
#define MDCR_GUEST                                                                                 \
	(MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA | MDCR_EL2_TPM | MDCR_EL2_TPMCR |           \
	 MDCR_EL2_TPMS | MDCR_EL2_TTRF)

/*
 * CPTR_EL2: SVE, trace and activity monitors trap. FP/SIMD traps (TFP) until the vCPU first
 * uses it after being loaded: its registers are switched lazily (the original switched none).
 */
#define CPTR_GUEST (CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TTA | CPTR_EL2_TAM)

#define SCTLR_EL1_RESET 0x30D00800UL /* RES1 bits; MMU and caches off */
#define OSLSR_EL1_RESET 0xAUL	     /* OS lock implemented (OSLM 0b10) and locked */

static bool vcpu_has_pac(void)
{
	static int has_pac = -1;

	if (has_pac < 0) {
		u64 isar1 = read_sysreg(id_aa64isar1_el1);
		u64 isar2 = read_sysreg(s3_0_c0_c6_2);

		/* ISAR1 APA, API, GPA, GPI; ISAR2 GPA3, APA3 */
		has_pac = (isar1 & (0xFUL << 4 | 0xFUL << 8 | 0xFUL << 24 | 0xFUL << 28)) ||
			  (isar2 & (0xFUL << 8 | 0xFUL << 12));
	}
	return has_pac;
}

static u64 vcpu_mdcr_hpmn(void)
{
	/* HPMN must not exceed PMCR_EL0.N; every PMU access traps anyway. */
	return (read_sysreg(pmcr_el0) >> 11) & MDCR_EL2_HPMN_MASK;
}

void vcpu_arch_init(void)
{
	inject_init();
}

void vcpu_arch_reset(struct vcpu *vcpu, u64 entry, u64 x0)
{
	struct vcpu_arch *a = &vcpu->arch;

	memset(&a->regs, 0, sizeof(a->regs));
	memset(&a->sys, 0, sizeof(a->sys));
	memset(&a->fp, 0, sizeof(a->fp));
	memset(&a->dbg, 0, sizeof(a->dbg));
	a->cntp_ctl = a->cntp_cval = 0;
	a->cntp_level = false;
	a->fp_loaded = false;
	inject_loop_reset(&a->inject);
	a->regs.pc = entry;
	a->regs.x[0] = x0;
	a->regs.pstate = PSR_MODE_EL1h | PSR_DAIF;
	a->sys.sctlr = SCTLR_EL1_RESET;
	a->dbg.oslsr = OSLSR_EL1_RESET;
	a->hcr = HCR_GUEST;
	a->mdcr = MDCR_GUEST | vcpu_mdcr_hpmn();
	/* Aff0 = vCPU id, bit 31 RES1: what the guest's DT cpu nodes say. */
	a->vmpidr = (1UL << 31) | vcpu->id;
	a->vpidr = read_sysreg(midr_el1);
}

#define SYSREG_SWITCH(op)                                                                          \
	op(sp_el0, sp_el0) op(sp_el1, sp_el1) op(elr_el1, elr_el1) op(spsr_el1, spsr_el1)          \
	    op(sctlr, sctlr_el1) op(cpacr, cpacr_el1) op(ttbr0, ttbr0_el1) op(ttbr1, ttbr1_el1)    \
		op(tcr, tcr_el1) op(mair, mair_el1) op(amair, amair_el1) op(vbar, vbar_el1)        \
		    op(contextidr, contextidr_el1) op(tpidr_el0, tpidr_el0)                        \
			op(tpidr_el1, tpidr_el1) op(tpidrro_el0, tpidrro_el0) op(esr, esr_el1)     \
			    op(far, far_el1) op(afsr0, afsr0_el1) op(afsr1, afsr1_el1)             \
				op(par, par_el1) op(cntkctl, cntkctl_el1) op(csselr, csselr_el1)   \
				    op(cntv_cval, cntv_cval_el0)

#define PAC_SWITCH(op)                                                                             \
	op(0, s3_0_c2_c1_0) op(1, s3_0_c2_c1_1) op(2, s3_0_c2_c1_2) op(3, s3_0_c2_c1_3)            \
	    op(4, s3_0_c2_c2_0) op(5, s3_0_c2_c2_1) op(6, s3_0_c2_c2_2) op(7, s3_0_c2_c2_3)        \
		op(8, s3_0_c2_c3_0) op(9, s3_0_c2_c3_1)

#define SYSREG_RESTORE(field, reg) write_sysreg(s->field, reg);
#define SYSREG_SAVE(field, reg)	   s->field = read_sysreg(reg);
#define PAC_RESTORE(i, reg)	   write_sysreg(s->pac[i], reg);
#define PAC_SAVE(i, reg)	   s->pac[i] = read_sysreg(reg);

void vcpu_arch_load(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct vcpu_sysregs *s = &a->sys;
	struct vm *vm = vcpu->vm;

	SYSREG_SWITCH(SYSREG_RESTORE)
	if (vcpu_has_pac()) {
		PAC_SWITCH(PAC_RESTORE)
	}
	a->fp_loaded = false;
	write_sysreg(vm->s2.vtcr, vtcr_el2);
	write_sysreg(vm->s2.vttbr, vttbr_el2);
	write_sysreg(a->vmpidr, vmpidr_el2);
	write_sysreg(a->vpidr, vpidr_el2);
	write_sysreg(a->mdcr, mdcr_el2);
	write_sysreg(CPTR_GUEST | CPTR_EL2_TFP, cptr_el2);
	/* The counter is the guest's to read; the EL1 physical timer traps (Tern's to emulate). */
	write_sysreg(CNTHCTL_EL2_EL1PCTEN, cnthctl_el2);
	vtimer_load(vcpu);
	vgic_load(vcpu);
	isb();
	write_sysreg(s->cntv_ctl, cntv_ctl_el0);
	write_sysreg(a->hcr, hcr_el2);
	isb();
	this_pcpu()->id_fast = vm->id_fast;
	this_pcpu()->current_vcpu = vcpu;
	__atomic_store_n(&vcpu->loaded, true, __ATOMIC_RELEASE);
}

/* The loaded vCPU used FP/SIMD for the first time since it was loaded: give it its registers. */
void vcpu_arch_fp_trap(struct vcpu *vcpu)
{
	write_sysreg(CPTR_GUEST, cptr_el2);
	isb();
	fpsimd_restore(&vcpu->arch.fp);
	vcpu->arch.fp_loaded = true;
}

void vcpu_arch_serror_sync(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	if (a->hcr & HCR_EL2_VSE)
		a->hcr = (a->hcr & ~HCR_EL2_VSE) | (read_sysreg(hcr_el2) & HCR_EL2_VSE);
}

void vcpu_arch_put(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct vcpu_sysregs *s = &a->sys;

	vcpu_arch_serror_sync(vcpu);

	SYSREG_SWITCH(SYSREG_SAVE)
	s->cntv_ctl = read_sysreg(cntv_ctl_el0);
	/* The next vCPU must not inherit a running virtual timer. */
	write_sysreg(0, cntv_ctl_el0);
	isb();
	vtimer_put(vcpu);
	vgic_put(vcpu);
	if (vcpu_has_pac()) {
		PAC_SWITCH(PAC_SAVE)
	}
	if (a->fp_loaded) {
		fpsimd_save(&a->fp);
		a->fp_loaded = false;
	}
	write_sysreg(HCR_EL2_HOST, hcr_el2);
	write_sysreg(CPTR_EL2_RES1, cptr_el2);
	isb();
	/* Exits the assembly fast paths answered while this vCPU ran. */
	vcpu->exit_count[EXIT_HVC] += this_pcpu()->fast_hvc;
	vcpu->exit_count[EXIT_SYSREG] += this_pcpu()->fast_sysreg;
	vcpu->exits += this_pcpu()->fast_hvc + this_pcpu()->fast_sysreg;
	this_pcpu()->fast_hvc = 0;
	this_pcpu()->fast_sysreg = 0;
	this_pcpu()->id_fast = NULL;
	this_pcpu()->current_vcpu = NULL;
	__atomic_store_n(&vcpu->loaded, false, __ATOMIC_RELEASE);
}
