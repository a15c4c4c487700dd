# SPDX-License-Identifier: GPL-2.0-only
# The guest DT writer: blobs parsed back with host libfdt and decompiled by dtc (run by the test).
UNIT_TESTS += guest_fdt
guest_fdt-srcs := core/guest_fdt.c core/format.c tests/unit/test_guest_fdt.c \
	tests/unit/stub_printk.c
DTC ?= dtc
guest_fdt-cflags = -DUNIT_DTC='"$(DTC)"'
