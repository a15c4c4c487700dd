# SPDX-License-Identifier: GPL-2.0-only
# The vCPU scheduler against a fake counter and timer event, scripted guest runs and recorded
# kick SGIs, on two fake pCPUs.
UNIT_TESTS += sched
sched-srcs := core/sched.c tests/unit/stub_printk.c tests/unit/test_sched.c
sched-cflags := -DCONFIG_VIRT_GICV3=1 -DCONFIG_VIRT_IRQCHIP=1 -DCONFIG_VIRT_PL011=1 -DCONFIG_SCHED_SLICE_MS=10 \
	-DCONFIG_SCHED_WAKE_GRANULARITY_US=1000
