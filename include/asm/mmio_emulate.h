/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_MMIO_EMULATE_H
#define ASM_MMIO_EMULATE_H

#include <asm/guest.h>
#include <asm/mmio_decode.h>
#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <tern/mmio.h>
#include <tern/vcpu.h>
#include <tern/vm.h>

/*
 * A stage-2 data abort: emulate it on the VM's MMIO bus, or inject an abort into the guest.
 * vcpu->arch.esr, far and hpfar hold the exit's syndrome and fault addresses.
 */
enum vcpu_run_result mmio_emulate(struct vcpu *vcpu);

/*
 * What mmio_emulate_access() leaves to the full decoder: anything but the common access.
 * vcpu->arch.far and hpfar are set from @far and @hpfar first.
 */
enum vcpu_run_result mmio_emulate_other(struct vcpu *vcpu, u64 esr, u64 far, u64 hpfar);
/* The device refused the access at @far/@hpfar: an external abort for the guest. */
enum vcpu_run_result mmio_emulate_rejected(struct vcpu *vcpu, u64 far, u64 hpfar);
/* The step over an emulated AArch32 instruction (T16 or 32-bit, ITSTATE moved on). */
void mmio_aarch32_step(struct vcpu *vcpu, u64 esr);

/* The bytes an access of @size (1, 2, 4 or 8) moves, as a mask. */
static inline u64 mmio_size_mask(unsigned int size)
{
	return ~0UL >> (64 - 8 * size);
}

/* The same for an access of 1 << @sas bytes (the syndrome's SAS): one load. */
static inline u64 mmio_sas_mask(unsigned int sas)
{
	static const u64 masks[4] = { 0xFFUL, 0xFFFFUL, 0xFFFFFFFFUL, ~0UL };

	return masks[sas & 3];
}

/* What a load of @raw described by syndrome @esr (size 1 << @sas) leaves in its register. */
static inline u64 mmio_esr_extend(u64 esr, unsigned int sas, u64 raw)
{
	/* Zero-extension, the usual load: the W-register forms need nothing more (size <= 4). */
	if (likely(!(esr & DABT_ISS_SSE)))
		return raw & mmio_sas_mask(sas);
	return mmio_extend(1U << sas, true, esr & DABT_ISS_SF, raw);
}

/*
 * An emulated access completed: counted, and the guest goes on after the instruction (an A64
 * one: 4 bytes; AArch32 in mmio_aarch32_step()).
 */
static __hot_inline enum vcpu_run_result mmio_emulate_done(struct vcpu *vcpu, u64 esr)
{
	vcpu->exit_count[EXIT_MMIO]++;
	if (unlikely(vcpu->arch.regs.pstate & PSR_MODE_32)) {
		mmio_aarch32_step(vcpu, esr);
	} else {
		vcpu->arch.regs.pc += 4;
		vcpu->arch.regs.pstate &= ~SPSR_SS;
	}
	return VCPU_RUN_CONTINUE;
}

/*
 * The data abort with syndrome @esr and fault addresses @far and @hpfar (FAR_EL2, HPFAR_EL2): the
 * common case first, straight from the syndrome's fields (one register, a plain access,
 * mmio_esr_simple()), all of it inside the vCPU's last device or the one found for it, the
 * device's handler called directly; everything else in mmio_emulate_other(), which stores the
 * fault addresses in vcpu->arch for the decoder and the abort it may inject (the common case
 * needs them only here). Inline: the exit path (vcpu_exit_fast()) runs it without a frame of
 * its own, the guest's registers addressed in place. A caller takes @val's address for the
 * device: build it without the stack protector (its canary would guard one u64 the device's
 * read handler stores).
 */
