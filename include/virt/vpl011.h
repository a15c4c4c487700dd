/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRT_VPL011_H
#define VIRT_VPL011_H

#include <tern/compiler.h>
#include <tern/console_rx.h>
#include <tern/kconfig.h>
#include <tern/types.h>

struct vm;
struct vpl011;

/** Size of the emulated PL011's MMIO region at GUEST_PL011_BASE. */
#define VPL011_MMIO_SIZE 0x1000UL
/** Bytes of the receive FIFO (the real PL011 has 16; more absorbs pastes between polls). */
#define VPL011_RX_FIFO_SIZE 64U
/** A partial output line is flushed to the VM's console when it reaches this length. */
#define VPL011_TX_LINE_SIZE 128U

/* PL011 register offsets (Arm DDI 0183 names). */
#define UARTDR	      0x000
#define UARTRSR	      0x004
#define UARTFR	      0x018
#define UARTILPR      0x020
#define UARTIBRD      0x024
#define UARTFBRD      0x028
#define UARTLCR_H     0x02C
#define UARTCR	      0x030
#define UARTIFLS      0x034
#define UARTIMSC      0x038
#define UARTRIS	      0x03C
#define UARTMIS	      0x040
#define UARTICR	      0x044
#define UARTDMACR     0x048
#define UARTPERIPHID0 0xFE0
#define UARTPCELLID0  0xFF0

#define UARTFR_BUSY BIT(3)
#define UARTFR_RXFE BIT(4)
#define UARTFR_TXFF BIT(5)
#define UARTFR_RXFF BIT(6)
#define UARTFR_TXFE BIT(7)

#define UARTCR_UARTEN BIT(0)
#define UARTCR_TXE    BIT(8)
#define UARTCR_RXE    BIT(9)

/* Interrupt bits, the same in IMSC, RIS, MIS and ICR. */
#define UARTINT_RI  BIT(0)
#define UARTINT_CTS BIT(1)
#define UARTINT_DCD BIT(2)
#define UARTINT_DSR BIT(3)
#define UARTINT_RX  BIT(4)
#define UARTINT_TX  BIT(5)
#define UARTINT_RT  BIT(6)
#define UARTINT_FE  BIT(7)
#define UARTINT_PE  BIT(8)
#define UARTINT_BE  BIT(9)
#define UARTINT_OE  BIT(10)
#define UARTINT_ALL GENMASK(10, 0)

#ifdef CONFIG_VIRT_PL011

/**
 * Create the VM's emulated PL011 (state in one zeroed page) at its reset values and register its
 * MMIO region at GUEST_PL011_BASE on @vm's bus. NULL when out of memory or the region is taken.
 * Output goes to vm_console_write(), its interrupt to vm_irq_set_level(@vm, GUEST_PL011_INTID).
 */
struct vpl011 *vpl011_create(struct vm *vm);
/** Unregister the MMIO region and free the state (VM teardown). */
void vpl011_destroy(struct vpl011 *u);
/**
 * Registers to their reset values, receive FIFO emptied, a pending partial output line flushed,
 * interrupt line lowered. The host-side receive ring keeps what was typed. For VM reset.
 */
void vpl011_reset(struct vpl011 *u);
/** The ring the host console's receive interrupt feeds with console_rx_push() for this VM. */
struct console_rx_ring *vpl011_rx_ring(struct vpl011 *u);
/**
 * Move what the ring holds into the receive FIFO and update the interrupt: call after pushing
 * characters into vpl011_rx_ring() (from the host UART's receive interrupt or a later poll).
 */
void vpl011_poll(struct vpl011 *u);
/**
 * Send a pending partial output line (a shell prompt, an echoed character) to the VM's console.
 * Output is otherwise held until '\n' or VPL011_TX_LINE_SIZE bytes, so that lines of several VMs
 * do not interleave: call it when the guest goes idle (a vCPU traps on WFI) and periodically.
 * vpl011_poll() also flushes.
 */
void vpl011_flush(struct vpl011 *u);
/**
 * Write the device's node into a guest tree under construction with libfdt's sequential-write
 * API (between fdt_begin_node of the root, whose #address-cells and #size-cells are 2, and its
 * fdt_end_node). @clk_phandle is the phandle of a fixed-clock node, which the caller writes, used
 * for both "uartclk" and "apb_pclk" as Linux's AMBA bus needs. Returns 0 or a libfdt error.
 */
int vpl011_fdt_node(void *fdt, const struct vpl011 *u, u32 clk_phandle);

#else

static inline struct vpl011 *vpl011_create(struct vm *vm)
{
	(void)vm;
	return NULL;
}

static inline void vpl011_destroy(struct vpl011 *u)
{
	(void)u;
}

static inline void vpl011_reset(struct vpl011 *u)
{
	(void)u;
}

static inline struct console_rx_ring *vpl011_rx_ring(struct vpl011 *u)
{
	(void)u;
	return NULL;
}

static inline void vpl011_poll(struct vpl011 *u)
{
	(void)u;
}

static inline void vpl011_flush(struct vpl011 *u)
{
	(void)u;
}

static inline int vpl011_fdt_node(void *fdt, const struct vpl011 *u, u32 clk_phandle)
{
	(void)fdt;
	(void)u;
	(void)clk_phandle;
	return 0;
}

#endif

#endif
