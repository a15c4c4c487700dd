// SPDX-License-Identifier: GPL-2.0-only
/* Exceptions Tern takes at EL2 that it cannot handle: decode everything, dump, halt. */
#include <asm/backtrace.h>
#include <asm/regs.h>
#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <tern/panic.h>
#include <tern/percpu.h>
#include <tern/printk.h>
#include <tern/strtab.h>

/* Exception classes Tern names in a dump, and their names (tern/strtab.h), in the same order. */
#define EXCEPTION_CLASSES(X)                                                                       \
	X(ESR_EC_UNKNOWN, "Unknown reason")                                                        \
	X(ESR_EC_WFx, "WFI/WFE")                                                                   \
	X(ESR_EC_FP_ASIMD, "FP/SIMD access")                                                       \
	X(ESR_EC_ILL, "Illegal execution state")                                                   \
	X(ESR_EC_SVC64, "SVC (AArch64)")                                                           \
	X(ESR_EC_HVC64, "HVC (AArch64)")                                                           \
	X(ESR_EC_SMC64, "SMC (AArch64)")                                                           \
	X(ESR_EC_SYS64, "MSR/MRS/system instruction")                                              \
	X(ESR_EC_SVE, "SVE access")                                                                \
	X(ESR_EC_PAC, "Pointer authentication failure")                                            \
	X(ESR_EC_IABT_LOW, "Instruction abort from a lower EL")                                    \
	X(ESR_EC_IABT_CUR, "Instruction abort at EL2")                                             \
	X(ESR_EC_PC_ALIGN, "PC alignment fault")                                                   \
	X(ESR_EC_DABT_LOW, "Data abort from a lower EL")                                           \
	X(ESR_EC_DABT_CUR, "Data abort at EL2")                                                    \
	X(ESR_EC_SP_ALIGN, "SP alignment fault")                                                   \
	X(0x2C, "Floating-point exception")                                                        \
	X(ESR_EC_SERROR, "SError")                                                                 \
	X(0x30, "Breakpoint from a lower EL")                                                      \
	X(0x31, "Breakpoint at EL2")                                                               \
	X(0x32, "Software step from a lower EL")                                                   \
	X(0x33, "Software step at EL2")                                                            \
	X(0x34, "Watchpoint from a lower EL")                                                      \
	X(0x35, "Watchpoint at EL2")                                                               \
	X(ESR_EC_BRK64, "BRK instruction")
#define EC_CODE(ec, name) ec,
#define EC_NAME(ec, name) name "\0"
static const u8 exception_class_codes[] = { EXCEPTION_CLASSES(EC_CODE) };
static const char exception_class_names[] = EXCEPTION_CLASSES(EC_NAME);

/* By vector (VEC_*, asm/regs.h), in order. */
static const char vector_names[] = "exception on SP_EL0 at EL2\0"
				   "synchronous exception at EL2\0"
				   "IRQ at EL2\0"
				   "FIQ at EL2\0"
				   "SError at EL2\0"
				   "synchronous exception from a lower EL (no guest can run yet)\0"
				   "IRQ from a lower EL\0"
				   "FIQ from a lower EL\0"
				   "SError from a lower EL\0"
				   "exception from AArch32 (not supported)\0"
				   "EL2 stack overflow\0";
_Static_assert(VEC_SP0 == 0 && VEC_SYNC == 1 && VEC_IRQ == 2 && VEC_FIQ == 3 && VEC_SERROR == 4 &&
		   VEC_LOWER_SYNC == 5 && VEC_LOWER_IRQ == 6 && VEC_LOWER_FIQ == 7 &&
		   VEC_LOWER_SERROR == 8 && VEC_LOWER32 == 9 && VEC_OVERFLOW == 10,
	       "vector_names is in the order of the VEC_* numbers");

static const char *fault_status_name(unsigned int fsc)
{
	switch (fsc) {
	case 0x00 ... 0x03:
		return "address size fault";
	case 0x04 ... 0x07:
		return "translation fault";
	case 0x09 ... 0x0B:
		return "access flag fault";
	case 0x0D ... 0x0F:
		return "permission fault";
	case 0x10:
		return "synchronous external abort";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	default:
		return "other fault";
	}
}

