// SPDX-License-Identifier: GPL-2.0-only
#include <tern/guest_type.h>
#include <tern/platform.h>
#include <tern/printk.h>
#include <tern/vdev.h>
#include <tern/vm_config.h>

const struct vm_config vm_configs[CONFIG_NR_VMS] = { VM_CONFIG_TABLE };

const char *vm_guest_type_name(enum vm_guest_type type)
{
	const struct guest_type *t = guest_type_get(type);

	return t ? t->name : "?";
}

void vm_config_print(const struct platform *p)
{
	for (unsigned int i = 0; i < CONFIG_NR_VMS; i++) {
		const struct vm_config *c = &vm_configs[i];
		const struct platform_module *k = platform_module_find(p, i, MODULE_KERNEL);
		char devs[96];

		vdev_config_names(c->id, devs, sizeof(devs));
		pr_info("vm%u: %s, PSCI %s, %u vCPU%s, %llu MiB, devices: %s, kernel %s\n", c->id,
			vm_guest_type_name(c->type),
			guest_type_conduit(c) == VM_PSCI_SMC ? "smc" : "hvc", c->nr_vcpus,
			c->nr_vcpus == 1 ? "" : "s", (unsigned long long)(c->ram_size >> 20),
			devs[0] ? devs : "none", k ? "module" : "none");
	}
}