static __hot_inline enum vcpu_run_result mmio_emulate_access(struct vcpu *vcpu, u64 esr, u64 far,
							     u64 hpfar)
{
	unsigned int sas = (esr >> DABT_ISS_SAS_SHIFT) & DABT_ISS_SAS_MASK, size = 1U << sas;
	unsigned int rt = (esr >> DABT_ISS_SRT_SHIFT) & DABT_ISS_SRT_MASK;
	u64 ipa = HPFAR_FAULT_IPA(hpfar, far);
	const struct mmio_region *r;
	u64 val;
	int rc;

	if (unlikely(!mmio_esr_simple(esr)))
		return mmio_emulate_other(vcpu, esr, far, hpfar);
	r = mmio_find_cached(&vcpu->vm->mmio, &vcpu->mmio_cache, ipa, size);
	if (unlikely(!r))
		return mmio_emulate_other(vcpu, esr, far, hpfar);
	if (esr & ESR_ISS_DABT_WNR) {
		rc = mmio_region_write(r, vcpu, ipa, size, vcpu_reg(vcpu, rt) & mmio_sas_mask(sas));
	} else {
		rc = mmio_region_read(r, vcpu, ipa, size, &val);
		if (likely(!rc))
			vcpu_set_reg(vcpu, rt, mmio_esr_extend(esr, sas, val));
	}
	if (unlikely(rc))
		return mmio_emulate_rejected(vcpu, far, hpfar);
	return mmio_emulate_done(vcpu, esr);
}

/*
 * The write of @val to region @r, which holds it (mmio_emulate_write()): the device called, the
 * access counted and stepped over, or refused. Nothing but @vcpu is kept across the device's call
 * (the exit path then saves no more callee-saved registers): an AArch32 step reads the syndrome
 * from vcpu->arch, a refused access the fault addresses from FAR/HPFAR again (no exception is
 * taken at EL2 meanwhile).
 */
static __hot_inline enum vcpu_run_result mmio_emulate_write_region(struct vcpu *vcpu,
								   const struct mmio_region *r,
								   ipa_t ipa, unsigned int sas,
								   u64 val)
{
	if (unlikely(mmio_region_write(r, vcpu, ipa, 1U << sas, val & mmio_sas_mask(sas))))
		return mmio_emulate_rejected(vcpu, read_sysreg(far_el2), read_sysreg(hpfar_el2));
	return mmio_emulate_done(vcpu, READ_ONCE(vcpu->arch.esr));
}

/*
 * What mmio_emulate_write() leaves out of line: the region looked up on the bus (and cached), or
 * anything but the common access, which mmio_emulate_other() decodes with @val put in the vCPU's
 * registers first (the exit vector's hand-off: x19-x28 are not stored there).
 */
enum vcpu_run_result mmio_emulate_write_slow(struct vcpu *vcpu, u64 esr, u64 val);

/*
 * mmio_emulate_access() for a write (WnR set) whose data register's value @val the exit vector
 * handed over (guest_entry.S, vcpu_exit_mmio_write(), which stored @esr in vcpu->arch.esr): the
 * same checks and the same device call, with @val masked to the access as
 * mmio_emulate_access() masks the register; inline only while the vCPU's cached region holds it.
 */
static __hot_inline enum vcpu_run_result mmio_emulate_write(struct vcpu *vcpu, u64 esr, u64 val)
{
	unsigned int sas = (esr >> DABT_ISS_SAS_SHIFT) & DABT_ISS_SAS_MASK;
	u64 ipa = HPFAR_FAULT_IPA(read_sysreg(hpfar_el2), read_sysreg(far_el2));

	if (unlikely(!mmio_esr_simple_dabt_isv(esr) ||
		     !mmio_cache_holds(&vcpu->mmio_cache, &vcpu->vm->mmio, ipa, 1U << sas)))
		return mmio_emulate_write_slow(vcpu, esr, val);
	return mmio_emulate_write_region(vcpu, &vcpu->mmio_cache.r, ipa, sas, val);
}

/*
 * A stage-2 translation fault (data or instruction abort, the access or its stage-1 walk) on RAM
 * of a VM with RAM on demand: the block is now zeroed and mapped and the instruction runs again
 * (true, counted as an "other" exit); false for anything else.
 */
bool mmio_ram_fault(struct vcpu *vcpu);

#endif
