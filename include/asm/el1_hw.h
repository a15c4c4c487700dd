/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_EL1_HW_H
#define ASM_EL1_HW_H

/*
 * The loaded vCPU's registers that set/way emulation (setway.c) writes in the hardware, and its
 * cache enables guest-RAM copies look at (core/vm.c), one inline each so that host unit tests can
 * fake them (tests/unit/include/asm/el1_hw.h).
 */
#include <asm/sysreg.h>
#include <asm/sysreg_emul.h>

/* The EL1 VM-control registers HCR_EL2.TVM traps writes of, by key. False: not one of them. */
static inline bool el1_hw_write_vm_reg(u32 key, u64 val)
{
	switch (key) {
	case SYS_REG(3, 0, 1, 0, 0):
		write_sysreg(val, sctlr_el1);
		break;
	case SYS_REG(3, 0, 2, 0, 0):
		write_sysreg(val, ttbr0_el1);
		break;
	case SYS_REG(3, 0, 2, 0, 1):
		write_sysreg(val, ttbr1_el1);
		break;
	case SYS_REG(3, 0, 2, 0, 2):
		write_sysreg(val, tcr_el1);
		break;
	case SYS_REG(3, 0, 5, 1, 0):
		write_sysreg(val, afsr0_el1);
		break;
	case SYS_REG(3, 0, 5, 1, 1):
		write_sysreg(val, afsr1_el1);
		break;
	case SYS_REG(3, 0, 5, 2, 0):
		write_sysreg(val, esr_el1);
		break;
	case SYS_REG(3, 0, 6, 0, 0):
		write_sysreg(val, far_el1);
		break;
	case SYS_REG(3, 0, 10, 2, 0):
		write_sysreg(val, mair_el1);
		break;
	case SYS_REG(3, 0, 10, 3, 0):
		write_sysreg(val, amair_el1);
		break;
	case SYS_REG(3, 0, 13, 0, 1):
		write_sysreg(val, contextidr_el1);
		break;
	default:
		return false;
	}
	return true;
}

static inline u64 el1_hw_read_sctlr(void)
{
	return read_sysreg(sctlr_el1);
}

/* The loaded vCPU's MMU and data cache are both on. */
static inline bool el1_hw_caches_on(void)
{
	return (el1_hw_read_sctlr() & (SCTLR_EL1_M | SCTLR_EL1_C)) == (SCTLR_EL1_M | SCTLR_EL1_C);
}

/* HCR_EL2.VSE stays as the hardware has it: a virtual SError the guest took is not raised again. */
static inline void el1_hw_write_hcr(u64 hcr)
{
	write_sysreg((hcr & ~HCR_EL2_VSE) | (read_sysreg(hcr_el2) & HCR_EL2_VSE), hcr_el2);
	isb();
}

#endif
