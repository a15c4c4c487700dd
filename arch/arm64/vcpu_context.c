// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's architectural state: its reset values, and switching it onto and off a pCPU.
 * EL1 registers are switched here in C when a vCPU is loaded or put, not on every exit
 * (Xen's ctxt_switch_to/from is the model); guest_entry.S only moves general registers.
 */
#include <asm/cpuid.h>
#include <asm/guest.h>
#include <asm/stage2.h>
#include <asm/sysreg_emul.h>
#include <asm/sysreg_table.h>
#include <asm/vdebug.h>
#include <asm/vpmu.h>
#include <asm/sysreg.h>
#include <asm/vtimer.h>
#include <virt/vgic_core.h>
#include <virt/vgic_hw.h>
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
 * first functions) once the vCPU has used it: until then both are clear, its first use traps
 * once (vcpu_arch_pac_trap), and only from then on are its keys switched with it. Where the CPU has
 * them (vcpu_arch_init): TERR, RAS error records are hidden; TID5, MTE's GMID_EL1 is hidden. Every
 * register a guest can reach is decided in sysreg_table.h.
 */
#define HCR_GUEST                                                                                  \
	(HCR_EL2_VM | HCR_EL2_TSW | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO |       \
	 HCR_EL2_FB | HCR_EL2_BSU_IS | HCR_EL2_TWI | HCR_EL2_TWE | HCR_EL2_TID1 | HCR_EL2_TID3 |   \
	 HCR_EL2_TSC | HCR_EL2_TIDCP | HCR_EL2_TACR | HCR_EL2_TLOR | HCR_EL2_RW | HCR_EL2_API |    \
	 HCR_EL2_APK)

/*
 * MDCR_EL2: debug, OS-lock and debug-ROM registers trap and are emulated per vCPU
 * (TDA/TDOSA/TDRA); SPE and trace, which Tern hides, trap too. The PMU bits come from vpmu.c.
 */
#define MDCR_GUEST (MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA | MDCR_EL2_TPMS | MDCR_EL2_TTRF)

/*
 * CPTR_EL2: SVE, trace and activity monitors trap. FP/SIMD traps (TFP) until the vCPU first
 * uses it after being loaded: its registers are switched lazily (the original switched none).
 */
#define CPTR_GUEST (CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TTA | CPTR_EL2_TAM)

#define SCTLR_EL1_RESET 0x30D00800UL /* RES1 bits; MMU and caches off */
#define OSLSR_EL1_RESET 0xAUL	     /* OS lock implemented (OSLM 0b10) and locked */

/* The CPU features a SWITCH row of sysreg_table.h may depend on (its feat column). */
static struct {
	bool ALWAYS, PAC, SME, RAS;
} sr_feat = { .ALWAYS = true };
static u64 vcpu_hcr_guest = HCR_GUEST;

/*
 * What a row's feat column tests, read once per switch into locals (SR_FEAT_LOCALS at the top of
 * the load and the put): ALWAYS is a constant, so the rows every CPU has cost no test at all
 * (read from sr_feat, each of the 36 rows re-read the flag and branched around the register
 * both ways, ~100 instructions of every vCPU switch).
 */
#define SR_FEAT_LOCALS                                                                             \
	const bool feat_ALWAYS = true, feat_PAC = sr_feat.PAC && a->pac_used,                      \
		   feat_SME = sr_feat.SME, feat_RAS = sr_feat.RAS
#define SR_FEAT(f) (feat_##f)

