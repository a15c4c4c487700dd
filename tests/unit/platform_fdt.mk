# SPDX-License-Identifier: GPL-2.0-only
# Platform discovery from the boot device tree: tests/dts/*.dts compiled to $(UOBJ)/dtb/*.dtb.
UNIT_TESTS += platform_fdt
platform_fdt-srcs := core/platform_fdt.c core/platform_summary.c core/strtab.c core/fdt_util.c core/exit_status.c \
	core/format.c drivers/gic_fdt.c drivers/gicv2_fdt.c drivers/gicv3_fdt.c drivers/pl011_fdt.c \
	drivers/cdns_uart_fdt.c tests/unit/stub_drivers.c \
	tests/unit/test_platform_fdt.c tests/unit/unit_file.c tests/unit/stub_printk.c tests/unit/support.c
platform_fdt-deps := $(patsubst $(srctree)/tests/dts/%.dts,$(UOBJ)/dtb/%.dtb, \
	$(wildcard $(srctree)/tests/dts/*.dts)) $(UOBJ)/dtb/board-xlnx-zcu102.dtb

DTC ?= dtc
$(UOBJ)/dtb/%.dtb: $(srctree)/tests/dts/%.dts $(wildcard $(srctree)/tests/dts/*.dtsi)
	@mkdir -p $(@D)
	$(DTC) -I dts -O dtb -o $@ $<

# A board's own device tree, as the board ships it.
$(UOBJ)/dtb/board-xlnx-zcu102.dtb: $(srctree)/boards/xlnx-zcu102/xlnx-zcu102.dts
	@mkdir -p $(@D)
	$(DTC) -I dts -O dtb -o $@ $<
