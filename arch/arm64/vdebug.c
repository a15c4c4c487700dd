// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest self-hosted debug: hardware breakpoints, watchpoints and software step. Every debug
 * register access traps (MDCR_EL2.TDA/TDOSA/TDRA): the vCPU's values are kept here and, while
 * the vCPU is loaded and has any debug event enabled, also in the hardware, which then raises
 * the debug exceptions itself, to EL1 (MDCR_EL2.TDE is 0). A vCPU with nothing enabled leaves
 * the hardware cleared (OS lock set, every breakpoint and watchpoint off), so no vCPU ever runs
 * with another's debug state, and none can match at EL2: the HMC bits are never loaded.
 */
#include <asm/cpuid.h>
#include <asm/guest.h>
#include <asm/sysreg.h>
#include <asm/sysreg_emul.h>
#include <asm/vdebug.h>
#include <tern/percpu.h>
#include <tern/vcpu.h>

/* MDSCR_EL1: what EL1 can write (SS, TDCC, KDE, MDE) and what enables debug events. */
#define MDSCR_SS       (1UL << 0)
#define MDSCR_TDCC     (1UL << 12)
#define MDSCR_KDE      (1UL << 13)
#define MDSCR_MDE      (1UL << 15)
#define MDSCR_WRITABLE (MDSCR_SS | MDSCR_TDCC | MDSCR_KDE | MDSCR_MDE)
#define MDSCR_EVENTS   (MDSCR_SS | MDSCR_KDE | MDSCR_MDE)

/* DBGBCR/DBGWCR: their architected fields; E enables; HMC would match at EL2. */
#define DBGxCR_E    (1UL << 0)
#define DBGxCR_HMC  (1UL << 13)
#define DBGBCR_MASK 0x00FFE1E7UL /* E, PMC, BAS, HMC, SSC, LBN, BT */
#define DBGWCR_MASK 0x1F1FFFFFUL /* E, PAC, LSC, BAS, HMC, SSC, LBN, WT, MASK */
#define DBGBVR_MASK (~3UL)
#define DBGWVR_MASK (~7UL)

#define OSLSR_OSLK (1UL << 1)

static unsigned int vdebug_nr_brps, vdebug_nr_wrps;

void vdebug_init(void)
{
	u64 dfr0 = cpuid_read(CPUID_AA64DFR0);

	vdebug_nr_brps = ((dfr0 >> 12) & 0xF) + 1;
	vdebug_nr_wrps = ((dfr0 >> 20) & 0xF) + 1;
}

unsigned int vdebug_nr_breakpoints(void)
{
	return vdebug_nr_brps;
}

unsigned int vdebug_nr_watchpoints(void)
{
	return vdebug_nr_wrps;
}

/* Register names must be constants: one case per bank entry. */
#define DBG_BANK(op)                                                                               \
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12) op(13)    \
	    op(14) op(15)
