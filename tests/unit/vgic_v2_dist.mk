# SPDX-License-Identifier: GPL-2.0-only
# The emulated GICv2 distributor and the vGIC register-table machinery, against fake VM plumbing.
UNIT_TESTS += vgic_v2_dist
vgic_v2_dist-srcs := virt/vgic_v2_dist.c virt/vgic_mmio.c tests/unit/test_vgic_v2_dist.c tests/unit/stub_vgic_active.c
