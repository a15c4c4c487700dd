// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VM that shows it runs and what its clocks say, for the hypervisor console's tests: "ticker:
 * up" at boot, then every "period=MS" ms (100 if absent) a line
 *   TICK seq=N vct=<CNTVCT_EL0> pct=<CNTPCT_EL0>
 * for "ticks=N" lines (0 or absent: forever), then SUMMARY and SYSTEM_OFF. The virtual counter is
 * what the guest's timers count; the physical one is the machine's.
 */
#include "libguest.h"
#include "gic.h"

static u64 ticker_arg(const char *key, u64 dflt)
{
	char arg[24];
	u64 n = 0;

	if (!bootarg_get(key, arg, sizeof(arg)))
		return dflt;
	for (const char *p = arg; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (u64)(*p - '0');
	return n;
}

int main(void)
{
	u64 ticks = ticker_arg("ticks", 0),
	    step = gic_us_to_ticks(ticker_arg("period", 100) * 1000);
	u64 last = gic_counter(), next = last + step;
	bool monotonic = true;

	report_prefix("ticker");
	puts("ticker: up\n");
	for (u64 seq = 0; !ticks || seq < ticks; seq++) {
		u64 vct;

		while ((vct = gic_counter()) < next)
			;
		printf("TICK seq=%lu vct=%lu pct=%lu\n", seq, vct, read_sysreg(cntpct_el0));
		monotonic &= vct >= last;
		last = vct;
		/* After a long stop (a pause), one line per period again, not a burst. */
		next = (next > vct ? next : vct) + step;
	}
	report(monotonic, "the virtual counter never went back over %lu ticks", ticks);
	return 0;
}
