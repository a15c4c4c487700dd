// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bystander VM: fills most of its RAM with a pattern and checks it over and over for
 * "secs=N" seconds (5 if absent; 0: until the VM is stopped) while another VM attacks Tern or is
 * stopped and started again; any change fails. With "every=1" it prints each second
 *   CKSUM t=<seconds> sum=<checksum> passes=<total> differed=<total>
 * and at the end one PASS (or FAIL) with the number of passes over its memory.
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
	u64 n = REGION_SIZE / 8, want, got, secs = 5, passes = 0, bad = 0;
	char arg[16];
	bool every = bootarg_get("every", arg, sizeof(arg)) && arg[0] == '1';

	report_prefix("cksum");
	if (bootarg_get("secs", arg, sizeof(arg))) {
		secs = 0;
		for (const char *p = arg; *p >= '0' && *p <= '9'; p++)
			secs = secs * 10 + (u64)(*p - '0');
	}
	for (u64 i = 0; i < n; i++)
		mem[i] = (i * 0x9E3779B97F4A7C15ULL) ^ 0xc0ffee;
	want = got = sum(mem, n);
	puts("cksum: pattern written, checking\n");
	for (u64 s = 0; !secs || s < secs; s++) {
		u64 end = gic_counter() + gic_us_to_ticks(1000000);

		while (gic_counter() < end) {
			got = sum(mem, n);
			bad += got != want;
			passes++;
		}
		if (every)
			printf("CKSUM t=%lu sum=0x%lx passes=%lu differed=%lu\n", s + 1, got,
			       passes, bad);
	}
	report(!bad && passes, "%lu passes over %lu MiB in %lu s, %lu differed", passes,
	       REGION_SIZE >> 20, secs, bad);
	return 0;
}
