# SPDX-License-Identifier: GPL-2.0-only
# Guest PSCI/SMCCC against fake VM and scheduler services, including racing CPU_ONs.
UNIT_TESTS += vpsci
vpsci-srcs := core/vpsci.c tests/unit/stub_printk.c tests/unit/test_vpsci.c
vpsci-cflags := -pthread
