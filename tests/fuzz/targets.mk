# SPDX-License-Identifier: GPL-2.0-only
# One line per fuzz target: $(call fuzz_target,NAME,REAL SOURCES,EXTRA FLAGS); the harness is
# tests/fuzz/fuzz_NAME.c and its seed corpus tests/fuzz/corpus/NAME/ (see Makefile).
# The two vGIC models' targets share a harness (VM, fakes, operation loop, list checks).
VGIC_HARNESS := tests/fuzz/fuzz_vgic_harness.c tests/unit/fake_vgic_hw.c
$(eval $(call fuzz_target,mmio_decode,arch/arm64/mmio_decode.c,))
$(eval $(call fuzz_target,vgic,virt/vgic.c virt/vgic_hw.c virt/vgic_v3.c virt/vgic_v3_dist.c virt/vgic_v3_redist.c virt/vgic_mmio.c $(VGIC_HARNESS),-DCONFIG_VIRT_GICV3=1 -DCONFIG_VIRT_IRQCHIP=1 -I$(srctree)/tests/unit))
$(eval $(call fuzz_target,vpl011,virt/vpl011.c core/console_rx.c core/console_vm.c core/printk.c core/format.c core/errno.c tests/unit/support.c,-DCONFIG_VIRT_PL011=1 -lfdt))
$(eval $(call fuzz_target,vpsci,core/vpsci.c tests/unit/stub_printk.c,-I$(srctree)/tests/unit))
$(eval $(call fuzz_target,platform_fdt,core/platform_fdt.c core/platform_summary.c core/strtab.c core/fdt_util.c core/exit_status.c core/format.c drivers/gic_fdt.c drivers/gicv2_fdt.c drivers/gicv3_fdt.c drivers/pl011_fdt.c drivers/cdns_uart_fdt.c tests/unit/stub_drivers.c tests/unit/stub_printk.c tests/unit/support.c,-I$(srctree)/tests/unit -lfdt))
$(eval $(call fuzz_target,guest_fdt,core/guest_fdt.c core/format.c tests/unit/stub_printk.c,-I$(srctree)/tests/unit -lfdt))
$(eval $(call fuzz_target,virtqueue,virt/virtqueue.c virt/virtio_blk_req.c,))
$(eval $(call fuzz_target,vgic_v2,virt/vgic.c virt/vgic_hw.c virt/vgic_v2.c virt/vgic_v2_dist.c virt/vgic_mmio.c $(VGIC_HARNESS) tests/unit/stub_printk.c,-DCONFIG_VIRT_GICV2=1 -DCONFIG_VIRT_IRQCHIP=1 -I$(srctree)/tests/unit))
