// SPDX-License-Identifier: GPL-2.0-only
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
 * Enough to catch any stray write, not meant against an attacker: a Fletcher-style pair of 64-bit
 * sums, a of every word and b of a after each pair of words, so that a word changed changes a and
 * words moved or swapped between pairs change b. Plain loads and adds, ~0.3 instructions per
 * byte (a 32 MiB Linux Image is summed at boot and again at power-off): CRC32C with the CRC32
 * instructions takes 0.23, but an emulator runs each of those as a call (QEMU's table-driven
 * crc32c was 3% of the host time of a Linux boot under Tern), where adds are native instructions.
 */
static u64 integrity_sum(paddr_t base, u64 size)
{
	const u8 *p = (const u8 *)base;
	u64 a = 0, b = 0;

	for (; size && ((uintptr_t)p & 7); size--, p++) {
		a += *p;
		b += a;
	}
	/* Four pairs a turn: the loop's own branch and compare are a tenth of it. */
	for (; size >= 64; size -= 64, p += 64) {
		const u64 *w = (const u64 *)p;

		a += w[0] + w[1];
		b += a;
		a += w[2] + w[3];
		b += a;
		a += w[4] + w[5];
		b += a;
		a += w[6] + w[7];
		b += a;
	}
	for (; size; size--, p++) {
		a += *p;
		b += a;
	}
	return a ^ (b * 0x9E3779B97F4A7C15ULL);
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
