/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_SYSREG_TABLE_H
#define ASM_SYSREG_TABLE_H

/*
 * Every system register the CPU Tern targets (QEMU 7.2 `-cpu max`, the registers an EL1 program
 * can name there, found by probing every encoding) has one row here that decides what a guest
 * gets from it; the reason is part of the row. Nothing else decides it:
 * - SWITCH rows are the per-vCPU registers: vcpu_context.c's save/restore code and the fields of
 *   struct vcpu_sysregs are generated from them (hw: the register Tern saves, feat: when the
 *   CPU has it);
 * - EMUL and ID rows trap, and sysreg_emul.c must have a handler for each (checked by the host
 *   unit test tests/unit/test_sysreg_emul.c); every other row must have none;
 * - HIDDEN rows name the trap that makes them UNDEFINED;
 * - tests/guests/regleak.c probes every encoding in two VMs sharing a pCPU and checks each
 *   register it can reach against its row (per-VM values where there is state, UNDEFINED or
 *   stateless where a feature is hidden, no register missing from this table).
 * docs/guests.md has the same table (scripts/check-sysreg-table.py keeps them in step).
 *
 * Policies:
 *   SWITCH  state of the vCPU, saved and restored when Tern switches vCPUs
 *   VMCTL   like SWITCH; HCR_EL2.TVM also traps writes to it while the guest's set/way
 *           maintenance is in progress (setway.c), which sysreg_emul.c passes to the hardware
 *   PSTATE  a PSTATE field, saved in SPSR_EL2 on every exit
 *   FP      FP/SIMD control, switched with the vector registers (lazily, fpsimd.S)
 *   TIMER   virtual-timer control, switched by the timer code in its own order
 *   GIC     GIC CPU interface: with a vGIC the hardware's virtual interface, whose state
 *           (ICH_VMCR_EL2, ICH_AP*R_EL2, list registers) vgic_hw.c switches; without one trapped
 *           by ICH_HCR_EL2.TALL0/TALL1/TC and UNDEFINED
 *   EMUL    trapped and emulated per vCPU (sysreg_emul.c)
 *   ID      identification: trapped (HCR_EL2.TID1/TID3) and answered from sysreg_id.c, or
 *           given by VPIDR_EL2/VMPIDR_EL2
 *   CONST   no guest state: read-only, or derived from state switched elsewhere
 *   HIDDEN  a feature guests do not get: trapped and UNDEFINED (the trap is in the reason)
 *   STATELESS  a hidden feature's register the CPU applies no trap to: it must hold no state
 *           (UNDEFINED where the CPU does trap it)
 *   PMU     the vCPU's PMU: its first access traps (MDCR_EL2.TPM/TPMCR) and gives it the
 * hardware's, which vpmu.c then switches with it (stopped and quiet while another vCPU runs) IMPDEF
 * IMPLEMENTATION DEFINED: HCR_EL2.TIDCP traps them (UNDEFINED); QEMU 7.2 does not implement TIDCP,
 * and its ones are constants
 *
 * X(name, op0, op1, CRn, CRm, op2, policy, feat, hw, reason)
 */

/* Rows for register banks: n is the index. */
#define SR_DBG_BANK(X, n)                                                                          \
	X(dbgbvr##n##_el1, 2, 0, 0, n, 4, EMUL, ALWAYS, none,                                      \
	  "breakpoint value: per vCPU, loaded into the hardware while the vCPU runs")              \
	X(dbgbcr##n##_el1, 2, 0, 0, n, 5, EMUL, ALWAYS, none,                                      \
	  "breakpoint control: per vCPU, loaded into the hardware (EL2 matching masked)")          \
	X(dbgwvr##n##_el1, 2, 0, 0, n, 6, EMUL, ALWAYS, none,                                      \
	  "watchpoint value: per vCPU, loaded into the hardware while the vCPU runs")              \
	X(dbgwcr##n##_el1, 2, 0, 0, n, 7, EMUL, ALWAYS, none,                                      \
	  "watchpoint control: per vCPU, loaded into the hardware (EL2 matching masked)")

#define SR_ID_ROW(X, crm, op2)                                                                     \
	X(id_c##crm##_##op2, 3, 0, 0, crm, op2, ID, ALWAYS, none,                                  \
	  "ID space (TID3): sysreg_id.c's table, RAZ where unallocated")
