# SPDX-License-Identifier: GPL-2.0-only
# The GICv2 list-register layer (GICH_LR encoding, hardware-linked values emulated with the EOI
# maintenance interrupt) over a GICH frame in host memory.
UNIT_TESTS += vgic_hw_v2
vgic_hw_v2-srcs := virt/vgic_hw_v2.c virt/vgic_hw.c tests/unit/support.c tests/unit/test_vgic_hw_v2.c
