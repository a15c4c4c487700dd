# SPDX-License-Identifier: GPL-2.0-only
# The host disk backend against a fake disk driver: splitting, sectors, flushes, answers.
UNIT_TESTS += vblk_host
vblk_host-srcs := virt/virtio_blk_host.c virt/virtio_blk_req.c tests/unit/stub_printk.c \
	tests/unit/test_vblk_host.c
vblk_host-cflags := -DCONFIG_VIRT_VIRTIO_BLK_HOST=1
