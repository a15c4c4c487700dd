// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-attack suite (issue 11, docs/security.md): one PASS/FAIL line per attack, by area,
 * then SUMMARY. Run as VM 0, alone or next to tests/guests/victim.c (VM 1), which checksums its
 * memory and registers and must keep making progress; tests/integration/test_attack.py also
 * checks Tern's integrity line at the end.
 *
 * Bootargs: skip=area:slug,... skips attacks (SKIP lines, counted), for holes whose fix has not
 * landed or attacks that do not apply (GICv3 ones on a GICv2 host); slug is the attack's name in
 * lower case with every other character as '-'; a bare area name skips the whole area.
 * areas=a,b runs only those areas.
 */
#include "attack/attack.h"

static const struct attack_area areas[] = {
	{ "mem", attacks_mem, 0 },   { "mmio", attacks_mmio, 0 },     { "vgic", attacks_vgic, 0 },
	{ "psci", attacks_psci, 0 }, { "sysreg", attacks_sysreg, 0 }, { "exc", attacks_exc, 0 },
	{ "el0", attacks_el0, 0 },   { "timer", attacks_timer, 0 },   { "leak", attacks_leak, 0 },
	{ "cons", attacks_cons, 0 }, { "hang", attacks_hang, 0 },
};

static unsigned int area_nr(unsigned int i)
{
	static const unsigned int *const nrs[] = {
		&nr_attacks_mem,    &nr_attacks_mmio, &nr_attacks_vgic, &nr_attacks_psci,
		&nr_attacks_sysreg, &nr_attacks_exc,  &nr_attacks_el0,	&nr_attacks_timer,
		&nr_attacks_leak,   &nr_attacks_cons, &nr_attacks_hang,
	};

	return *nrs[i];
}

static char skip[1024], only[256];

static void slug(const char *name, char *out, size_t size)
{
	size_t n = 0;

	for (; *name && n + 1 < size; name++) {
		char c = *name;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-';
	}
	out[n] = '\0';
}

/* @key ("area:slug" or "area") is an element of the comma-separated @list. */
static bool listed(const char *list, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = list; *p;) {
		size_t n = 0;

		while (p[n] && p[n] != ',')
			n++;
		if (n == k && !strncmp(p, key, k))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

struct dt_ctx {
	bool in_memory, in_cpus;
	unsigned int cpus;
	bool gic;
};

static void dt_begin(void *ctx, int depth, const char *name)
{
	struct dt_ctx *c = ctx;

	if (depth == 1) {
		c->in_memory = !strncmp(name, "memory", 6);
		c->in_cpus = !strcmp(name, "cpus");
		if (!strncmp(name, "intc@8000000", 12) ||
		    !strncmp(name, "interrupt-controller@8000000", 28))
			c->gic = true;
	}
	if (depth == 2 && c->in_cpus && !strncmp(name, "cpu@", 4))
		c->cpus++;
}

static void dt_prop(void *ctx, int depth, const char *name, const void *val, u32 len)
{
	struct dt_ctx *c = ctx;

	if (depth == 1 && c->in_memory && !strcmp(name, "reg") && len >= 16) {
		attack_ram_base = fdt_cells(val, 2);
		attack_ram_size = fdt_cells((const u8 *)val + 8, 2);
	}
}

static void discover(void)
{
	struct dt_ctx c = { 0 };
	struct fdt_walker w = { .begin_node = dt_begin, .prop = dt_prop, .ctx = &c };

	if (guest_boot_dtb && fdt_totalsize((const void *)guest_boot_dtb))
		fdt_walk((const void *)guest_boot_dtb, &w);
	attack_nr_vcpus = c.cpus ? c.cpus : 1;
	attack_have_gic = c.gic;
}

int main(void)
{
	unsigned int total = 0;
	char key[128], s[96];

	report_prefix("attack");
	discover();
	bootarg_get("skip", skip, sizeof(skip));
	bootarg_get("areas", only, sizeof(only));
	for (unsigned int i = 0; i < ARRAY_SIZE(areas); i++)
		total += area_nr(i);
	report_info("%u attacks in %u areas; RAM 0x%lx+0x%lx, %u vCPUs, %s", total,
		    (unsigned int)ARRAY_SIZE(areas), attack_ram_base, attack_ram_size,
		    attack_nr_vcpus, attack_have_gic ? "virtual GIC" : "no GIC");
	if (attack_have_gic) {
		gic_dist_init();
		gic_cpu_init();
	}
	/* FP/SIMD on: FP registers are attacked and read like any other. */
	write_sysreg(read_sysreg(cpacr_el1) | (3UL << 20), cpacr_el1);
	isb();
	for (unsigned int i = 0; i < ARRAY_SIZE(areas); i++) {
		const struct attack_area *a = &areas[i];

		u64 t0 = now_us();

		if (only[0] && !listed(only, a->name))
			continue;
		for (unsigned int n = 0; n < area_nr(i); n++) {
			const struct attack *t = &a->attacks[n];

			slug(t->name, s, sizeof(s));
			snprintf(key, sizeof(key), "%s:%s", a->name, s);
			if (listed(skip, a->name) || listed(skip, key)) {
				report_skip("%s: %s (%s skipped)", a->name, t->name, key);
				continue;
			}
			report(t->fn(), "%s: %s", a->name, t->name);
			asm volatile("msr daifset, #0xf");
		}
		report_info("area %s: %lu ms", a->name, (now_us() - t0) / 1000);
	}
	return 0;
}
