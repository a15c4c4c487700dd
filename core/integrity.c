// SPDX-License-Identifier: GPL-2.0-only
#include <asm/crc32c.h>
#include <asm/mmu.h>
#include <tern/compiler.h>
#include <tern/integrity.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/vm.h>

#define INTEGRITY_MAX (2 + PLATFORM_MAX_MODULES)

struct integrity_region {
	const char *what;
	unsigned int idx;
	paddr_t base;
	u64 size;
	u64 sum;
};

static struct integrity_region regions[INTEGRITY_MAX];
static unsigned int nr_regions;
/* Each VM's pristine DT while the VM exists (size 0: none); VMs come and go at run time. */
static struct integrity_region vm_dts[CONFIG_NR_VMS];

/*
 * Enough to catch any stray write, not meant against an attacker: CRC32C where the CPU has the
 * CRC32 instructions (every error burst of up to 32 bits caught; ~0.23 instructions per byte,
 * which matters: the modules, a 32 MiB Linux Image among them, are summed at boot and again at
 * power-off), else FNV-1a over 64-bit words (~0.6 per byte). Chosen once, at the snapshot.
 */
static bool integrity_crc;

static u64 integrity_sum(paddr_t base, u64 size)
{
	const u64 *p = (const u64 *)base;
	u64 h = 0xcbf29ce484222325ULL;

	if (integrity_crc)
		return crc32c((const void *)base, size);
	for (u64 i = 0; i < size / 8; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	for (u64 i = size & ~7ULL; i < size; i++)
		h = (h ^ ((const u8 *)base)[i]) * 0x100000001b3ULL;
	return h;
}

static struct integrity_region integrity_take(const char *what, unsigned int idx, paddr_t base,
					      u64 size)
{
	return (struct integrity_region){ what, idx, base, size, integrity_sum(base, size) };
}

static void integrity_add(const char *what, unsigned int idx, paddr_t base, u64 size)
{
	if (nr_regions == INTEGRITY_MAX || !size)
		return;
	regions[nr_regions++] = integrity_take(what, idx, base, size);
}

void integrity_snapshot(const struct platform *p)
{
	integrity_crc = crc32c_available();
	nr_regions = 0;
	integrity_add("Tern text", 0, (paddr_t)_text, (paddr_t)_etext - (paddr_t)_text);
	integrity_add("Tern rodata", 0, (paddr_t)_rodata, (paddr_t)_erodata - (paddr_t)_rodata);
	/* A disk module is the VM's RAM disk: the guest writes it. */
	for (unsigned int i = 0; i < p->nr_modules; i++)
		if (p->modules[i].kind != MODULE_DISK)
			integrity_add("boot module", i, p->modules[i].base, p->modules[i].size);
}

void integrity_vm_add(const struct vm *vm)
{
	if (vm->id < CONFIG_NR_VMS)
		vm_dts[vm->id] =
		    integrity_take("pristine guest DT of vm", vm->id, vm->dtb.pa, vm->dtb.size);
}

static unsigned int integrity_check(const struct integrity_region *r)
{
	if (!r->size || integrity_sum(r->base, r->size) == r->sum)
		return 0;
	pr_err("integrity: %s %u at 0x%llx+0x%llx CHANGED\n", r->what, r->idx,
	       (unsigned long long)r->base, (unsigned long long)r->size);
	return 1;
}

unsigned int integrity_vm_drop(const struct vm *vm)
{
	unsigned int bad;

	if (vm->id >= CONFIG_NR_VMS)
		return 0;
	bad = integrity_check(&vm_dts[vm->id]);
	vm_dts[vm->id] = (struct integrity_region){ 0 };
	return bad;
}

unsigned int integrity_verify(void)
{
	unsigned int bad = 0, n = nr_regions;

	for (unsigned int i = 0; i < nr_regions; i++)
		bad += integrity_check(&regions[i]);
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		bad += integrity_check(&vm_dts[i]);
		n += vm_dts[i].size != 0;
	}
	if (!bad)
		pr_info("integrity: %u regions unchanged (Tern text and rodata, boot modules, "
			"pristine guest DTs)\n",
			n);
	return bad;
}
