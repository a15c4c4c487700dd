/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for the arm64 header: counts maintenance so tests can assert it happened. */
#ifndef ASM_TLB_H
#define ASM_TLB_H

#include <tern/types.h>

struct unit_tlb_stats {
	unsigned long sync;	  /* tlb_sync_pte_write() calls */
	unsigned long flush_ipa;  /* tlb_flush_vmid_ipa() calls */
	unsigned long flush_vmid; /* tlb_flush_vmid() calls */
	u64 last_vttbr;		  /* argument of the last flush of either kind */
	ipa_t last_ipa;		  /* argument of the last tlb_flush_vmid_ipa() */
};

/* Defined by the test that includes this (see test_stage2.c). */
extern struct unit_tlb_stats unit_tlb;

static inline void tlb_sync_pte_write(void)
{
	unit_tlb.sync++;
}

static inline void tlb_flush_vmid_ipa(u64 vttbr, ipa_t ipa)
{
	unit_tlb.flush_ipa++;
	unit_tlb.last_vttbr = vttbr;
	unit_tlb.last_ipa = ipa;
}

static inline void tlb_flush_vmid(u64 vttbr)
{
	unit_tlb.flush_vmid++;
	unit_tlb.last_vttbr = vttbr;
}

#endif
