# SPDX-License-Identifier: GPL-2.0-only
# The virtio-blk request parser on crafted chains in a fake guest RAM.
UNIT_TESTS += virtio_blk_req
virtio_blk_req-srcs := virt/virtio_blk_req.c tests/unit/test_virtio_blk_req.c
