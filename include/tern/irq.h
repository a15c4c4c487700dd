/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_IRQ_H
#define TERN_IRQ_H

#include <tern/types.h>

#define IRQ_NR_INTIDS 1020
#define IRQ_SPURIOUS  1023

typedef void (*irq_handler_t)(unsigned int intid, void *priv);

/*
 * Install @fn for physical @intid and enable it: an SGI/PPI on the calling pCPU only (each
 * pCPU enables its own), an SPI routed to the calling pCPU.
 */
int irq_request(unsigned int intid, irq_handler_t fn, void *priv);
/*
 * Like irq_request, for an interrupt the handler forwards to a guest through a hardware-linked
 * list register: Tern only drops its priority; the guest's deactivation deactivates it. A
 * handler that ends up not forwarding it calls irq_deactivate().
 */
int irq_request_forwarded(unsigned int intid, irq_handler_t fn, void *priv);
void irq_deactivate(unsigned int intid);
/* Active state of a private interrupt (SGI/PPI) of the calling pCPU. */
bool irq_get_active(unsigned int intid);
void irq_set_active(unsigned int intid, bool active);
void irq_enable(unsigned int intid);
/* Send SGI @sgi (0-15) to the pCPU with @mpidr. */
void irq_send_sgi(unsigned int sgi, u64 mpidr);
void irq_disable(unsigned int intid);
/* @intid, already acknowledged on this pCPU, is the first one the next el2_irq() handles. */
void irq_hand_over(unsigned int intid);

#endif
