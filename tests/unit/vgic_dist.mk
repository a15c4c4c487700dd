# SPDX-License-Identifier: GPL-2.0-only
# The emulated GICv3 distributor and the vGIC register-table machinery, against fake VM plumbing.
UNIT_TESTS += vgic_dist
vgic_dist-srcs := virt/vgic_v3_dist.c virt/vgic_mmio.c tests/unit/test_vgic_dist.c tests/unit/stub_vgic_active.c tests/unit/unit_pages.c
