# SPDX-License-Identifier: GPL-2.0-only
# The per-VM policies for a guest's reset, power-off and crash, against fake vm_stop/vm_reset.
UNIT_TESTS += vm_policy
vm_policy-srcs := core/vm_policy.c tests/unit/stub_printk.c tests/unit/test_vm_policy.c
