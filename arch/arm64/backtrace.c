// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frame-pointer backtrace (Tern is built with -fno-omit-frame-pointer). Addresses are also
 * printed as offsets into tern.elf, which is linked at 0: `addr2line -e tern.elf OFFSET`.
 */
#include <asm/backtrace.h>
#include <asm/mmu.h>
#include <tern/percpu.h>
#include <tern/printk.h>

#define BACKTRACE_MAX 24

static bool backtrace_frame_ok(const struct pcpu *p, u64 fp)
{
	u64 lo = p->stack_top - PCPU_STACK_SIZE;

	if (fp & 15)
		return false;
	if (fp >= lo && fp + 16 <= p->stack_top)
		return true;
	return fp >= p->emerg_top - 8192 && fp + 16 <= p->emerg_top;
}

static void backtrace_line(unsigned int n, u64 pc)
{
	u64 base = (u64)(uintptr_t)_text;

	if (pc >= base && pc < (u64)(uintptr_t)_etext)
		printk(LOG_ERR, "  #%-2u 0x%016llx  tern.elf+0x%llx\n", n, (unsigned long long)pc,
		       (unsigned long long)(pc - base));
	else
		printk(LOG_ERR, "  #%-2u 0x%016llx\n", n, (unsigned long long)pc);
}

void arch_backtrace(u64 fp, u64 pc)
{
	const struct pcpu *p = this_pcpu();
	unsigned int n = 0;

	printk(LOG_ERR, "Backtrace:\n");
	backtrace_line(n++, pc);
	while (n < BACKTRACE_MAX && p && backtrace_frame_ok(p, fp)) {
		const u64 *frame = (const u64 *)(uintptr_t)fp;
		u64 next = frame[0];
		u64 lr = frame[1];

		if (!lr)
			break;
		/* lr is the return address; the call was the instruction before it. */
		backtrace_line(n++, lr - 4);
		if (next <= fp)
			break;
		fp = next;
	}
}
