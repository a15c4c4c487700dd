# SPDX-License-Identifier: GPL-2.0-only
# The vGICv3 core (ap_lists, list registers, SGIs) with the real distributor and redistributors,
# against a fake hardware virtual CPU interface of four list registers.
UNIT_TESTS += vgic_core
vgic_core-srcs := virt/vgic.c virt/vgic_hw.c virt/vgic_v3.c virt/vgic_v3_redist.c virt/vgic_v3_dist.c virt/vgic_mmio.c \
	tests/unit/fake_vgic_hw.c tests/unit/test_vgic_core.c
vgic_core-cflags := -DCONFIG_VIRT_GICV3=1 -DCONFIG_VIRT_IRQCHIP=1
