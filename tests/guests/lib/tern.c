// SPDX-License-Identifier: GPL-2.0-only
/* Helpers for programs that test Tern itself (they assume Tern's behaviour, not a CPU's). */
#include "libguest.h"

s64 tern_hook(u32 fid)
{
	register u64 x0 asm("x0") = fid;

	asm volatile("hvc #0" : "+r"(x0)::"x1", "x2", "x3", "memory");
	return (s64)x0;
}

void tern_reschedule(unsigned int n)
{
	u64 ctl = read_sysreg(cntv_ctl_el0), cval = read_sysreg(cntv_cval_el0);

	/*
	 * A WFI while the virtual timer is due: Tern finds the deadline passed and puts the vCPU
	 * back on its run queue at once, which switches it out and in again.
	 */
	write_sysreg(0, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	for (unsigned int i = 0; i < n; i++)
		asm volatile("dsb sy\n\twfi" ::: "memory");
	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(ctl, cntv_ctl_el0);
	isb();
}
