# SPDX-License-Identifier: GPL-2.0-only
# The virtio-mmio transport window on the real device list and MMIO registry, a fake device.
UNIT_TESTS += virtio_mmio
virtio_mmio-srcs := virt/virtio_mmio.c virt/virtqueue.c core/vdev.c core/mmio.c core/format.c \
	core/errno.c tests/unit/stub_printk.c tests/unit/unit_pages.c tests/unit/test_virtio_mmio.c
virtio_mmio-cflags := -DCONFIG_VIRT_VIRTIO_MMIO=1 -DCONFIG_VM3_VIRTIO_MMIO=1
