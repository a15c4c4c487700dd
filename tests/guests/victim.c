// SPDX-License-Identifier: GPL-2.0-only
/*
 * The victim VM of the attack suite (tests/integration/test_attack.py): fills 8 MiB of its RAM
 * with a pattern and a secret, writes its own patterns into the registers the attacker also
 * writes (tests/guests/attack/leak.c), then loops: checksum the memory, check the registers, and
 * every 250 ms print "VICTIM: round N ok" - progress the test watches while the attacker runs.
 * It stops when it reads 'q' on its console (or after stop=SECONDS, 600 by default).
 * skip=REG,... leaves registers out (a leak whose fix has not landed, see test_attack.py).
 */
#include "attack/attack.h"

#define AREA_SIZE (8UL << 20)
#define PRINT_US  250000
#define REG_ENC(op0, op1, crn, crm, op2)                                                           \
	(0xd5300000U | ((u32)(op0)-2) << 19 | (u32)(op1) << 16 | (u32)(crn) << 12 |                \
	 (u32)(crm) << 8 | (u32)(op2) << 5)

static const struct {
	const char *name;
	u32 mrs;
	u64 mask;
} vregs[] = {
	{ "TPIDR_EL0", REG_ENC(3, 3, 13, 0, 2), ~0UL },
	{ "TPIDRRO_EL0", REG_ENC(3, 3, 13, 0, 3), ~0UL },
	{ "TPIDR_EL1", REG_ENC(3, 0, 13, 0, 4), ~0UL },
	{ "CONTEXTIDR_EL1", REG_ENC(3, 0, 13, 0, 1), 0xffffffffUL },
	{ "FAR_EL1", REG_ENC(3, 0, 6, 0, 0), ~0UL },
	{ "MAIR_EL1", REG_ENC(3, 0, 10, 2, 0), ~0UL },
	{ "TTBR0_EL1", REG_ENC(3, 0, 2, 0, 0), 0xfffffffff000UL },
	{ "TPIDR2_EL0", REG_ENC(3, 3, 13, 0, 5), ~0UL },
	{ "SMPRI_EL1", REG_ENC(3, 0, 1, 2, 4), 0xfUL },
	{ "SMCR_EL1", REG_ENC(3, 0, 1, 2, 6), 0xfUL },
	{ "DISR_EL1", REG_ENC(3, 0, 12, 1, 1), 0x80000000UL },
	{ "ICC_PMR_EL1", REG_ENC(3, 0, 4, 6, 0), 0xf0UL },
	{ "DBGBVR0_EL1", REG_ENC(2, 0, 0, 0, 4), 0xfffffffffffcUL },
	{ "APIAKEYLO_EL1", REG_ENC(3, 0, 2, 1, 0), ~0UL },
};

static bool writable[ARRAY_SIZE(vregs)], reported[ARRAY_SIZE(vregs)];
static char secret[32], skip[256];

static bool skipped(const char *name)
{
	size_t n = strlen(name);

	for (const char *p = skip; *p;) {
		size_t len = 0;

		while (p[len] && p[len] != ',')
			len++;
		if (len == n && !strncmp(p, name, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static u64 parse_u64(const char *s)
{
	u64 v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (u64)(*s++ - '0');
	return v;
}

static u64 vpattern(unsigned int i)
{
	return 0x5ec0000000000000UL | (u64)i << 32 | 0xc0ffee;
}

static u64 area_base(void)
{
	return ALIGN_UP((u64)_end, 1UL << 20);
}

static u64 checksum(void)
{
	const volatile u64 *p = (const volatile u64 *)area_base();
	u64 h = 0xcbf29ce484222325UL;

	for (u64 i = 0; i < AREA_SIZE / 8; i++)
		h = (h ^ p[i]) * 0x100000001b3UL;
	return h;
}

static bool regs_ok(void)
{
	bool ok = true;

	for (unsigned int i = 0; i < ARRAY_SIZE(vregs); i++) {
		u64 v, esr;

		if (!writable[i])
			continue;
		if (!probe_insn(vregs[i].mrs, 0, &v, &esr) ||
		    (v & vregs[i].mask) != (vpattern(i) & vregs[i].mask)) {
			if (!reported[i])
				printf("FAIL: victim: %s is 0x%lx, the victim wrote 0x%lx\n",
				       vregs[i].name, v, vpattern(i) & vregs[i].mask);
			reported[i] = true;
			ok = false;
			probe_insn(vregs[i].mrs & ~(1U << 21), vpattern(i) & vregs[i].mask, NULL,
				   &esr);
		}
	}
	return ok;
}

static bool stop_requested(void)
{
	volatile u32 *u = (volatile u32 *)GUEST_UART_BASE;

	while (!(u[0x18 / 4] & (1U << 4))) {
		if ((u[0] & 0xff) == 'q')
			return true;
	}
	return false;
}

int main(void)
{
	volatile u64 *area = (volatile u64 *)area_base();
	char arg[16];
	u64 sum, stop_us = 600, t_print, t_end, rounds = 0;
	bool ok = true;

	report_prefix("victim");
	if (bootarg_get("stop", arg, sizeof(arg)))
		stop_us = parse_u64(arg);
	stop_us *= 1000000;
	bootarg_get("skip", skip, sizeof(skip));
	for (u64 i = 0; i < AREA_SIZE / 8; i++)
		area[i] = 0x9e3779b97f4a7c15UL * (i + 1);
	snprintf(secret, sizeof(secret), "%s-%s-%lx", "VICTIM", "SECRET", read_sysreg(cntvct_el0));
	memcpy((void *)area_base(), secret, sizeof(secret));
	sum = checksum();
	/* Registers that take a value here (writes are neither UNDEFINED nor ignored). */
	for (unsigned int i = 0; i < ARRAY_SIZE(vregs); i++) {
		u64 esr, v = 0;

		if (skipped(vregs[i].name)) {
			report_skip("%s (skip=)", vregs[i].name);
			continue;
		}
		writable[i] = probe_insn(vregs[i].mrs & ~(1U << 21), vpattern(i) & vregs[i].mask,
					 NULL, &esr) &&
			      probe_insn(vregs[i].mrs, 0, &v, &esr) &&
			      (v & vregs[i].mask) == (vpattern(i) & vregs[i].mask);
	}
	report_info("8 MiB checksummed at 0x%lx, %u registers patterned", area_base(),
		    (unsigned int)ARRAY_SIZE(vregs));
	t_print = now_us() + PRINT_US;
	t_end = now_us() + stop_us;
	while (!stop_requested() && now_us() < t_end) {
		bool round_ok = checksum() == sum;

		if (!round_ok)
			printf("FAIL: victim: memory checksum changed in round %lu\n", rounds);
		round_ok &= regs_ok();
		ok &= round_ok;
		rounds++;
		if (now_us() >= t_print) {
			printf("VICTIM: round %lu %s\n", rounds, round_ok ? "ok" : "BAD");
			t_print = now_us() + PRINT_US;
		}
	}
	report(ok, "%lu rounds: memory and registers unchanged", rounds);
	return 0;
}
