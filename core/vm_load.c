// SPDX-License-Identifier: GPL-2.0-only
/*
 * Putting a VM's pristine images into its RAM, at start and at every reset. A guest starts with
 * its MMU and caches off, so what it reads must be in memory, not only in Tern's caches:
 * vm_copy_to_guest() and vm_zero_guest() clean what they write to the point of coherency, and
 * once everything is in place the instruction caches are invalidated, so that no line fetched
 * from these addresses before (the previous run, before a reset) is executed again.
 */
#include <asm/cache.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>

int vm_load_images(struct vm *vm)
{
	const struct image_layout *l = &vm->layout;
	int rc = 0;

	for (unsigned int i = 0; i < l->nr_segments && !rc; i++) {
		const struct image_segment *s = &l->seg[i];

		rc = vm_copy_to_guest(vm, s->ipa, (const void *)(vm->kernel.pa + s->file_offset),
				      s->file_size);
		if (!rc && s->mem_size > s->file_size)
			rc = vm_zero_guest(vm, s->ipa + s->file_size, s->mem_size - s->file_size);
	}
	if (!rc && vm->initrd.size)
		rc = vm_copy_to_guest(vm, vm->initrd.load, (const void *)vm->initrd.pa,
				      vm->initrd.size);
	if (!rc && vm->dtb.size)
		rc = vm_copy_to_guest(vm, vm->dtb.load, (const void *)vm->dtb.pa, vm->dtb.size);
	if (rc) {
		pr_err("vm%u: loading the images failed: %s\n", vm->id, tern_strerror(rc));
		return rc;
	}
	icache_inval_all();
	return 0;
}
