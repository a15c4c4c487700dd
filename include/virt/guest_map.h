/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_GUEST_MAP_H
#define VIRT_GUEST_MAP_H

/*
 * Where the emulated devices sit in every VM (docs/guests.md): QEMU virt's map, whatever the
 * host board is, so guests built for QEMU virt run unmodified. Guest RAM (GUEST_RAM_BASE) is the
 * core's and lives in tern/vm.h.
 */
#define GUEST_GICD_BASE	  0x08000000UL /* GICv2 and GICv3 distributor */
#define GUEST_GICC_BASE	  0x08010000UL /* GICv2 CPU interface (the host's GICV) */
#define GUEST_GICR_BASE	  0x080A0000UL /* GICv3 redistributors, one 128 KiB frame pair per vCPU */
#define GUEST_PL011_BASE  0x09000000UL
#define GUEST_PL011_INTID 33
#define GUEST_VIRTIO_BASE 0x0A000000UL

#endif
