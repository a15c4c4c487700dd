// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-VM device list: built from the device types linked in (the "vdev_types" section) and
 * the VM's Kconfig device set, walked for creation, reset, stop, destruction, the scheduler's
 * hook and the report. The types themselves live in virt/.
 */
#include <string.h>
#include <tern/errno.h>
#include <tern/format.h>
#include <tern/printk.h>
#include <tern/vdev.h>
#include <tern/vm.h>

/* The linker's start and stop symbols bound one array; its length comes from their addresses. */
static size_t vdev_nr_types(void)
{
	return ((uintptr_t)__stop_vdev_types - (uintptr_t)__start_vdev_types) /
	       sizeof(__start_vdev_types[0]);
}

#define vdev_for_each_type(t)                                                                      \
	for (const struct vdev_type *const *t = __start_vdev_types;                                \
	     t != __start_vdev_types + vdev_nr_types(); t++)

static bool vdev_wanted(const struct vdev_type *t, unsigned int vm_id)
{
	return vm_id < 32 && (t->vm_mask & (1U << vm_id));
}

int vdev_create_all(struct vm *vm, const struct platform *p)
{
	int rc = 0;

	vm->nr_vdevs = 0;
	for (unsigned int phase = 0; phase < VDEV_NR_PHASES && !rc; phase++) {
		vdev_for_each_type(t)
		{
			struct vdev *dev;

			if ((*t)->phase != phase || !vdev_wanted(*t, vm->id))
				continue;
			if (vm->nr_vdevs == VM_MAX_VDEVS) {
				rc = -TERN_ENOSPC;
				break;
			}
			dev = &vm->vdevs[vm->nr_vdevs];
			*dev = (struct vdev){ .type = *t, .vm = vm };
			rc = (*t)->create(dev, p);
			if (rc == -TERN_ENOENT) {
				/* Configured, but nothing to back it at this boot (it said so). */
				rc = 0;
				continue;
			}
			if (rc) {
				pr_err("vm%u: %s: not created: %s\n", vm->id, (*t)->name,
				       tern_strerror(rc));
				break;
			}
			vm->nr_vdevs++;
		}
	}
	if (rc)
		vdev_destroy_all(vm);
	return rc;
}

void vdev_destroy_all(struct vm *vm)
{
	while (vm->nr_vdevs) {
		struct vdev *dev = &vm->vdevs[--vm->nr_vdevs];

		dev->type->destroy(dev);
		*dev = (struct vdev){ 0 };
	}
}

void vdev_reset_all(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vdevs; i++)
		vm->vdevs[i].type->reset(&vm->vdevs[i]);
}

void vdev_stop_all(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vdevs; i++) {
		if (vm->vdevs[i].type->stop)
			vm->vdevs[i].type->stop(&vm->vdevs[i]);
	}
}

void vdev_report_all(const struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vdevs; i++) {
		if (vm->vdevs[i].type->report)
			vm->vdevs[i].type->report(&vm->vdevs[i]);
	}
}

struct vdev *vdev_find(struct vm *vm, const char *name)
{
	for (unsigned int i = 0; i < vm->nr_vdevs; i++) {
		if (!strcmp(vm->vdevs[i].type->name, name))
			return &vm->vdevs[i];
	}
	return NULL;
}

int vdev_fdt_write_node(void *fdt, const void *d, u32 clk_phandle)
{
	const struct vdev *dev = d;

	(void)clk_phandle; /* device types use GUEST_FDT_PHANDLE_CLK themselves */
	return dev->type->fdt_node ? dev->type->fdt_node(fdt, dev) : 0;
}

void vdev_config_names(unsigned int id, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int phase = 0; phase < VDEV_NR_PHASES; phase++) {
		vdev_for_each_type(t)
		{
			if ((*t)->phase == phase && vdev_wanted(*t, id) && n < size)
				n += (size_t)fmt_snprintf(buf + n, size - n, "%s%s", n ? " " : "",
							  (*t)->name);
		}
	}
}
