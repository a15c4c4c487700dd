/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <tern/platform.h>

/* Start the secondary pCPUs Kconfig asks for (MULTI_PCPU); returns how many pCPUs are online. */
unsigned int smp_boot_secondaries(const struct platform *p);
/* Let the secondaries start scheduling (the VMs exist). */
void smp_release_secondaries(void);
unsigned int smp_nr_online(void);
/* The online pCPUs, one bit per logical pCPU number (0 = the boot pCPU). */
u64 smp_online_mask(void);
/* The pCPU vCPU @i of a VM is pinned to: the i-th (mod n) pCPU of the non-empty mask @allowed. */
unsigned int smp_place_vcpu(unsigned int i, u64 allowed);
/* Per-pCPU set-up of the virtualisation hardware (vGIC maintenance, timer forwarding). */
void smp_pcpu_init_virt(void);
/* C entry of a secondary pCPU, from head.S with its MMU on. */
void secondary_main(void) __attribute__((noreturn));

#endif