void vcpu_arch_init(void)
{
	u64 pfr0 = cpuid_read(CPUID_AA64PFR0), pfr1 = cpuid_read(CPUID_AA64PFR1);
	u64 isar1 = cpuid_read(CPUID_AA64ISAR1), isar2 = cpuid_read(CPUID_AA64ISAR2);

	/* ISAR1 APA, API, GPA, GPI; ISAR2 GPA3, APA3 */
	sr_feat.PAC = (isar1 & (0xFUL << 4 | 0xFUL << 8 | 0xFUL << 24 | 0xFUL << 28)) ||
		      (isar2 & (0xFUL << 8 | 0xFUL << 12));
	sr_feat.SME = (pfr1 >> 24) & 0xF;
	sr_feat.RAS = (pfr0 >> 28) & 0xF;
	if (sr_feat.RAS)
		vcpu_hcr_guest |= HCR_EL2_TERR;
	if (((pfr1 >> 8) & 0xF) >= 2)
		vcpu_hcr_guest |= HCR_EL2_TID5;
	inject_init();
	vdebug_init();
	vpmu_init();
	sysreg_emul_init();
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
	a->sys.sctlr_el1 = SCTLR_EL1_RESET;
	a->dbg.oslsr = OSLSR_EL1_RESET;
	/* Pointer authentication traps until the vCPU first uses it (vcpu_arch_pac_trap). */
	a->pac_used = false;
	a->hcr = sr_feat.PAC ? vcpu_hcr_guest & ~(HCR_EL2_API | HCR_EL2_APK) : vcpu_hcr_guest;
	a->mdcr = MDCR_GUEST | vpmu_mdcr();
	vpmu_reset(vcpu);
	/* Aff0 = vCPU id, bit 31 RES1: what the guest's DT cpu nodes say. */
	a->vmpidr = (1UL << 31) | vcpu->id;
	a->vpidr = read_sysreg(midr_el1);
}

/*
 * The SWITCH rows of sysreg_table.h, each where the CPU has its feature. The accessors here let
 * the compiler pair the memory side (ldp/stp, about 18 instructions fewer each way): read_sysreg()
 * and write_sysreg() are volatile, which the compiler's scheduler treats as a barrier, and
 * write_sysreg() clobbers memory. Neither is needed for these rows: at EL2 nothing changes a
 * guest EL1 register behind the compiler's back, each read is stored before the isb() (a memory
 * clobber) that ends the save, and each write stays volatile, in order with the other writes.
 */
