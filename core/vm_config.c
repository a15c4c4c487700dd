// SPDX-License-Identifier: GPL-2.0-only
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/vm_config.h>

const struct vm_config vm_configs[CONFIG_NR_VMS] = { VM_CONFIG_TABLE };

const char *vm_guest_type_name(enum vm_guest_type type)
{
	switch (type) {
	case VM_GUEST_LINUX:
		return "linux";
	case VM_GUEST_RTOS:
		return "rtos";
	default:
		return "bare-metal";
	}
}

void vm_config_print(const struct platform *p)
{
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		const struct vm_config *c = &vm_configs[i];
		const struct platform_module *k = platform_module_find(p, i, MODULE_KERNEL);

		pr_info("vm%u: %s, %u vCPU%s, %llu MiB, devices:%s%s%s%s, kernel %s\n", c->id,
			vm_guest_type_name(c->type), c->nr_vcpus, c->nr_vcpus == 1 ? "" : "s",
			(unsigned long long)(c->ram_size >> 20), c->vpl011 ? " pl011" : "",
			c->vgicv3 ? " gicv3" : "", c->virtio_blk ? " virtio-blk" : "",
			(c->vpl011 || c->vgicv3 || c->virtio_blk) ? "" : " none",
			k ? "module" : "none");
	}
}
