// SPDX-License-Identifier: GPL-2.0-only
/* The boot summary of what platform discovery found: one "platform: " line per fact. */
#include <string.h>
#include <tern/compiler.h>
#include <tern/exit_status.h>
#include <tern/console_drv.h>
#include <tern/irqchip.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/strtab.h>

/* @sep then "0x<hex>" appended at @pos in @buf (room for it is the caller's business). */
static size_t platform_put_hex(char *buf, size_t pos, char sep, u64 v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = 0;

	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	buf[pos++] = sep;
	buf[pos++] = '0';
	buf[pos++] = 'x';
	while (n)
		buf[pos++] = tmp[--n];
	buf[pos] = '\0';
	return pos;
}

/* @str then the decimal @v appended at @pos in @buf. */
static size_t platform_put_dec(char *buf, size_t pos, const char *str, u32 v)
{
	char tmp[10];
	size_t n = 0, len = strlen(str);

	memcpy(buf + pos, str, len);
	pos += len;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[pos++] = tmp[--n];
	buf[pos] = '\0';
	return pos;
}

const char *platform_module_kind_name(enum platform_module_kind kind)
{
	/* In the order of enum platform_module_kind. */
	static const char names[] = "kernel\0ramdisk\0device-tree\0disk\0module\0";
	const char *n = strtab_nth(names, sizeof(names), kind);

	_Static_assert(MODULE_KERNEL == 0 && MODULE_RAMDISK == 1 && MODULE_DEVICE_TREE == 2 &&
			   MODULE_DISK == 3 && MODULE_OTHER == 4,
		       "names is in the order of enum platform_module_kind");
	return n ? n : "module";
}

static void platform_print_size(const char *prefix, u64 base, u64 size)
{
	if (size >= (1ULL << 20))
		platform_log(LOG_INFO, "%s 0x%016llx-0x%016llx (%llu MiB)\n", prefix,
			     (unsigned long long)base, (unsigned long long)(base + size - 1),
			     (unsigned long long)(size >> 20));
	else
		platform_log(LOG_INFO, "%s 0x%016llx-0x%016llx (%llu KiB)\n", prefix,
			     (unsigned long long)base, (unsigned long long)(base + size - 1),
			     (unsigned long long)(size >> 10));
}

/* printk keeps 256 characters a message: 16 MPIDRs (13 characters at most each) a line. */
#define PLATFORM_CPUS_PER_LINE 16

static void platform_print_cpus(const struct platform *p)
{
	char line[PLATFORM_CPUS_PER_LINE * 13 + 1];
	unsigned int i = 0, n;
	size_t pos;

	do {
		pos = 0;
		line[0] = '\0';
		for (n = 0; n < PLATFORM_CPUS_PER_LINE && i < p->nr_cpus; n++, i++)
			pos = platform_put_hex(line, pos, ' ', p->cpus[i].mpidr);
		if (i <= PLATFORM_CPUS_PER_LINE)
			platform_log(LOG_INFO, "cpus %u:%s\n", p->nr_cpus, line);
		else
			platform_log(LOG_INFO, "cpus (cont):%s\n", line);
	} while (i < p->nr_cpus);
}

/* The interrupt controller's regions as its driver's probe put them, 4 per line. */
static void platform_print_irqchip(const struct platform *p)
{
	const struct platform_irqchip *ic = &p->irqchip;
	/* " 0x<base>+0x<size>" per region, at most 38 characters: 4 fit in a printk message. */
	char line[4 * 38 + 5];
	size_t pos = 0;
	unsigned int i;

	line[0] = '\0';
	for (i = 0; i < ic->nr_regs && i < 4; i++) {
		pos = platform_put_hex(line, pos, ' ', ic->regs[i].base);
		pos = platform_put_hex(line, pos, '+', ic->regs[i].size);
	}
	if (i < ic->nr_regs)
		memcpy(line + pos, " ...", 5);
	platform_log(LOG_INFO, "irqchip %s (%s) regs%s maint intid %u\n",
		     ic->drv ? ic->drv->name : "?", ic->path, line, ic->maint_intid);
}

static void platform_print_timer(const struct platform *p)
{
	const struct platform_timer *t = &p->timer;
	char tail[48];
	size_t pos = 0;

	tail[0] = '\0';
	if (t->hyp_virt_intid)
		pos = platform_put_dec(tail, pos, " hvirt ", t->hyp_virt_intid);
	if (t->freq) {
		pos = platform_put_dec(tail, pos, " freq ", t->freq);
		memcpy(tail + pos, " Hz", 4);
	} else {
		memcpy(tail + pos, " freq from CNTFRQ", 18);
	}
	platform_log(LOG_INFO, "timer intids sphys %u phys %u virt %u hyp %u%s\n",
		     t->sec_phys_intid, t->phys_intid, t->virt_intid, t->hyp_phys_intid, tail);
}

void platform_print_summary(const struct platform *p)
{
	unsigned int i;

	platform_log(LOG_INFO, "dtb 0x%llx size 0x%x\n", (unsigned long long)p->dtb_base,
		     p->dtb_size);
	for (i = 0; i < p->nr_mem; i++)
		platform_print_size("ram", p->mem[i].base, p->mem[i].size);
	platform_log(LOG_INFO, "ram total %llu MiB in %u range(s)\n",
		     (unsigned long long)(platform_ram_total(p) >> 20), p->nr_mem);
	for (i = 0; i < p->nr_rsv; i++)
		platform_log(LOG_INFO, "reserved 0x%016llx - 0x%016llx%s\n",
			     (unsigned long long)p->rsv[i].base,
			     (unsigned long long)(p->rsv[i].base + p->rsv[i].size - 1),
			     p->rsv[i].nomap ? " [no-map]" : "");
	platform_print_cpus(p);
	platform_print_irqchip(p);
	platform_log(LOG_INFO, "console %s 0x%08llx intid %u (%s %s)\n",
		     p->console.drv ? p->console.drv->name : "?",
		     (unsigned long long)p->console.base, p->console.intid,
		     p->console.from_stdout_path ? "stdout-path" : "first known", p->console.path);
	platform_print_timer(p);
	platform_log(LOG_INFO, "psci %u.%u via %s\n", p->psci.version >> 16,
		     p->psci.version & 0xffff, p->psci.method == PSCI_METHOD_HVC ? "hvc" : "smc");
	if (p->bootargs) {
		char shown[256];

		/* The launcher's exit token stays secret until the exit status line. */
		exit_status_redact(shown, sizeof(shown), p->bootargs);
		platform_log(LOG_INFO, "bootargs \"%s\"\n", shown);
	} else
		platform_log(LOG_INFO, "bootargs none\n");
	for (i = 0; i < p->nr_modules; i++) {
		const struct platform_module *m = &p->modules[i];

		platform_log(LOG_INFO, "vm%u %s 0x%llx+0x%llx%s%s%s\n", m->vm,
			     platform_module_kind_name(m->kind), (unsigned long long)m->base,
			     (unsigned long long)m->size, m->bootargs ? " bootargs \"" : "",
			     m->bootargs ? m->bootargs : "", m->bootargs ? "\"" : "");
	}
}
