# SPDX-License-Identifier: GPL-2.0-only
# vm_create/vm_destroy with the real stage-2 code, RAM, MMIO registry, device list (vGIC, PL011),
# loader and guest DT writer, over the buddy allocator with an injected failure at every step.
# Built twice: stage 2 with blocks (as on hardware) and with pages only (QEMU's virt boards).
UNIT_TESTS += vm_create
vm_create-srcs := core/vm_create.c core/vm.c core/strtab.c core/vm_ram_demand.c core/vm_load.c core/vdev.c core/guest_type.c core/mmio.c core/page_alloc.c \
	core/guest_fdt.c core/format.c core/loader.c core/errno.c core/platform_fdt.c \
	core/fdt_util.c core/platform_summary.c core/exit_status.c core/console_rx.c arch/arm64/stage2.c \
	drivers/gic_fdt.c drivers/gicv2_fdt.c drivers/gicv3_fdt.c drivers/pl011_fdt.c drivers/cdns_uart_fdt.c tests/unit/stub_drivers.c virt/vgic.c virt/vgic_hw.c virt/vgic_v3.c virt/vgic_mmio.c \
	virt/vgic_v3_dist.c virt/vgic_v3_redist.c virt/vgic_vdev.c virt/vgic_fdt.c virt/vpl011.c \
	tests/unit/stub_printk.c tests/unit/support.c tests/unit/unit_arena.c tests/unit/fake_vgic_hw.c \
	tests/unit/test_vm_create.c
vm_create-cflags := -DCONFIG_STAGE2_BLOCKS=1 -DCONFIG_VIRT_GICV3=1 -DCONFIG_VIRT_IRQCHIP=1 -DCONFIG_VIRT_PL011=1 -DCONFIG_VM0_VGICV3=1 \
	-DCONFIG_VM0_VPL011=1 -DCONFIG_VM1_VGICV3=1
UNIT_TESTS += vm_create_pages
vm_create_pages-srcs := $(vm_create-srcs)
vm_create_pages-cflags := $(filter-out -DCONFIG_STAGE2_BLOCKS=1,$(vm_create-cflags))
