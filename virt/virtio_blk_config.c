// SPDX-License-Identifier: GPL-2.0-only
/* Which disk each VM gets: Kconfig's choice, overridden by what the boot device tree says. */
#include <tern/platform.h>
#include <virt/virtio_blk_config.h>

static const struct vblk_kconfig vblk_kconfigs[CONFIG_NR_VMS] = { VBLK_KCONFIG_TABLE };

void vblk_disk_config(unsigned int vm, const struct platform *p, struct vblk_disk_cfg *cfg)
{
	const struct vblk_kconfig *k = &vblk_kconfigs[vm];
	const struct platform_module *mod = platform_module_find(p, vm, MODULE_DISK);
	const struct platform_host_disk *hd = platform_host_disk_find(p, vm);

	*cfg = (struct vblk_disk_cfg){ .read_only = k->read_only };
	if (mod) {
		cfg->backend = VBLK_BACKEND_RAM;
		cfg->ram_base = (paddr_t)mod->base;
		cfg->ram_size = mod->size;
		cfg->read_only |= mod->read_only;
	} else if (hd) {
		cfg->backend = VBLK_BACKEND_HOST;
		cfg->host_index = hd->index;
		cfg->host_offset = hd->offset;
		cfg->host_size = hd->size;
		cfg->read_only |= hd->read_only;
	} else if (k->host) {
		cfg->backend = VBLK_BACKEND_HOST;
		cfg->host_index = k->host_index;
		cfg->host_offset = k->host_offset_mb << 20;
		cfg->host_size = k->host_size_mb << 20;
	}
}
