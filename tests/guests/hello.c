// SPDX-License-Identifier: GPL-2.0-only
/* The smallest guest: prints a greeting, checks it runs at EL1, powers off through SYSTEM_OFF. */
#include "libguest.h"

int main(void)
{
	u64 el = (read_sysreg(CurrentEL) >> 2) & 3;

	puts("Hello from a Tern guest\n");
	report_prefix("hello");
	report_info("x0 at entry (DTB) = 0x%lx", guest_boot_dtb);
	report(el == 1, "running at EL1 (CurrentEL %lu)", el);
	return 0;
}