#define SR_ID_CRM(X, crm)                                                                          \
	SR_ID_ROW(X, crm, 0)                                                                       \
	SR_ID_ROW(X, crm, 1)                                                                       \
	SR_ID_ROW(X, crm, 2)                                                                       \
	SR_ID_ROW(X, crm, 3)                                                                       \
	SR_ID_ROW(X, crm, 4)                                                                       \
	SR_ID_ROW(X, crm, 5)                                                                       \
	SR_ID_ROW(X, crm, 6) SR_ID_ROW(X, crm, 7)

#define SR_PMU_EV(X, n, crm, op2)                                                                  \
	X(pmevcntr##n##_el0, 3, 3, 14, crm, op2, PMU, ALWAYS, none,                                \
	  "PMU event counter (PMCR_EL0.N of them): switched by vpmu.c")                            \
	X(pmevtyper##n##_el0, 3, 3, 14, crm + 4, op2, PMU, ALWAYS, none,                           \
	  "PMU event type and filter (PMCR_EL0.N of them): switched by vpmu.c")

/*
 * SR_ONLY_SWITCH(pol, x): x for SWITCH rows, nothing for the others; SR_TRAPPED(pol): 1 for the
 * rows sysreg_emul.c handles. For consumers of the table.
 */
#define SR_ONLY_SWITCH(pol, x)	 SR_ONLY_SWITCH_##pol(x)
#define SR_ONLY_SWITCH_SWITCH(x) x
#define SR_ONLY_SWITCH_VMCTL(x)	 x
#define SR_ONLY_SWITCH_PSTATE(x)
#define SR_ONLY_SWITCH_FP(x)
#define SR_ONLY_SWITCH_TIMER(x)
#define SR_ONLY_SWITCH_GIC(x)
#define SR_ONLY_SWITCH_EMUL(x)
#define SR_ONLY_SWITCH_ID(x)
#define SR_ONLY_SWITCH_CONST(x)
#define SR_ONLY_SWITCH_HIDDEN(x)
#define SR_ONLY_SWITCH_STATELESS(x)
#define SR_ONLY_SWITCH_IMPDEF(x)
#define SR_ONLY_SWITCH_PMU(x)
#define SR_TRAPPED(pol)	     SR_TRAPPED_##pol
#define SR_TRAPPED_SWITCH    0
#define SR_TRAPPED_VMCTL     1
#define SR_TRAPPED_PSTATE    0
#define SR_TRAPPED_FP	     0
#define SR_TRAPPED_TIMER     0
#define SR_TRAPPED_GIC	     0
#define SR_TRAPPED_EMUL	     1
#define SR_TRAPPED_ID	     1
#define SR_TRAPPED_CONST     0
#define SR_TRAPPED_HIDDEN    0
#define SR_TRAPPED_STATELESS 0
#define SR_TRAPPED_IMPDEF    0
#define SR_TRAPPED_PMU	     1