#define sr_read(r)                                                                                 \
	({                                                                                         \
		unsigned long __v;                                                                 \
		__asm__("mrs %0, " #r : "=r"(__v));                                                \
		__v;                                                                               \
	})
#define sr_write(v, r) __asm__ __volatile__("msr " #r ", %x0" : : "rZ"((unsigned long)(v)))
#define SR_DO_RESTORE(name, feat, hw)                                                              \
	if (SR_FEAT(feat))                                                                         \
		sr_write(s->name, hw);
#define SR_DO_SAVE(name, feat, hw)                                                                 \
	if (SR_FEAT(feat))                                                                         \
		s->name = sr_read(hw);
/*
 * The restore reads the rows every CPU has into locals first, then writes them: the reads pair
 * (ldp), which they cannot around the volatile writes.
 */
#define SR_LOCAL_ALWAYS(name) const u64 v_##name = s->name;
#define SR_LOCAL_PAC(name)
#define SR_LOCAL_SME(name)
#define SR_LOCAL_RAS(name)
#define SR_WRITE_ALWAYS(name, hw) sr_write(v_##name, hw);
#define SR_WRITE_PAC(name, hw)	  SR_DO_RESTORE(name, PAC, hw)
#define SR_WRITE_SME(name, hw)	  SR_DO_RESTORE(name, SME, hw)
#define SR_WRITE_RAS(name, hw)	  SR_DO_RESTORE(name, RAS, hw)
#define SR_LOCAL(name, o0, o1, cn, cm, o2, pol, feat, hw, why)                                     \
	SR_ONLY_SWITCH(pol, SR_LOCAL_##feat(name))
#define SR_RESTORE(name, o0, o1, cn, cm, o2, pol, feat, hw, why)                                   \
	SR_ONLY_SWITCH(pol, SR_WRITE_##feat(name, hw))
#define SR_SAVE(name, o0, o1, cn, cm, o2, pol, feat, hw, why)                                      \
	SR_ONLY_SWITCH(pol, SR_DO_SAVE(name, feat, hw))

void vcpu_arch_load(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	struct vcpu_sysregs *s = &a->sys;
	struct vm *vm = vcpu->vm;
	SR_FEAT_LOCALS;
	SYSREG_TABLE(SR_LOCAL)

	(void)feat_ALWAYS;
	SYSREG_TABLE(SR_RESTORE)
	a->fp_loaded = false;
	if (!vcpu->vgic)
		vgic_hw_no_vgic(true);
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
	vdebug_load(vcpu);
	vpmu_load(vcpu);
	isb();
	write_sysreg(s->cntv_ctl_el0, cntv_ctl_el0);
	write_sysreg(a->hcr, hcr_el2);
	isb();
	this_pcpu()->id_fast = vm->id_fast;
	this_pcpu()->current_vcpu = vcpu;
	__atomic_store_n(&vcpu->loaded, true, __ATOMIC_RELEASE);
}

#define SR_IF_PAC_ALWAYS(x)
#define SR_IF_PAC_SME(x)
#define SR_IF_PAC_RAS(x)
#define SR_IF_PAC_PAC(x) x
#define SR_PAC_RESTORE(name, o0, o1, cn, cm, o2, pol, feat, hw, why)                               \
	SR_ONLY_SWITCH(pol, SR_IF_PAC_##feat(write_sysreg(s->name, hw);))

/*
 * PAC keys are switched only for a vCPU that has used pointer authentication: until then its
 * HCR_EL2.API and APK are clear, so its first PAC instruction or key-register access traps here
 * (the hardware holds another vCPU's keys meanwhile, which it can neither use nor read). From then
 * on they run untrapped and its keys go with it at every switch. Returns false if the trap was
 * not that (no PAC on this CPU, or already in use): the caller treats it as any other.
 */
bool vcpu_arch_pac_trap(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	const struct vcpu_sysregs *s = &a->sys;

	if (!sr_feat.PAC || a->pac_used)
		return false;
	a->pac_used = true;
	SYSREG_TABLE(SR_PAC_RESTORE)
	a->hcr |= HCR_EL2_API | HCR_EL2_APK;
	write_sysreg(a->hcr, hcr_el2);
	isb();
	return true;
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
	struct pcpu *p = this_pcpu();
	struct vcpu_arch *a = &vcpu->arch;
	struct vcpu_sysregs *s = &a->sys;
	SR_FEAT_LOCALS;

	vcpu_arch_serror_sync(vcpu);

	SYSREG_TABLE(SR_SAVE)
	s->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	/* The next vCPU must not inherit a running virtual timer. */
	write_sysreg(0, cntv_ctl_el0);
	isb();
	vtimer_put(vcpu);
	vgic_put(vcpu);
	vpmu_put(vcpu);
	if (!vcpu->vgic)
		vgic_hw_no_vgic(false);
	if (a->fp_loaded) {
		fpsimd_save(&a->fp);
		a->fp_loaded = false;
	}
	write_sysreg(HCR_EL2_HOST, hcr_el2);
	write_sysreg(CPTR_EL2_RES1, cptr_el2);
	isb();
	/* Exits the assembly fast paths answered while this vCPU ran (most often none). */
	if (p->fast_hvc | p->fast_sysreg) {
		vcpu->exit_count[EXIT_HVC] += p->fast_hvc;
		vcpu->exit_count[EXIT_SYSREG] += p->fast_sysreg;
		vcpu->exits += p->fast_hvc + p->fast_sysreg;
		p->fast_hvc = 0;
		p->fast_sysreg = 0;
	}
	p->id_fast = NULL;
	p->current_vcpu = NULL;
	__atomic_store_n(&vcpu->loaded, false, __ATOMIC_RELEASE);
}
