// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 data aborts: an access to an emulated device is decoded (from the syndrome, or from
 * the instruction fetched from guest memory when ISV is 0) and performed on the VM's MMIO bus.
 * Everything else - a hole in the guest map, a form Tern does not decode, a device that rejects
 * the access - becomes a synchronous external abort in the guest, never a fault in Tern.
 */
#include <asm/guest.h>
#include <asm/mmio_decode.h>
#include <asm/mmio_emulate.h>
#include <asm/sysreg.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

#define PAR_EL1_F	(1UL << 0)
#define PAR_EL1_PA_MASK 0x0000FFFFFFFFF000UL

static u64 mmio_fault_ipa(const struct vcpu *vcpu)
{
	return HPFAR_FAULT_IPA(vcpu->arch.hpfar, vcpu->arch.far);
}

bool mmio_ram_fault(struct vcpu *vcpu)
{
	unsigned int fsc = vcpu->arch.esr & ESR_ISS_xFSC_MASK;

	if (fsc < DFSC_TRANSLATION_MIN || fsc > DFSC_TRANSLATION_MAX ||
	    !vm_ram_fault(vcpu->vm, mmio_fault_ipa(vcpu)))
		return false;
	vcpu->exit_count[EXIT_OTHER]++;
	return true;
}

/* The access came from AArch32 (EL0: EL1 is always AArch64). */
static bool mmio_guest_aarch32(const struct vcpu *vcpu)
{
	return vcpu->arch.regs.pstate & PSR_MODE_32;
}

/*
 * A T32 instruction emulated inside an IT block: advance ITSTATE (PSTATE.IT[7:2] at bits 15:10,
 * IT[1:0] at 26:25) as executing it would have, or the next instructions' conditions are wrong.
 */
static void mmio_aarch32_it_advance(struct vcpu *vcpu)
{
	u64 pstate = vcpu->arch.regs.pstate;
	u32 it = (u32)(((pstate >> 25) & 0x3) | (((pstate >> 10) & 0x3f) << 2));

	if (!(pstate & PSR_AA32_T) || !it)
		return;
	it = (it & 0x7) ? (it & 0xe0) | ((it << 1) & 0x1f) : 0;
	pstate &= ~((0x3UL << 25) | (0x3fUL << 10));
	pstate |= ((u64)(it & 0x3) << 25) | ((u64)(it >> 2) << 10);
	vcpu->arch.regs.pstate = pstate;
}

static bool mmio_guest_at_el0(const struct vcpu *vcpu)
{
	return (vcpu->arch.regs.pstate & SPSR_MODE_MASK) == PSR_MODE_EL0t;
}

/* The guest's SP as a base register: SP_EL1 in EL1h, else SP_EL0 (both live in the hardware). */
static u64 mmio_get_sp(const struct vcpu *vcpu)
{
	return (vcpu->arch.regs.pstate & SPSR_MODE_MASK) == PSR_MODE_EL1h ? read_sysreg(sp_el1)
									  : read_sysreg(sp_el0);
}

static void mmio_set_sp(const struct vcpu *vcpu, u64 val)
{
	if ((vcpu->arch.regs.pstate & SPSR_MODE_MASK) == PSR_MODE_EL1h)
		write_sysreg(val, sp_el1);
	else
		write_sysreg(val, sp_el0);
}

static u64 mmio_base_reg(const struct vcpu *vcpu, unsigned int rn)
{
	return rn == MMIO_REG_ZR_SP ? mmio_get_sp(vcpu) : vcpu_reg(vcpu, rn);
}

/*
 * Fetch the instruction at the guest's PC: translate its VA with the guest's own stage 1 (AT,
 * which clobbers PAR_EL1: that is guest state, so it is put back), then read guest RAM.
 */
static int mmio_fetch_insn(struct vcpu *vcpu, u32 *insn)
{
	u64 par_saved = read_sysreg(par_el1);
	u64 pc = vcpu->arch.regs.pc;
	u64 par;

	if (mmio_guest_at_el0(vcpu))
		__asm__ __volatile__("at s1e0r, %0" ::"r"(pc));
	else
		__asm__ __volatile__("at s1e1r, %0" ::"r"(pc));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_saved, par_el1);
	if (par & PAR_EL1_F)
		return -TERN_EFAULT;
	return vm_copy_from_guest(vcpu->vm, insn, (par & PAR_EL1_PA_MASK) | (pc & 0xFFF),
				  sizeof(*insn));
}