#define SYSREG_TABLE(X)                                                                            \
	/* Debug (MDCR_EL2.TDA/TDOSA/TDRA trap them all) */                                        \
	SR_DBG_BANK(X, 0)                                                                          \
	SR_DBG_BANK(X, 1)                                                                          \
	SR_DBG_BANK(X, 2)                                                                          \
	SR_DBG_BANK(X, 3)                                                                          \
	SR_DBG_BANK(X, 4)                                                                          \
	SR_DBG_BANK(X, 5)                                                                          \
	SR_DBG_BANK(X, 6)                                                                          \
	SR_DBG_BANK(X, 7)                                                                          \
	SR_DBG_BANK(X, 8)                                                                          \
	SR_DBG_BANK(X, 9)                                                                          \
	SR_DBG_BANK(X, 10)                                                                         \
	SR_DBG_BANK(X, 11)                                                                         \
	SR_DBG_BANK(X, 12)                                                                         \
	SR_DBG_BANK(X, 13)                                                                         \
	SR_DBG_BANK(X, 14)                                                                         \
	SR_DBG_BANK(X, 15)                                                                         \
	X(osdtrrx_el1, 2, 0, 0, 0, 2, EMUL, ALWAYS, none, "no debug comms channel: RAZ/WI")        \
	X(mdccint_el1, 2, 0, 0, 2, 0, EMUL, ALWAYS, none, "no debug comms channel: RAZ/WI")        \
	X(mdscr_el1, 2, 0, 0, 2, 2, EMUL, ALWAYS, none,                                            \
	  "debug control: per vCPU, loaded into the hardware while the vCPU runs")                 \
	X(osdtrtx_el1, 2, 0, 0, 3, 2, EMUL, ALWAYS, none, "no debug comms channel: RAZ/WI")        \
	X(oseccr_el1, 2, 0, 0, 6, 2, EMUL, ALWAYS, none, "no external debugger: RAZ/WI")           \
	X(mdrar_el1, 2, 0, 1, 0, 0, EMUL, ALWAYS, none, "no debug ROM: reads 0")                   \
	X(oslar_el1, 2, 0, 1, 0, 4, EMUL, ALWAYS, none,                                            \
	  "OS lock: per vCPU, loaded into the hardware while the vCPU runs")                       \
	X(oslsr_el1, 2, 0, 1, 1, 4, EMUL, ALWAYS, none, "OS lock status of the vCPU")              \
	X(osdlr_el1, 2, 0, 1, 3, 4, EMUL, ALWAYS, none,                                            \
	  "no OS double lock (ID_AA64DFR0.DoubleLock): RAZ/WI")                                    \
	X(dbgprcr_el1, 2, 0, 1, 4, 4, EMUL, ALWAYS, none, "no powerdown control: RAZ/WI")          \
	X(dbgclaimset_el1, 2, 0, 7, 8, 6, EMUL, ALWAYS, none, "claim tags: per vCPU")              \
	X(dbgclaimclr_el1, 2, 0, 7, 9, 6, EMUL, ALWAYS, none, "claim tags: per vCPU")              \
	X(dbgauthstatus_el1, 2, 0, 7, 14, 6, EMUL, ALWAYS, none, "no external debug: reads 0")     \
	X(mdccsr_el0, 2, 3, 0, 1, 0, EMUL, ALWAYS, none, "no debug comms channel: reads 0")        \
	/* Identification */                                                                       \
	X(midr_el1, 3, 0, 0, 0, 0, ID, ALWAYS, none, "VPIDR_EL2: the hardware's MIDR")             \
	X(mpidr_el1, 3, 0, 0, 0, 5, ID, ALWAYS, none, "VMPIDR_EL2: Aff0 = vCPU id, per vCPU")      \
	X(revidr_el1, 3, 0, 0, 0, 6, ID, ALWAYS, none, "TID1: the hardware's revision")            \
	SR_ID_CRM(X, 1)                                                                            \
	SR_ID_CRM(X, 2)                                                                            \
	SR_ID_CRM(X, 3)                                                                            \
	SR_ID_CRM(X, 4)                                                                            \
	SR_ID_CRM(X, 5)                                                                            \
	SR_ID_CRM(X, 6)                                                                            \
	SR_ID_CRM(X, 7)                                                                            \
	X(aidr_el1, 3, 1, 0, 0, 7, ID, ALWAYS, none, "TID1: reads 0")                              \
	X(rvbar_el1, 3, 0, 12, 0, 1, CONST, ALWAYS, none,                                          \
	  "reset vector: exists only where EL1 is the highest EL, never under Tern")               \
	X(ccsidr_el1, 3, 1, 0, 0, 0, CONST, ALWAYS, none,                                          \
	  "cache geometry of the level CSSELR_EL1 selects")                                        \
	X(clidr_el1, 3, 1, 0, 0, 1, CONST, ALWAYS, none, "cache hierarchy: the hardware's")        \
	X(gmid_el1, 3, 1, 0, 0, 6, HIDDEN, ALWAYS, none,                                           \
	  "MTE hidden: HCR_EL2.TID5 where MTE2 is implemented; UNDEFINED for a guest here")        \
	X(csselr_el1, 3, 2, 0, 0, 0, SWITCH, ALWAYS, csselr_el1, "cache level selector")           \
	X(ctr_el0, 3, 3, 0, 0, 1, CONST, ALWAYS, none, "cache type: the hardware's")               \
	X(dczid_el0, 3, 3, 0, 0, 7, CONST, ALWAYS, none, "DC ZVA block size: the hardware's")      \
	/* System control */                                                                       \
	X(sctlr_el1, 3, 0, 1, 0, 0, VMCTL, ALWAYS, sctlr_el1, "EL1 system control")                \
	X(actlr_el1, 3, 0, 1, 0, 1, EMUL, ALWAYS, none,                                            \
	  "TACR: the host's implementation-defined controls, RAZ/WI")                              \
	X(cpacr_el1, 3, 0, 1, 0, 2, SWITCH, ALWAYS, cpacr_el1, "EL1 FP/SIMD access control")       \
	X(zcr_el1, 3, 0, 1, 2, 0, HIDDEN, ALWAYS, none, "SVE hidden: CPTR_EL2.TZ")                 \
	X(smpri_el1, 3, 0, 1, 2, 4, STATELESS, ALWAYS, none,                                       \
	  "SME hidden: CPTR_EL2.TSM, which QEMU 7.2 does not apply to it (RAZ/WI there)")          \
	X(smcr_el1, 3, 0, 1, 2, 6, HIDDEN, ALWAYS, none, "SME hidden: CPTR_EL2.TSM")               \
	/* Translation */                                                                          \
	X(ttbr0_el1, 3, 0, 2, 0, 0, VMCTL, ALWAYS, ttbr0_el1, "stage-1 translation table 0")       \
	X(ttbr1_el1, 3, 0, 2, 0, 1, VMCTL, ALWAYS, ttbr1_el1, "stage-1 translation table 1")       \
	X(tcr_el1, 3, 0, 2, 0, 2, VMCTL, ALWAYS, tcr_el1, "stage-1 translation control")           \
	X(mair_el1, 3, 0, 10, 2, 0, VMCTL, ALWAYS, mair_el1, "memory attributes")                  \
	X(amair_el1, 3, 0, 10, 3, 0, VMCTL, ALWAYS, amair_el1, "auxiliary memory attributes")      \
	X(par_el1, 3, 0, 7, 4, 0, SWITCH, ALWAYS, par_el1, "address translation result")           \
	X(contextidr_el1, 3, 0, 13, 0, 1, VMCTL, ALWAYS, contextidr_el1, "context ID")             \
	/* Pointer authentication (HCR_EL2.API/APK: no traps) */                                   \
	X(apiakeylo_el1, 3, 0, 2, 1, 0, SWITCH, PAC, s3_0_c2_c1_0, "PAC key, per vCPU")            \
	X(apiakeyhi_el1, 3, 0, 2, 1, 1, SWITCH, PAC, s3_0_c2_c1_1, "PAC key, per vCPU")            \
	X(apibkeylo_el1, 3, 0, 2, 1, 2, SWITCH, PAC, s3_0_c2_c1_2, "PAC key, per vCPU")            \
	X(apibkeyhi_el1, 3, 0, 2, 1, 3, SWITCH, PAC, s3_0_c2_c1_3, "PAC key, per vCPU")            \
	X(apdakeylo_el1, 3, 0, 2, 2, 0, SWITCH, PAC, s3_0_c2_c2_0, "PAC key, per vCPU")            \
	X(apdakeyhi_el1, 3, 0, 2, 2, 1, SWITCH, PAC, s3_0_c2_c2_1, "PAC key, per vCPU")            \
	X(apdbkeylo_el1, 3, 0, 2, 2, 2, SWITCH, PAC, s3_0_c2_c2_2, "PAC key, per vCPU")            \
	X(apdbkeyhi_el1, 3, 0, 2, 2, 3, SWITCH, PAC, s3_0_c2_c2_3, "PAC key, per vCPU")            \
	X(apgakeylo_el1, 3, 0, 2, 3, 0, SWITCH, PAC, s3_0_c2_c3_0, "PAC key, per vCPU")            \
	X(apgakeyhi_el1, 3, 0, 2, 3, 1, SWITCH, PAC, s3_0_c2_c3_1, "PAC key, per vCPU")            \
	/* Exception state */                                                                      \
	X(spsr_el1, 3, 0, 4, 0, 0, SWITCH, ALWAYS, spsr_el1, "saved PSTATE of EL1 exceptions")     \
	X(elr_el1, 3, 0, 4, 0, 1, SWITCH, ALWAYS, elr_el1, "return address of EL1 exceptions")     \
	X(sp_el0, 3, 0, 4, 1, 0, SWITCH, ALWAYS, sp_el0, "EL0 stack pointer")                      \
	X(sp_el1, 3, 4, 4, 1, 0, SWITCH, ALWAYS, sp_el1, "EL1 stack pointer (SP at EL1h)")         \
	X(esr_el1, 3, 0, 5, 2, 0, VMCTL, ALWAYS, esr_el1, "syndrome of EL1 exceptions")            \
	X(afsr0_el1, 3, 0, 5, 1, 0, VMCTL, ALWAYS, afsr0_el1, "auxiliary fault status")            \
	X(afsr1_el1, 3, 0, 5, 1, 1, VMCTL, ALWAYS, afsr1_el1, "auxiliary fault status")            \
	X(far_el1, 3, 0, 6, 0, 0, VMCTL, ALWAYS, far_el1, "fault address of EL1 exceptions")       \
	X(vbar_el1, 3, 0, 12, 0, 0, SWITCH, ALWAYS, vbar_el1, "EL1 vector base")                   \
	X(isr_el1, 3, 0, 12, 1, 0, CONST, ALWAYS, none,                                            \
	  "pending virtual interrupts: derived from HCR_EL2 and the vCPU's list registers")        \
	X(disr_el1, 3, 0, 12, 1, 1, SWITCH, RAS, s3_4_c12_c1_1,                                    \
	  "with HCR_EL2.AMO it is VDISR_EL2, which ESB writes: switched per vCPU")                 \
	X(erridr_el1, 3, 0, 5, 3, 0, HIDDEN, ALWAYS, none, "RAS hidden: HCR_EL2.TERR")             \
	/* Thread IDs */                                                                           \
	X(tpidr_el1, 3, 0, 13, 0, 4, SWITCH, ALWAYS, tpidr_el1, "EL1 thread ID")                   \
	X(tpidr_el0, 3, 3, 13, 0, 2, SWITCH, ALWAYS, tpidr_el0, "EL0 thread ID")                   \
	X(tpidrro_el0, 3, 3, 13, 0, 3, SWITCH, ALWAYS, tpidrro_el0, "EL0 read-only thread ID")     \
	X(tpidr2_el0, 3, 3, 13, 0, 5, SWITCH, SME, s3_3_c13_c0_5,                                  \
	  "SME's thread ID: nothing traps it at EL2 without FEAT_FGT, so switched per vCPU")       \
	X(scxtnum_el1, 3, 0, 13, 0, 7, HIDDEN, ALWAYS, none, "CSV2_2 contexts: HCR_EL2.EnSCXT 0")  \
	X(scxtnum_el0, 3, 3, 13, 0, 7, HIDDEN, ALWAYS, none, "CSV2_2 contexts: HCR_EL2.EnSCXT 0")  \
	/* LORegions (hidden) */                                                                   \
	X(lorsa_el1, 3, 0, 10, 4, 0, HIDDEN, ALWAYS, none, "LORegions hidden: HCR_EL2.TLOR")       \
	X(lorea_el1, 3, 0, 10, 4, 1, HIDDEN, ALWAYS, none, "LORegions hidden: HCR_EL2.TLOR")       \
	X(lorn_el1, 3, 0, 10, 4, 2, HIDDEN, ALWAYS, none, "LORegions hidden: HCR_EL2.TLOR")        \
	X(lorc_el1, 3, 0, 10, 4, 3, HIDDEN, ALWAYS, none, "LORegions hidden: HCR_EL2.TLOR")        \
	X(lorid_el1, 3, 0, 10, 4, 7, HIDDEN, ALWAYS, none, "LORegions hidden: HCR_EL2.TLOR")       \
	/* PSTATE */                                                                               \
	X(nzcv, 3, 3, 4, 2, 0, PSTATE, ALWAYS, none, "condition flags")                            \
	X(daif, 3, 3, 4, 2, 1, PSTATE, ALWAYS, none, "interrupt masks")                            \
	X(spsel, 3, 0, 4, 2, 0, PSTATE, ALWAYS, none, "stack pointer select")                      \
	X(currentel, 3, 0, 4, 2, 2, PSTATE, ALWAYS, none, "current EL: 1")                         \
	X(pan, 3, 0, 4, 2, 3, PSTATE, ALWAYS, none, "privileged access never")                     \
	X(uao, 3, 0, 4, 2, 4, PSTATE, ALWAYS, none, "user access override")                        \
	X(dit, 3, 3, 4, 2, 5, PSTATE, ALWAYS, none, "data-independent timing")                     \
	X(ssbs, 3, 3, 4, 2, 6, PSTATE, ALWAYS, none, "speculative store bypass safe")              \
	X(svcr, 3, 3, 4, 2, 2, HIDDEN, ALWAYS, none, "SME hidden: CPTR_EL2.TSM")                   \
	/* FP/SIMD */                                                                              \
	X(fpcr, 3, 3, 4, 4, 0, FP, ALWAYS, none, "FP control, with the V registers")               \
	X(fpsr, 3, 3, 4, 4, 1, FP, ALWAYS, none, "FP status, with the V registers")                \
	/* Random numbers: no state */                                                             \
	X(rndr, 3, 3, 2, 4, 0, CONST, ALWAYS, none, "random number: no state")                     \
	X(rndrrs, 3, 3, 2, 4, 1, CONST, ALWAYS, none, "random number: no state")                   \
	/* Generic timer */                                                                        \
	X(cntkctl_el1, 3, 0, 14, 1, 0, SWITCH, ALWAYS, cntkctl_el1, "EL0 timer access control")    \
	X(cntfrq_el0, 3, 3, 14, 0, 0, CONST, ALWAYS, none, "counter frequency, read-only at EL1")  \
	X(cntpct_el0, 3, 3, 14, 0, 1, CONST, ALWAYS, none, "physical counter (CNTHCTL_EL2)")       \
	X(cntvct_el0, 3, 3, 14, 0, 2, CONST, ALWAYS, none, "virtual counter: CNTVOFF_EL2 is 0")    \
	X(cntp_tval_el0, 3, 3, 14, 2, 0, EMUL, ALWAYS, none,                                       \
	  "EL1 physical timer: CNTHCTL_EL2.EL1PCEN 0, emulated per vCPU")                          \
	X(cntp_ctl_el0, 3, 3, 14, 2, 1, EMUL, ALWAYS, none,                                        \
	  "EL1 physical timer: CNTHCTL_EL2.EL1PCEN 0, emulated per vCPU")                          \
	X(cntp_cval_el0, 3, 3, 14, 2, 2, EMUL, ALWAYS, none,                                       \
	  "EL1 physical timer: CNTHCTL_EL2.EL1PCEN 0, emulated per vCPU")                          \
	X(cntv_tval_el0, 3, 3, 14, 3, 0, CONST, ALWAYS, none, "a view of CNTV_CVAL_EL0")           \
	X(cntv_ctl_el0, 3, 3, 14, 3, 1, TIMER, ALWAYS, none,                                       \
	  "virtual timer control: switched after CNTVOFF_EL2, stopped on put")                     \
	X(cntv_cval_el0, 3, 3, 14, 3, 2, SWITCH, ALWAYS, cntv_cval_el0, "virtual timer compare")   \
	/* GIC CPU interface */                                                                    \
	X(icc_pmr_el1, 3, 0, 4, 6, 0, GIC, ALWAYS, none, "priority mask (ICH_VMCR_EL2)")           \
	X(icc_iar0_el1, 3, 0, 12, 8, 0, GIC, ALWAYS, none, "acknowledge (list registers)")         \
	X(icc_eoir0_el1, 3, 0, 12, 8, 1, GIC, ALWAYS, none, "end of interrupt (list registers)")   \
	X(icc_hppir0_el1, 3, 0, 12, 8, 2, GIC, ALWAYS, none, "highest pending (list registers)")   \
	X(icc_bpr0_el1, 3, 0, 12, 8, 3, GIC, ALWAYS, none, "binary point (ICH_VMCR_EL2)")          \
	X(icc_ap0r0_el1, 3, 0, 12, 8, 4, GIC, ALWAYS, none, "active priorities (ICH_AP0R0_EL2)")   \
	X(icc_ap0r1_el1, 3, 0, 12, 8, 5, GIC, ALWAYS, none, "active priorities (ICH_AP0R1_EL2)")   \
	X(icc_ap0r2_el1, 3, 0, 12, 8, 6, GIC, ALWAYS, none, "active priorities (ICH_AP0R2_EL2)")   \
	X(icc_ap0r3_el1, 3, 0, 12, 8, 7, GIC, ALWAYS, none, "active priorities (ICH_AP0R3_EL2)")   \
	X(icc_ap1r0_el1, 3, 0, 12, 9, 0, GIC, ALWAYS, none, "active priorities (ICH_AP1R0_EL2)")   \
	X(icc_ap1r1_el1, 3, 0, 12, 9, 1, GIC, ALWAYS, none, "active priorities (ICH_AP1R1_EL2)")   \
	X(icc_ap1r2_el1, 3, 0, 12, 9, 2, GIC, ALWAYS, none, "active priorities (ICH_AP1R2_EL2)")   \
	X(icc_ap1r3_el1, 3, 0, 12, 9, 3, GIC, ALWAYS, none, "active priorities (ICH_AP1R3_EL2)")   \
	X(icc_dir_el1, 3, 0, 12, 11, 1, GIC, ALWAYS, none, "deactivate (list registers)")          \
	X(icc_rpr_el1, 3, 0, 12, 11, 3, GIC, ALWAYS, none, "running priority (ICH_AP*R_EL2)")      \
	X(icc_sgi1r_el1, 3, 0, 12, 11, 5, EMUL, ALWAYS, none,                                      \
	  "SGIs: HCR_EL2.IMO traps, vGIC sends")                                                   \
	X(icc_asgi1r_el1, 3, 0, 12, 11, 6, EMUL, ALWAYS, none,                                     \
	  "SGIs: HCR_EL2.IMO traps, vGIC sends (Group 0: one Security state)")                     \
	X(icc_sgi0r_el1, 3, 0, 12, 11, 7, EMUL, ALWAYS, none,                                      \
	  "SGIs: HCR_EL2.IMO traps, vGIC sends")                                                   \
	X(icc_iar1_el1, 3, 0, 12, 12, 0, GIC, ALWAYS, none, "acknowledge (list registers)")        \
	X(icc_eoir1_el1, 3, 0, 12, 12, 1, GIC, ALWAYS, none, "end of interrupt (list registers)")  \
	X(icc_hppir1_el1, 3, 0, 12, 12, 2, GIC, ALWAYS, none, "highest pending (list registers)")  \
	X(icc_bpr1_el1, 3, 0, 12, 12, 3, GIC, ALWAYS, none, "binary point (ICH_VMCR_EL2)")         \
	X(icc_ctlr_el1, 3, 0, 12, 12, 4, GIC, ALWAYS, none, "EOImode, CBPR (ICH_VMCR_EL2)")        \
	X(icc_sre_el1, 3, 0, 12, 12, 5, GIC, ALWAYS, none,                                         \
	  "system-register enable: RAO/WI under HCR_EL2.IMO/FMO")                                  \
	X(icc_igrpen0_el1, 3, 0, 12, 12, 6, GIC, ALWAYS, none, "group 0 enable (ICH_VMCR_EL2)")    \
	X(icc_igrpen1_el1, 3, 0, 12, 12, 7, GIC, ALWAYS, none, "group 1 enable (ICH_VMCR_EL2)")    \
	/* Performance monitors (MDCR_EL2.TPM/TPMCR until the vCPU's first access) */              \
	X(pmcr_el0, 3, 3, 9, 12, 0, PMU, ALWAYS, none,                                             \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmcntenset_el0, 3, 3, 9, 12, 1, PMU, ALWAYS, none,                                       \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmcntenclr_el0, 3, 3, 9, 12, 2, PMU, ALWAYS, none,                                       \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmovsclr_el0, 3, 3, 9, 12, 3, PMU, ALWAYS, none,                                         \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmswinc_el0, 3, 3, 9, 12, 4, PMU, ALWAYS, none,                                          \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmselr_el0, 3, 3, 9, 12, 5, PMU, ALWAYS, none,                                           \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmceid0_el0, 3, 3, 9, 12, 6, PMU, ALWAYS, none,                                          \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmceid1_el0, 3, 3, 9, 12, 7, PMU, ALWAYS, none,                                          \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmccntr_el0, 3, 3, 9, 13, 0, PMU, ALWAYS, none,                                          \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmxevtyper_el0, 3, 3, 9, 13, 1, PMU, ALWAYS, none,                                       \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmxevcntr_el0, 3, 3, 9, 13, 2, PMU, ALWAYS, none,                                        \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmuserenr_el0, 3, 3, 9, 14, 0, PMU, ALWAYS, none,                                        \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmovsset_el0, 3, 3, 9, 14, 3, PMU, ALWAYS, none,                                         \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmintenset_el1, 3, 0, 9, 14, 1, PMU, ALWAYS, none,                                       \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmintenclr_el1, 3, 0, 9, 14, 2, PMU, ALWAYS, none,                                       \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	X(pmmir_el1, 3, 0, 9, 14, 6, PMU, ALWAYS, none,                                            \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	SR_PMU_EV(X, 0, 8, 0)                                                                      \
	SR_PMU_EV(X, 1, 8, 1)                                                                      \
	SR_PMU_EV(X, 2, 8, 2)                                                                      \
	SR_PMU_EV(X, 3, 8, 3)                                                                      \
	SR_PMU_EV(X, 4, 8, 4)                                                                      \
	SR_PMU_EV(X, 5, 8, 5)                                                                      \
	SR_PMU_EV(X, 6, 8, 6)                                                                      \
	SR_PMU_EV(X, 7, 8, 7)                                                                      \
	SR_PMU_EV(X, 8, 9, 0)                                                                      \
	SR_PMU_EV(X, 9, 9, 1)                                                                      \
	SR_PMU_EV(X, 10, 9, 2)                                                                     \
	SR_PMU_EV(X, 11, 9, 3)                                                                     \
	SR_PMU_EV(X, 12, 9, 4)                                                                     \
	SR_PMU_EV(X, 13, 9, 5)                                                                     \
	SR_PMU_EV(X, 14, 9, 6)                                                                     \
	SR_PMU_EV(X, 15, 9, 7)                                                                     \
	SR_PMU_EV(X, 16, 10, 0)                                                                    \
	SR_PMU_EV(X, 17, 10, 1)                                                                    \
	SR_PMU_EV(X, 18, 10, 2)                                                                    \
	SR_PMU_EV(X, 19, 10, 3)                                                                    \
	SR_PMU_EV(X, 20, 10, 4)                                                                    \
	SR_PMU_EV(X, 21, 10, 5)                                                                    \
	SR_PMU_EV(X, 22, 10, 6)                                                                    \
	SR_PMU_EV(X, 23, 10, 7)                                                                    \
	SR_PMU_EV(X, 24, 11, 0)                                                                    \
	SR_PMU_EV(X, 25, 11, 1)                                                                    \
	SR_PMU_EV(X, 26, 11, 2)                                                                    \
	SR_PMU_EV(X, 27, 11, 3)                                                                    \
	SR_PMU_EV(X, 28, 11, 4)                                                                    \
	SR_PMU_EV(X, 29, 11, 5)                                                                    \
	SR_PMU_EV(X, 30, 11, 6)                                                                    \
	X(pmccfiltr_el0, 3, 3, 14, 15, 7, PMU, ALWAYS, none,                                       \
	  "PMU: switched by vpmu.c once the vCPU uses it")                                         \
	/* IMPLEMENTATION DEFINED (QEMU's Cortex-A57 style ones) */                                \
	X(l2ctlr_el1, 3, 1, 11, 0, 2, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")               \
	X(l2ectlr_el1, 3, 1, 11, 0, 3, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")              \
	X(l2actlr_el1, 3, 1, 15, 0, 0, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")              \
	X(cpuactlr_el1, 3, 1, 15, 2, 0, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")             \
	X(cpuectlr_el1, 3, 1, 15, 2, 1, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")             \
	X(cpumerrsr_el1, 3, 1, 15, 2, 2, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")            \
	X(l2merrsr_el1, 3, 1, 15, 2, 3, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")             \
	X(cbar_el1, 3, 1, 15, 3, 0, IMPDEF, ALWAYS, none, "IMPDEF: HCR_EL2.TIDCP")

#endif