#define BVR_CASE(n)                                                                                \
	case n:                                                                                    \
		write_sysreg(bvr, dbgbvr##n##_el1);                                                \
		write_sysreg(bcr, dbgbcr##n##_el1);                                                \
		break;
#define WVR_CASE(n)                                                                                \
	case n:                                                                                    \
		write_sysreg(wvr, dbgwvr##n##_el1);                                                \
		write_sysreg(wcr, dbgwcr##n##_el1);                                                \
		break;

static void vdebug_hw_breakpoint(unsigned int n, u64 bvr, u64 bcr)
{
	switch (n) {
		DBG_BANK(BVR_CASE)
	default:
		break;
	}
}

static void vdebug_hw_watchpoint(unsigned int n, u64 wvr, u64 wcr)
{
	switch (n) {
		DBG_BANK(WVR_CASE)
	default:
		break;
	}
}

/* Nothing enabled, OS lock set: the state no vCPU can take a debug exception in. */
static void vdebug_hw_clear(void)
{
	write_sysreg(0, mdscr_el1);
	for (unsigned int n = 0; n < vdebug_nr_brps; n++)
		vdebug_hw_breakpoint(n, 0, 0);
	for (unsigned int n = 0; n < vdebug_nr_wrps; n++)
		vdebug_hw_watchpoint(n, 0, 0);
	write_sysreg(1, oslar_el1);
	isb();
}

/*
 * Whether any debug event can happen. Not while the OS lock is set: the architecture disables
 * breakpoints, watchpoints and step then (QEMU 7.2 does not, hence not only OSLAR in hardware).
 */
static bool vdebug_events(const struct vcpu_debug *d)
{
	bool on = d->mdscr & MDSCR_EVENTS;

	if (d->oslsr & OSLSR_OSLK)
		return false;
	for (unsigned int n = 0; n < vdebug_nr_brps; n++)
		on |= d->dbgbcr[n] & DBGxCR_E;
	for (unsigned int n = 0; n < vdebug_nr_wrps; n++)
		on |= d->dbgwcr[n] & DBGxCR_E;
	return on;
}

void vdebug_load(struct vcpu *vcpu)
{
	const struct vcpu_debug *d = &vcpu->arch.dbg;
	struct pcpu *p = this_pcpu();

	if (!d->active) {
		/* Until a vCPU with debug events ran here, the hardware is as the last one left it.
		 */
		if (!p->debug_hw_clean) {
			vdebug_hw_clear();
			p->debug_hw_clean = true;
		}
		return;
	}
	for (unsigned int n = 0; n < vdebug_nr_brps; n++)
		vdebug_hw_breakpoint(n, d->dbgbvr[n], d->dbgbcr[n] & ~DBGxCR_HMC);
	for (unsigned int n = 0; n < vdebug_nr_wrps; n++)
		vdebug_hw_watchpoint(n, d->dbgwvr[n], d->dbgwcr[n] & ~DBGxCR_HMC);
	write_sysreg(d->mdscr, mdscr_el1);
	write_sysreg((d->oslsr & OSLSR_OSLK) ? 1 : 0, oslar_el1);
	isb();
	p->debug_hw_clean = false;
}

/* After a write: the stored state is the truth; the loaded vCPU's hardware follows it. */
static void vdebug_changed(struct vcpu *vcpu)
{
	vcpu->arch.dbg.active = vdebug_events(&vcpu->arch.dbg);
	if (vcpu->loaded)
		vdebug_load(vcpu);
}

/*
 * The trapped registers, one handler per table row (sysreg_emul.c), so that none looks its
 * register up again. DBGBVR/DBGBCR/DBGWVR/DBGWCR<n>_EL1: one bank row each, n in CRm.
 */
SYSREG_HANDLER(vdebug_bank)
{
	struct vcpu_debug *d = &vcpu->arch.dbg;
	unsigned int n = ISS_SYS_CRM(esr), op2 = ISS_SYS_OP2(esr);
	bool bp = op2 == 4 || op2 == 5;
	u64 *reg, mask;

	(void)row;
	/* Beyond what the CPU has (ID_AA64DFR0 says how many): UNDEFINED, as natively. */
	if (n >= (bp ? vdebug_nr_brps : vdebug_nr_wrps))
		return SYSREG_RET(SYSREG_UNDEF, 0);
	switch (op2) {
	case 4:
		reg = &d->dbgbvr[n], mask = DBGBVR_MASK;
		break;
	case 5:
		reg = &d->dbgbcr[n], mask = DBGBCR_MASK;
		break;
	case 6:
		reg = &d->dbgwvr[n], mask = DBGWVR_MASK;
		break;
	default:
		reg = &d->dbgwcr[n], mask = DBGWCR_MASK;
		break;
	}
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_DONE, *reg);
	*reg = val & mask;
	vdebug_changed(vcpu);
	return SYSREG_RET(SYSREG_DONE, 0);
}

SYSREG_HANDLER(vdebug_mdscr)
{
	(void)row;
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_DONE, vcpu->arch.dbg.mdscr);
	vcpu->arch.dbg.mdscr = val & MDSCR_WRITABLE;
	vdebug_changed(vcpu);
	return SYSREG_RET(SYSREG_DONE, 0);
}

/* OSLAR_EL1: write-only. */
SYSREG_HANDLER(vdebug_oslar)
{
	struct vcpu_debug *d = &vcpu->arch.dbg;

	(void)row;
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_UNDEF, 0);
	d->oslsr = (d->oslsr & ~OSLSR_OSLK) | ((val & 1) ? OSLSR_OSLK : 0);
	vdebug_changed(vcpu);
	return SYSREG_RET(SYSREG_DONE, 0);
}

/* OSLSR_EL1: read-only. */
SYSREG_HANDLER(vdebug_oslsr)
{
	(void)val;
	(void)row;
	return sysreg_ret_if(sysreg_read(esr), vcpu->arch.dbg.oslsr);
}

/* OSDLR_EL1: no OS double lock (DFR0.DoubleLock): reads 0, writes ignored. */
SYSREG_HANDLER(vdebug_osdlr)
{
	(void)vcpu;
	(void)esr;
	(void)val;
	(void)row;
	return SYSREG_RET(SYSREG_DONE, 0);
}

/* DBGCLAIMSET_EL1 and DBGCLAIMCLR_EL1: both read the tags; a write sets or clears them. */
SYSREG_HANDLER(vdebug_claimset)
{
	(void)row;
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_DONE, vcpu->arch.dbg.dbgclaim);
	vcpu->arch.dbg.dbgclaim |= val & 0xFF;
	return SYSREG_RET(SYSREG_DONE, 0);
}

SYSREG_HANDLER(vdebug_claimclr)
{
	(void)row;
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_DONE, vcpu->arch.dbg.dbgclaim);
	vcpu->arch.dbg.dbgclaim &= ~(val & 0xFF);
	return SYSREG_RET(SYSREG_DONE, 0);
}