/*
 * One element of the access: to @r, found for the fault, when it holds it (always, unless an
 * element of a pair lies beyond @r's end), else through the bus.
 */
static int mmio_access_one(struct vcpu *vcpu, const struct mmio_region *r, ipa_t ipa,
			   unsigned int size, bool write, u64 *val)
{
	if (mmio_region_holds(r, ipa, size))
		return mmio_region_access(r, vcpu, ipa, size, write, val);
	return mmio_dispatch(&vcpu->vm->mmio, vcpu, ipa, size, write, val);
}

static int mmio_do_access(struct vcpu *vcpu, const struct mmio_insn *mi, ipa_t ipa,
			  const struct mmio_region *r)
{
	unsigned int n = mi->pair ? 2 : 1;
	u8 regs[2] = { mi->rt, mi->rt2 };
	u64 vals[2] = { 0, 0 };
	int rc = 0;

	if (mi->acqrel)
		dsb(sy);
	for (unsigned int i = 0; i < n; i++) {
		if (mi->write)
			vals[i] = vcpu_reg(vcpu, regs[i]) & mmio_size_mask(mi->size);
	}
	for (unsigned int i = 0; i < n && !rc; i++)
		rc = mmio_access_one(vcpu, r, ipa + i * mi->size, mi->size, mi->write, &vals[i]);
	if (rc)
		return rc;
	if (!mi->write) {
		for (unsigned int i = 0; i < n; i++)
			vcpu_set_reg(vcpu, regs[i], mmio_load_extend(mi, vals[i]));
	}
	if (mi->writeback) {
		u64 base = mmio_base_reg(vcpu, mi->rn) + (u64)mi->wb_offset;

		if (mi->rn == MMIO_REG_ZR_SP)
			mmio_set_sp(vcpu, base);
		else
			vcpu_set_reg(vcpu, mi->rn, base);
	}
	if (mi->acqrel)
		dsb(sy);
	return 0;
}

static __noinline enum vcpu_run_result mmio_abort(struct vcpu *vcpu, const char *why, u64 ipa)
{
	vcpu->exit_count[EXIT_ABORT]++;
	pr_debug("vm%u.%u: data abort at IPA 0x%llx (pc 0x%llx): %s\n", vcpu->vm->id, vcpu->id,
		 (unsigned long long)ipa, (unsigned long long)vcpu->arch.regs.pc, why);
	inject_dabt(vcpu, vcpu->arch.far);
	return VCPU_RUN_CONTINUE;
}

/*
 * Cache maintenance by VA (DC CVAP, CIVAC ...) of a device or a hole: nothing to clean, and
 * natively it completes without a fault (KVM skips it too). The architecture marks such faults
 * with ISS.CM; QEMU 7.2 reports DC CVAP as an ISV=0 read instead, hence the instruction check.
 * Guest RAM is always mapped: it never faults there.
 */
static bool mmio_is_cache_maintenance(struct vcpu *vcpu, u64 esr)
{
	u32 insn;

	if (esr & ESR_ISS_DABT_CM)
		return true;
	return !(esr & ESR_ISS_DABT_ISV) && !mmio_fetch_insn(vcpu, &insn) &&
	       mmio_decode_is_cmo(insn);
}

void mmio_aarch32_step(struct vcpu *vcpu, u64 esr)
{
	vcpu->arch.regs.pc += (esr & ESR_ELx_IL) ? 4 : 2;
	vcpu->arch.regs.pstate &= ~SPSR_SS;
	mmio_aarch32_it_advance(vcpu);
}

/* An emulated access completed: count it and step over the instruction. */
static inline enum vcpu_run_result mmio_done(struct vcpu *vcpu)
{
	vcpu->exit_count[EXIT_MMIO]++;
	vcpu_arch_skip_insn(&vcpu->arch);
	if (mmio_guest_aarch32(vcpu))
		mmio_aarch32_it_advance(vcpu);
	return VCPU_RUN_CONTINUE;
}

/*
 * Everything but the common case: cache maintenance, faults that are not an emulated access, an
 * access Tern decodes from the instruction (ISV = 0: writeback, pairs), acquire/release, an
 * access outside the vCPU's last device or across a device's end.
 */
