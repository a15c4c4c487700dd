# SPDX-License-Identifier: GPL-2.0-only
# The emulated GICv3 redistributors (with the distributor, whose lock they share).
UNIT_TESTS += vgic_redist
vgic_redist-srcs := virt/vgic_v3_redist.c virt/vgic_v3_dist.c virt/vgic_mmio.c \
	tests/unit/test_vgic_redist.c tests/unit/stub_vgic_active.c tests/unit/unit_pages.c
