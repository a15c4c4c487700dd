// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bystander VM: fills most of its RAM with a pattern and checks it over and over for
 * "secs=N" seconds (5 if absent) while another VM attacks Tern; any change fails. Prints one
 * PASS per second of clean checks and the number of passes over its memory.
 */
#include "libguest.h"
#include "gic.h"

#define REGION_OFF  (4UL << 20)
#define REGION_SIZE (24UL << 20)

static u64 sum(const u64 *p, u64 n)
{
	u64 h = 0xcbf29ce484222325ULL;

	for (u64 i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

int main(void)
{
	u64 *mem = (u64 *)(GUEST_RAM_BASE + REGION_OFF);
	u64 n = REGION_SIZE / 8, want, secs = 5, passes = 0, bad = 0;
	char arg[16];

	report_prefix("cksum");
	if (bootarg_get("secs", arg, sizeof(arg))) {
		secs = 0;
		for (const char *p = arg; *p >= '0' && *p <= '9'; p++)
			secs = secs * 10 + (u64)(*p - '0');
	}
	for (u64 i = 0; i < n; i++)
		mem[i] = (i * 0x9E3779B97F4A7C15ULL) ^ 0xc0ffee;
	want = sum(mem, n);
	puts("cksum: pattern written, checking\n");
	for (u64 s = 0; s < secs; s++) {
		u64 end = gic_counter() + gic_us_to_ticks(1000000);

		while (gic_counter() < end) {
			bad += sum(mem, n) != want;
			passes++;
		}
	}
	report(!bad && passes, "%lu passes over %lu MiB in %lu s, %lu differed", passes,
	       REGION_SIZE >> 20, secs, bad);
	return 0;
}
