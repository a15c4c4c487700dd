// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest exits: one table indexed by ESR_EL2.EC (KVM's arm_exit_handlers[] is the model). The
 * default handler makes the instruction UNDEFINED for the guest and logs that once per vCPU:
 * whatever a guest does, the worst outcome is an exception in that guest.
 */
#include <asm/guest.h>
#include <asm/mmio_emulate.h>
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <asm/sysreg_emul.h>
#include <asm/vpmu.h>
#include <asm/vtimer.h>
#include <tern/guest_hooks.h>
#include <drivers/psci.h>
#include <tern/compiler.h>
#include <tern/guest_type.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/sched_enter.h>
#include <tern/vdev.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <tern/vpsci.h>
#include <virt/vgic_core.h>

typedef enum vcpu_run_result (*exit_handler_t)(struct vcpu *vcpu);

static enum vcpu_run_result exit_unknown(struct vcpu *vcpu)
{
	vcpu->exit_count[EXIT_OTHER]++;
	if (!vcpu->undef_logged) {
		vcpu->undef_logged = true;
		pr_info(
		    "vm%u.%u: unhandled exit EC 0x%02llx (ESR 0x%llx) at pc 0x%llx: UNDEFINED for "
		    "the guest (logged once)\n",
		    vcpu->vm->id, vcpu->id, (unsigned long long)ESR_ELx_EC(vcpu->arch.esr),
		    (unsigned long long)vcpu->arch.esr, (unsigned long long)vcpu->arch.regs.pc);
	}
	inject_undef(vcpu);
	return VCPU_RUN_CONTINUE;
}

#define ESR_ISS_WFX_TI_WFE 1UL

static enum vcpu_run_result exit_wfx(struct vcpu *vcpu)
{
	bool wfe = vcpu->arch.esr & ESR_ISS_WFX_TI_WFE;

	vcpu->exit_count[wfe ? EXIT_WFE : EXIT_WFI]++;
	vcpu_arch_skip_insn(&vcpu->arch); /* inline: every vCPU switch comes through here */
	/* WFE yields; WFI may sleep until something is due, which the scheduler decides. */
	return wfe ? VCPU_RUN_YIELD : VCPU_RUN_WAIT;
}

/*
 * PSCI and SMCCC answer on the VM's conduit only (its guest type's, written in its DT); the other
 * instruction gets SMCCC NOT_SUPPORTED, as from a firmware that is not there.
 */
static enum vcpu_run_result exit_smccc(struct vcpu *vcpu, enum vm_psci_conduit via)
{
	if (vcpu->vm->smccc_conduit != via) {
		vcpu_set_reg(vcpu, 0, (u64)PSCI_RET_NOT_SUPPORTED);
		return VCPU_RUN_CONTINUE;
	}
	return vpsci_call(vcpu);
}

static enum vcpu_run_result exit_hvc(struct vcpu *vcpu)
{
	/* ELR_EL2 already points past the HVC. */
	vcpu->exit_count[EXIT_HVC]++;
	if (guest_hook_call(vcpu))
		return VCPU_RUN_CONTINUE;
	return exit_smccc(vcpu, VM_PSCI_HVC);
}

static enum vcpu_run_result exit_smc(struct vcpu *vcpu)
{
	/* A trapped SMC leaves ELR_EL2 at the SMC itself. */
	vcpu->exit_count[EXIT_SMC]++;
	vcpu_skip_insn(vcpu);
	return exit_smccc(vcpu, VM_PSCI_SMC);
}

/* MSR/MRS of a PAC key register: Op0 3, Op1 0, CRn 2, CRm 1-3 (ISS [21:20], [16:14], [13:10],
 * [4:1]). */
#define ESR_ISS_SYS_KEY_MASK  0x31FC00UL
#define ESR_ISS_SYS_KEY_MATCH 0x300800UL