static const char *spsr_mode_name(u64 spsr)
{
	static const u8 modes[] = { 0x0, 0x4, 0x5, 0x8, 0x9 };
	static const char names[] = "EL0t\0EL1t\0EL1h\0EL2t\0EL2h\0";
	const char *m =
	    strtab_find(names, sizeof(names), modes, ARRAY_SIZE(modes), spsr & SPSR_MODE_MASK);

	return (spsr & 0x10) ? "AArch32" : (m ? m : "?");
}

static void exception_dump_esr(u64 esr, u64 far)
{
	unsigned int ec = ESR_ELx_EC(esr);
	const char *name =
	    strtab_find(exception_class_names, sizeof(exception_class_names), exception_class_codes,
			ARRAY_SIZE(exception_class_codes), ec);

	printk(LOG_ERR, "ESR_EL2 0x%016llx: EC 0x%02x (%s), IL %u, ISS 0x%07llx\n",
	       (unsigned long long)esr, ec, name ? name : "reserved", !!(esr & ESR_ELx_IL),
	       (unsigned long long)(esr & ESR_ELx_ISS_MASK));
	if (ec == ESR_EC_DABT_CUR || ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_CUR ||
	    ec == ESR_EC_IABT_LOW) {
		unsigned int fsc = esr & ESR_ISS_xFSC_MASK;
		bool data = ec == ESR_EC_DABT_CUR || ec == ESR_EC_DABT_LOW;

		printk(LOG_ERR, "  %s, level %u, %s%s\n", fault_status_name(fsc), fsc & 3,
		       data ? ((esr & ESR_ISS_DABT_WNR) ? "write" : "read") : "instruction fetch",
		       (data && (esr & ESR_ISS_DABT_ISV)) ? ", syndrome valid" : "");
		printk(LOG_ERR, "FAR_EL2 0x%016llx\n", (unsigned long long)far);
	}
}

static void exception_dump_regs(const struct cpu_regs *regs)
{
	u64 spsr = regs->spsr;

	printk(LOG_ERR, "ELR_EL2 0x%016llx  SPSR_EL2 0x%08llx (%s, %c%c%c%c, DAIF %c%c%c%c)\n",
	       (unsigned long long)regs->elr, (unsigned long long)spsr, spsr_mode_name(spsr),
	       (spsr & (1UL << 31)) ? 'N' : '-', (spsr & (1UL << 30)) ? 'Z' : '-',
	       (spsr & (1UL << 29)) ? 'C' : '-', (spsr & (1UL << 28)) ? 'V' : '-',
	       (spsr & SPSR_D) ? 'D' : '-', (spsr & SPSR_A) ? 'A' : '-',
	       (spsr & SPSR_I) ? 'I' : '-', (spsr & SPSR_F) ? 'F' : '-');
	for (unsigned int i = 0; i < 31; i += 3) {
		if (i + 2 < 31)
			printk(LOG_ERR, "x%-2u 0x%016llx  x%-2u 0x%016llx  x%-2u 0x%016llx\n", i,
			       (unsigned long long)regs->x[i], i + 1,
			       (unsigned long long)regs->x[i + 1], i + 2,
			       (unsigned long long)regs->x[i + 2]);
		else
			printk(LOG_ERR, "x%-2u 0x%016llx  sp  0x%016llx\n", i,
			       (unsigned long long)regs->x[i], (unsigned long long)regs->sp);
	}
}

void el2_exception(struct cpu_regs *regs, unsigned long vec)
{
	const char *what = strtab_nth(vector_names, sizeof(vector_names), vec);

	if (!what)
		what = "exception";
	if (!panic_begin())
		system_halt(true);
	printk(LOG_ERR, "*** Tern exception dump: %s on pCPU %u ***\n", what, this_cpu_id());
	if (vec == VEC_OVERFLOW)
		printk(LOG_ERR,
		       "the stack pointer ran into the guard region below 0x%llx; x0 is "
		       "lost and sp below is the emergency stack's\n",
		       (unsigned long long)(this_pcpu()->stack_top - PCPU_STACK_SIZE));
	exception_dump_esr(regs->esr, regs->far);
	exception_dump_regs(regs);
	arch_backtrace(regs->x[29], regs->elr);
	printk(LOG_ERR, "*** end of dump: halting ***\n");
	system_halt(true);
}
