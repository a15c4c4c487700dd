// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest types as boot contracts, one row each: the image formats a type accepts, whether Tern
 * writes it a device tree (and an initrd with it) and enters it with x0 pointing there, and whether
 * its PSCI conduit is fixed. vm_create() and the exit handlers ask here; docs/guests.md has the
 * same table.
 */
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/guest_type.h>
#include <tern/printk.h>

static const struct guest_type guest_types[VM_GUEST_NR] = {
	/* An arm64 Image at RAM base + text_offset, x0 = DTB (Linux's booting.rst). */
	[VM_GUEST_LINUX] = { .name = "linux", .images = BIT(IMAGE_ARM64), .device_tree = true },
	/* Built for the guest map of docs/guests.md with its own device description: no DT, PSCI
	 * through HVC. */
	[VM_GUEST_RTOS] = { .name = "rtos",
			    .images = BIT(IMAGE_ELF64) | BIT(IMAGE_RAW),
			    .device_tree = false,
			    .fixed_hvc = true },
	/* Entered at the start of its image (an ELF at its entry) with x0 = DTB. */
	[VM_GUEST_BAREMETAL] = { .name = "bare-metal",
				 .images = BIT(IMAGE_ARM64) | BIT(IMAGE_ELF64) | BIT(IMAGE_RAW),
				 .device_tree = true },
};

static const char *const image_kind_names[] = {
	[IMAGE_ARM64] = "an arm64 Image",
	[IMAGE_ELF64] = "an ELF",
	[IMAGE_RAW] = "a raw binary",
};

const struct guest_type *guest_type_get(enum vm_guest_type type)
{
	return (unsigned int)type < ARRAY_SIZE(guest_types) ? &guest_types[type] : NULL;
}

enum vm_psci_conduit guest_type_conduit(const struct vm_config *cfg)
{
	const struct guest_type *t = guest_type_get(cfg->type);

	return !t || t->fixed_hvc ? VM_PSCI_HVC : cfg->conduit;
}

int guest_type_check(const struct vm_config *cfg, const struct image_layout *l, bool initrd)
{
	const struct guest_type *t = guest_type_get(cfg->type);

	if (!t) {
		pr_err("vm%u: guest type %d is not one Tern knows\n", cfg->id, cfg->type);
		return -TERN_EINVAL;
	}
	if ((unsigned int)l->kind >= ARRAY_SIZE(image_kind_names) || !(t->images & BIT(l->kind))) {
		pr_err("vm%u: a %s guest cannot boot %s (see the guest types in docs/guests.md)\n",
		       cfg->id, t->name,
		       (unsigned int)l->kind < ARRAY_SIZE(image_kind_names)
			   ? image_kind_names[l->kind]
			   : "this image");
		return -TERN_EINVAL;
	}
	if (initrd && !t->device_tree) {
		pr_err("vm%u: a %s guest gets no device tree, so nothing could tell it where an "
		       "initrd is: remove the initrd module\n",
		       cfg->id, t->name);
		return -TERN_EINVAL;
	}
	return 0;
}