__noinline enum vcpu_run_result mmio_emulate_other(struct vcpu *vcpu, u64 esr, u64 far, u64 hpfar)
{
	unsigned int dfsc = esr & ESR_ISS_xFSC_MASK;
	u64 ipa = HPFAR_FAULT_IPA(hpfar, far);
	const struct mmio_region *r;
	struct mmio_insn mi;
	u32 insn;
	int rc;

	vcpu->arch.far = far;
	vcpu->arch.hpfar = hpfar;

	/* First touch of RAM on demand, by the access itself or by its stage-1 walk: again. */
	if (mmio_ram_fault(vcpu))
		return VCPU_RUN_CONTINUE;
	if (mmio_is_cache_maintenance(vcpu, esr)) {
		vcpu->exit_count[EXIT_MMIO]++;
		vcpu_skip_insn(vcpu);
		return VCPU_RUN_CONTINUE;
	}

	/* HPFAR is only valid for stage-2 translation faults on the access itself. */
	if (dfsc < DFSC_TRANSLATION_MIN || dfsc > DFSC_TRANSLATION_MAX ||
	    (esr & ESR_ISS_DABT_S1PTW))
		return mmio_abort(vcpu, "not an emulated access", ipa);
	r = mmio_find_cached(&vcpu->vm->mmio, &vcpu->mmio_cache, ipa, 1);
	if (!r)
		return mmio_abort(vcpu, "no device there", ipa);

	rc = mmio_decode_esr(esr, &mi);
	/*
	 * Without a syndrome, an AArch32 access (LDM, LDRD, ...) is not something Tern decodes: the
	 * word at the PC is an A32/T32 instruction, never to be read as A64. Refuse it.
	 */
	if (rc == -TERN_ENOENT && mmio_guest_aarch32(vcpu))
		return mmio_abort(vcpu, "AArch32 access without syndrome (ISV=0)", ipa);
	if (rc == -TERN_ENOENT) {
		rc = mmio_fetch_insn(vcpu, &insn);
		if (rc)
			return mmio_abort(vcpu, "cannot fetch the instruction", ipa);
		rc = mmio_decode_insn(insn, &mi);
		if (!rc && mi.pair) {
			int off =
			    mmio_decode_far_offset(&mi, mmio_base_reg(vcpu, mi.rn), vcpu->arch.far);

			if (off < 0 || (ipa & 0xFFF) < (u64)off ||
			    (ipa & 0xFFF) - (u64)off + 2 * mi.size > 0x1000)
				return mmio_abort(vcpu, "pair access crosses a page", ipa);
			ipa -= (u64)off;
		}
	}
	if (rc)
		return mmio_abort(vcpu, "instruction form not emulated", ipa);
	if (mmio_do_access(vcpu, &mi, ipa, r))
		return mmio_abort(vcpu, "the device rejected the access", ipa);
	return mmio_done(vcpu);
}

__noinline enum vcpu_run_result mmio_emulate_write_slow(struct vcpu *vcpu, u64 esr, u64 val)
{
	unsigned int sas = (esr >> DABT_ISS_SAS_SHIFT) & DABT_ISS_SAS_MASK;
	u64 far = read_sysreg(far_el2), hpfar = read_sysreg(hpfar_el2);
	u64 ipa = HPFAR_FAULT_IPA(hpfar, far);
	const struct mmio_region *r;

	if (mmio_esr_simple_dabt_isv(esr)) {
		r = mmio_find_fill(&vcpu->vm->mmio, &vcpu->mmio_cache, ipa, 1U << sas);
		if (r)
			return mmio_emulate_write_region(vcpu, r, ipa, sas, val);
	}
	vcpu_set_reg(vcpu, (esr >> DABT_ISS_SRT_SHIFT) & DABT_ISS_SRT_MASK, val);
	return mmio_emulate_other(vcpu, esr, far, hpfar);
}

enum vcpu_run_result mmio_emulate_rejected(struct vcpu *vcpu, u64 far, u64 hpfar)
{
	vcpu->arch.far = far;
	vcpu->arch.hpfar = hpfar;
	return mmio_abort(vcpu, "the device rejected the access", HPFAR_FAULT_IPA(hpfar, far));
}

/* The full exit's way in (exit_sync()); vcpu_exit_fast() inlines mmio_emulate_access(). */
__no_stack_protector enum vcpu_run_result mmio_emulate(struct vcpu *vcpu)
{
	return mmio_emulate_access(vcpu, vcpu->arch.esr, vcpu->arch.far, vcpu->arch.hpfar);
}
