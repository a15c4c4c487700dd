/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_TLB_H
#define ASM_TLB_H

/*
 * Stage-2 TLB maintenance. A TLBI for the EL1&0 regime acts on the VMID in VTTBR_EL2, so each
 * hook loads the VM's whole VTTBR_EL2 value (root table and VMID: any walk the CPU starts
 * meanwhile uses that VM's own tables), does the maintenance and restores the previous value.
 * Callers run at EL2 with interrupts masked or at least without switching VMs underneath.
 * tests/unit/include/asm/tlb.h is the host stand-in that counts calls.
 */
#include <asm/sysreg.h>
#include <tern/types.h>

/* Make page-table writes visible to the table walkers of every pCPU (inner shareable). */
static inline void tlb_sync_pte_write(void)
{
	dsb(ishst);
}

static inline u64 tlb_switch_vttbr(u64 vttbr)
{
	u64 old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr, vttbr_el2);
	isb();
	return old;
}

static inline void tlb_restore_vttbr(u64 old)
{
	write_sysreg(old, vttbr_el2);
	isb();
}

/*
 * Invalidate the stage-2 entries for @ipa (of any level, walk caches included) and, since
 * combined stage-1+2 entries cannot be found by IPA, every stage-1 entry of the VM.
 */
static inline void tlb_flush_vmid_ipa(u64 vttbr, ipa_t ipa)
{
	u64 old = tlb_switch_vttbr(vttbr);

	dsb(ishst);
	__asm__ __volatile__("tlbi ipas2e1is, %0" : : "r"(ipa >> 12) : "memory");
	dsb(ish);
	__asm__ __volatile__("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
	tlb_restore_vttbr(old);
}

/* Invalidate every stage-1 and stage-2 entry of the VM. */
static inline void tlb_flush_vmid(u64 vttbr)
{
	u64 old = tlb_switch_vttbr(vttbr);

	dsb(ishst);
	__asm__ __volatile__("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
	tlb_restore_vttbr(old);
}

#endif
