/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VIRTIO_BLK_CONFIG_H
#define VIRT_VIRTIO_BLK_CONFIG_H

#include <tern/kconfig.h>
#include <tern/types.h>
#include <virt/virtio_blk.h>

struct platform;

/* Each VM's disk as Kconfig sets it (virt/Kconfig.vm); boot-time descriptions override it. */
struct vblk_kconfig {
	bool host;
	bool read_only;
	unsigned int host_index;
	u64 host_offset_mb;
	u64 host_size_mb;
};

#define VBLK_KCONFIG(n)                                                                            \
	{                                                                                          \
		.host = IS_ENABLED(CONFIG_VM##n##_DISK_HOST),                                      \
		.read_only = IS_ENABLED(CONFIG_VM##n##_DISK_READ_ONLY),                            \
		.host_index = CONFIG_VM##n##_DISK_HOST_INDEX,                                      \
		.host_offset_mb = CONFIG_VM##n##_DISK_HOST_OFFSET_MB,                              \
		.host_size_mb = CONFIG_VM##n##_DISK_HOST_SIZE_MB,                                  \
	},

/* Kconfig only defines the symbols of VMs below NR_VMS. */
#define VBLK_KCONFIG_0 VBLK_KCONFIG(0)
#if CONFIG_NR_VMS > 1
#define VBLK_KCONFIG_1 VBLK_KCONFIG(1)
#else
#define VBLK_KCONFIG_1
#endif
#if CONFIG_NR_VMS > 2
#define VBLK_KCONFIG_2 VBLK_KCONFIG(2)
#else
#define VBLK_KCONFIG_2
#endif
#if CONFIG_NR_VMS > 3
#define VBLK_KCONFIG_3 VBLK_KCONFIG(3)
#else
#define VBLK_KCONFIG_3
#endif
#if CONFIG_NR_VMS > 4
#define VBLK_KCONFIG_4 VBLK_KCONFIG(4)
#else
#define VBLK_KCONFIG_4
#endif
#if CONFIG_NR_VMS > 5
#define VBLK_KCONFIG_5 VBLK_KCONFIG(5)
#else
#define VBLK_KCONFIG_5
#endif
#if CONFIG_NR_VMS > 6
#define VBLK_KCONFIG_6 VBLK_KCONFIG(6)
#else
#define VBLK_KCONFIG_6
#endif
#if CONFIG_NR_VMS > 7
#define VBLK_KCONFIG_7 VBLK_KCONFIG(7)
#else
#define VBLK_KCONFIG_7
#endif

#define VBLK_KCONFIG_TABLE                                                                         \
	VBLK_KCONFIG_0 VBLK_KCONFIG_1 VBLK_KCONFIG_2 VBLK_KCONFIG_3 VBLK_KCONFIG_4 VBLK_KCONFIG_5  \
	    VBLK_KCONFIG_6 VBLK_KCONFIG_7

/**
 * VM @vm's disk: a disk boot module makes it a RAM disk, a host-disk node a region of the
 * machine's disk; without either, what Kconfig says (a RAM disk then needs a module: none).
 * A "read-only" property or VMn_DISK_READ_ONLY makes it read-only.
 */
void vblk_disk_config(unsigned int vm, const struct platform *p, struct vblk_disk_cfg *cfg);

#ifdef CONFIG_VIRT_VIRTIO_BLK_HOST
static inline const struct vblk_backend_ops *vblk_host_ops(void)
{
	return &vblk_host_backend;
}
#else
static inline const struct vblk_backend_ops *vblk_host_ops(void)
{
	return NULL;
}
#endif

#endif
