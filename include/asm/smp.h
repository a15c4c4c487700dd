/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <tern/platform.h>

/* Start the secondary pCPUs Kconfig asks for (MULTI_PCPU); returns how many pCPUs are online. */
unsigned int smp_boot_secondaries(const struct platform *p);
/* C entry of a secondary pCPU, from head.S with its MMU on. */
void secondary_main(void) __attribute__((noreturn));

#endif
