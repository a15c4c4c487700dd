# SPDX-License-Identifier: GPL-2.0-only
# The split-virtqueue walker on crafted rings in a fake guest RAM.
UNIT_TESTS += virtqueue
virtqueue-srcs := virt/virtqueue.c tests/unit/test_virtqueue.c