static bool exit_sysreg_pac_key(u64 esr)
{
	unsigned int crm = (esr >> 1) & 0xF;

	return (esr & ESR_ISS_SYS_KEY_MASK) == ESR_ISS_SYS_KEY_MATCH && crm >= 1 && crm <= 3;
}

/*
 * Not a register Tern emulates: a PAC key is the vCPU's first key-register access, its keys are
 * loaded and the access runs again; anything else is UNDEFINED.
 */
static __noinline enum vcpu_run_result exit_sysreg_undef(struct vcpu *vcpu)
{
	if (exit_sysreg_pac_key(vcpu->arch.esr) && vcpu_arch_pac_trap(vcpu))
		return VCPU_RUN_CONTINUE;
	return exit_unknown(vcpu);
}

static inline enum vcpu_run_result exit_sysreg(struct vcpu *vcpu, u64 esr)
{
	struct sysreg_ret r;

	vcpu->exit_count[EXIT_SYSREG]++;
	r = sysreg_emulate(vcpu, esr);
	if (likely(r.res == SYSREG_DONE)) {
		if (esr & ISS_SYS_DIR_READ)
			vcpu_set_reg(vcpu, ISS_SYS_RT(esr), r.val);
		vcpu_arch_skip_insn(&vcpu->arch);
	} else if (r.res == SYSREG_UNDEF) {
		return exit_sysreg_undef(vcpu);
	}
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result exit_sys64(struct vcpu *vcpu)
{
	return exit_sysreg(vcpu, vcpu->arch.esr);
}

static enum vcpu_run_result exit_dabt(struct vcpu *vcpu)
{
	return mmio_emulate(vcpu);
}

/* A data abort the vector sends to vcpu_exit_fast() (ISV = 1): the emulated access inline. */
static __hot_inline enum vcpu_run_result exit_dabt_fast(struct vcpu *vcpu, u64 esr)
{
	return mmio_emulate_access(vcpu, esr, read_sysreg(far_el2), read_sysreg(hpfar_el2));
}

static enum vcpu_run_result exit_iabt(struct vcpu *vcpu)
{
	/* First touch of RAM on demand (vm_ram_demand.c): the fetch runs again. */
	if (mmio_ram_fault(vcpu))
		return VCPU_RUN_CONTINUE;
	vcpu->exit_count[EXIT_ABORT]++;
	/* Guest code outside its RAM: an instruction abort, as on hardware with nothing there. */
	inject_iabt(vcpu, vcpu->arch.far);
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result exit_pac(struct vcpu *vcpu)
{
	/* The vCPU's first PAC instruction: runs again with its keys in place. */
	if (!vcpu_arch_pac_trap(vcpu))
		return exit_unknown(vcpu);
	vcpu->exit_count[EXIT_OTHER]++;
	return VCPU_RUN_CONTINUE;
}

static enum vcpu_run_result exit_fp(struct vcpu *vcpu)
{
	/* Not an instruction to skip: it runs again with the registers in place. */
	vcpu->exit_count[EXIT_FP]++;
	vcpu_arch_fp_trap(vcpu);
	return VCPU_RUN_CONTINUE;
}

static const exit_handler_t exit_handlers[64] = {
	[ESR_EC_PAC_TRAP] = exit_pac,  [ESR_EC_FP_ASIMD] = exit_fp,   [ESR_EC_WFx] = exit_wfx,
	[ESR_EC_HVC64] = exit_hvc,     [ESR_EC_SMC64] = exit_smc,     [ESR_EC_SYS64] = exit_sys64,
	[ESR_EC_DABT_LOW] = exit_dabt, [ESR_EC_IABT_LOW] = exit_iabt,
};

/* The other exits: a physical interrupt, an SError, an FIQ (none is routed to a guest). */
static enum vcpu_run_result exit_async(struct vcpu *vcpu, u64 kind)
{
	switch (kind) {
	case GUEST_EXIT_IRQ:
		vcpu->exit_count[EXIT_IRQ]++;
		el2_irq(NULL);
		return VCPU_RUN_CONTINUE;
	case GUEST_EXIT_SERROR:
		/* An SError the guest caused (e.g. an external abort on its memory) stays its own.
		 */
		pr_warn("vm%u.%u: SError while the guest ran (ESR 0x%llx): injected\n",
			vcpu->vm->id, vcpu->id, (unsigned long long)read_sysreg(esr_el2));
		inject_serror(vcpu);
		return VCPU_RUN_CONTINUE;
	default:
		pr_warn("vm%u.%u: unexpected FIQ exit\n", vcpu->vm->id, vcpu->id);
		return VCPU_RUN_CONTINUE;
	}
}

static enum vcpu_run_result exit_sync(struct vcpu *vcpu, u64 esr)
{
	exit_handler_t fn;
	unsigned int ec = ESR_ELx_EC(esr);

	vcpu->arch.esr = esr;
	/* Fault addresses only mean something for aborts. */
	if (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW) {
		vcpu->arch.far = read_sysreg(far_el2);
		vcpu->arch.hpfar = read_sysreg(hpfar_el2);
	}
	fn = exit_handlers[ec];
	return (fn ? fn : exit_unknown)(vcpu);
}

/*
 * Whatever brought the guest back: the list registers and the lines the guest may have lowered.
 * Only needed while vcpu->entry_work is set: the word's LOCAL bit stays set while any of these
 * has something to look at (exit_local_work()).
 */
static inline void exit_begin(struct vcpu *vcpu)
{
	vgic_sync(vcpu);
	vtimer_sync(vcpu);
	vpmu_sync(vcpu);
}

/*
 * What must be looked at around every entry while it lasts (VCPU_WORK_LOCAL). Not the emulated
 * physical timer: its line changes only at a trapped CNTP_* write, whose handler brings it up to
 * date, or when its deadline passes, for which the pCPU's EL2 timer is armed while the vCPU runs
 * (sched_timer_update(): that interrupt's full exit raises the line, sched_timer_event()).
 */
static inline bool exit_local_work(struct vcpu *vcpu)
{
	return vgic_lrs_busy(vcpu) || vgic_ppi_hw_pending(vcpu, VTIMER_GUEST_VIRT_INTID) ||
	       vgic_ppi_hw_pending(vcpu, VPMU_GUEST_INTID);
}

/*
 * Before an entry after a full exit, or when vcpu->entry_work is set: the word cleared, then
 * everything it stands for looked at (a bit set by another pCPU after the clear stays for the
 * next exit, and that pCPU's kick brings the guest out). False when the scheduler must see the
 * vCPU first (sched_may_enter()); otherwise the emulated physical timer's line and the list
 * registers are brought up to date, and LOCAL set again while they need looking at. Inline in
 * both callers: every vCPU switch takes it twice (the waking exit, the woken vCPU's entry).
 */
static __hot_inline bool exit_prepare_entry(const struct pcpu *p, struct vcpu *vcpu)
{
	(void)__atomic_exchange_n(&vcpu->entry_work, 0, __ATOMIC_ACQUIRE);
	if (!sched_may_enter(p, vcpu))
		return false;
	vtimer_ptimer_update(vcpu);
	vgic_flush(vcpu);
	if (exit_local_work(vcpu))
		vcpu_work_set(vcpu, VCPU_WORK_LOCAL);
	return true;
}

/*
 * The entry-work word is LOCAL alone and a fast path's list register is why (a self-SGI this
 * exit's handler put in, say): exit_prepare_entry() would find nothing else to do and set LOCAL
 * again, so the word stays as it is. Neither SCHED nor VGIC is set: as for a word of zero, the
 * scheduler asked nothing and no other pCPU changed the vGIC; what this exit's own sync left
 * for the flush (dirty, lr_new) vgic_only_fast_lrs() looks at. The emulated physical timer
 * needs nothing either (exit_local_work()).
 */
static inline bool exit_work_stays(struct vcpu *vcpu, u32 work)
{
	return work == VCPU_WORK_LOCAL && vgic_only_fast_lrs(vcpu);
}

/*
 * After a handled synchronous exit: nothing to do before the entry (no entry work: the scheduler
 * asked nothing, the list registers and timers need nothing; or only a fast path's list
 * register, exit_work_stays()), or what there is done: back into the guest; else the run loop
 * sees @r.
 */
static __hot_inline u64 exit_fast_return(struct vcpu *vcpu, enum vcpu_run_result r)
{
	u32 work;

	if (likely(r == VCPU_RUN_CONTINUE)) {
		work = READ_ONCE(vcpu->entry_work);
		if (likely(!work) || exit_work_stays(vcpu, work) ||
		    exit_prepare_entry(this_pcpu(), vcpu))
			return GUEST_EXIT_RESUME;
	}
	vcpu->arch.exit_result = r;
	return GUEST_EXIT_HANDLED;
}

/*
 * Called by the exit vector (guest_entry.S) for the exits whose handlers touch no general
 * register but the ones the syndrome names, which the vector then has in vcpu->arch.regs, and
 * for no other: HVC/SMC (SMCCC: x0-x3), a trapped system register, an MMIO read the syndrome
 * describes (ISV = 1: one register, no writeback; a write goes to vcpu_exit_mmio_write()). The
 * vector sends everything else (an MMIO
 * access Tern decodes from the instruction, WFI, aborts, ...) to the full exit, as it may need
 * x19-x28. No stack protector: the only address-taken local is the MMIO read's value
 * (mmio_emulate_access(), inline here).
 */
__no_stack_protector u64 vcpu_exit_fast(struct vcpu_gpregs *regs)
{
	struct vcpu *vcpu = container_of(regs, struct vcpu, arch.regs);
	u64 esr = read_sysreg(esr_el2);
	enum vcpu_run_result r;

	vcpu->exits++;
	if (unlikely(READ_ONCE(vcpu->entry_work)))
		exit_begin(vcpu);
	/* exit_sync() without the table: the four kinds the vector sends here. */
	vcpu->arch.esr = esr;
	switch (ESR_ELx_EC(esr)) {
	case ESR_EC_DABT_LOW:
		r = exit_dabt_fast(vcpu, esr);
		break;
	case ESR_EC_SYS64:
		r = exit_sysreg(vcpu, esr);
		break;
	case ESR_EC_HVC64:
		r = exit_hvc(vcpu);
		break;
	default:
		r = exit_smc(vcpu);
		break;
	}
	return exit_fast_return(vcpu, r);
}

/* vcpu_exit_mmio_write() after the exit count and the entry-work look. */
static __hot_inline u64 exit_mmio_write(struct vcpu *vcpu, u64 val)
{
	u64 esr = read_sysreg(esr_el2);

	vcpu->arch.esr = esr;
	return exit_fast_return(vcpu, mmio_emulate_write(vcpu, esr, val));
}

/* With entry work: out of line, so that the common path keeps no value across exit_begin(). */
static __noinline u64 exit_mmio_write_work(struct vcpu *vcpu, u64 val)
{
	exit_begin(vcpu);
	return exit_mmio_write(vcpu, val);
}

/*
 * An MMIO write the syndrome describes (ISV = 1, WnR), from the exit vector with what
 * vcpu_exit_fast() gets and the data register's value in @val (guest_entry.S: x19-x28 are not
 * stored, whichever the instruction names): vcpu_exit_fast() for that one kind.
 */
__no_stack_protector u64 vcpu_exit_mmio_write(struct vcpu_gpregs *regs, u64 val)
{
	struct vcpu *vcpu = container_of(regs, struct vcpu, arch.regs);

	vcpu->exits++;
	if (unlikely(READ_ONCE(vcpu->entry_work)))
		return exit_mmio_write_work(vcpu, val);
	return exit_mmio_write(vcpu, val);
}

_Static_assert((long)offsetof(struct vcpu, entry_work) - (long)offsetof(struct vcpu, arch.regs) ==
		   GPREGS_OFF_ENTRY_WORK,
	       "guest_entry.S offset");
_Static_assert(offsetof(struct vcpu_arch, esr) - offsetof(struct vcpu_arch, regs) == GPREGS_OFF_ESR,
	       "guest_entry.S offset");
_Static_assert(SYSREG_DONE == GUEST_SYSREG_DONE, "guest_entry.S value");

/*
 * A trapped MSR/MRS while the vCPU has no entry work (the vector looked): what vcpu_exit_fast()
 * and exit_sysreg() do before the handler, and the handler's answer as it is (a tail call: no
 * stack frame on the way). The vector does the rest (guest_entry.S), or vcpu_exit_sysreg_finish().
 */
struct sysreg_ret vcpu_exit_sysreg(struct vcpu_gpregs *regs)
{
	struct vcpu *vcpu = container_of(regs, struct vcpu, arch.regs);
	u64 esr = read_sysreg(esr_el2);

	vcpu->exits++;
	vcpu->exit_count[EXIT_SYSREG]++;
	vcpu->arch.esr = esr;
	return sysreg_emulate(vcpu, esr);
}

/*
 * The rest of exit_sysreg() and vcpu_exit_fast() for what the vector does not complete itself:
 * an access that is not SYSREG_DONE, or entry work found after the handler (whose SYSREG_DONE
 * the vector has completed).
 */
u64 vcpu_exit_sysreg_finish(struct vcpu_gpregs *regs, u64 res)
{
	struct vcpu *vcpu = container_of(regs, struct vcpu, arch.regs);
	enum vcpu_run_result r = VCPU_RUN_CONTINUE;

	if (res == SYSREG_UNDEF)
		r = exit_sysreg_undef(vcpu);
	return exit_fast_return(vcpu, r);
}

/*
 * A physical interrupt while the guest ran. Output a device holds back (a prompt without a
 * newline) goes out at each of them: a vCPU alone on its pCPU running a busy loop is never put,
 * and its interrupts come at least with the guest's tick.
 */
static enum vcpu_run_result exit_irq(struct vcpu *vcpu, u64 kind)
{
	enum vcpu_run_result r = exit_async(vcpu, kind);

	if (kind == GUEST_EXIT_IRQ)
		vdev_vcpu_put(vcpu->vm->vdevs, vcpu->vm->nr_vdevs);
	return r;
}

/*
 * The exit loop: a handled exit goes straight back into the guest, checking only what the
 * scheduler's loop would check before the entry (sched_may_enter: a kick, a stop, a pause, a
 * reset or a reschedule asked meanwhile ends it). Most synchronous ones never get here:
 * vcpu_exit_fast() handles them from the exit vector and enters the guest again itself, looking
 * at vcpu->entry_work instead of those checks. Physical interrupts stay in this loop too:
 * whatever their handlers ask of the scheduler (a woken vCPU's preemption, a slice end, a kick
 * from another pCPU's stop or pause) shows in those checks. The emulated physical timer and the
 * list registers are brought up to date before every entry from here, as the scheduler's loop
 * did, and the entry-work word is recomputed.
 */
enum vcpu_run_result vcpu_arch_run(struct vcpu *vcpu)
{
	const struct pcpu *p = this_pcpu();
	enum vcpu_run_result r = VCPU_RUN_CONTINUE;
	u64 kind;

	while (exit_prepare_entry(p, vcpu)) {
		kind = __guest_enter(&vcpu->arch.regs);
		if (kind == GUEST_EXIT_HANDLED) {
			/* vcpu_exit_fast() handled it and found it may not enter again. */
			r = (enum vcpu_run_result)vcpu->arch.exit_result;
		} else {
			vcpu->exits++;
			exit_begin(vcpu);
			if (likely(kind == GUEST_EXIT_SYNC))
				r = exit_sync(vcpu, read_sysreg(esr_el2));
			else
				r = exit_irq(vcpu, kind);
		}
		if (r != VCPU_RUN_CONTINUE)
			break;
	}
	return r;
}
