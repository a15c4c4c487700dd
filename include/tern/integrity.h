/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_INTEGRITY_H
#define TERN_INTEGRITY_H

#include <tern/types.h>

struct platform;
struct vm;

/*
 * Checksums of what no guest may ever change: Tern's text and rodata, every boot module (the
 * pristine images VM resets reload) and every VM's pristine device tree. Taken before the first
 * guest runs and verified when all have stopped: a cheap end-to-end check of VM isolation.
 */
void integrity_snapshot(const struct platform *p, struct vm *vms, unsigned int nr);
/* Returns the number of regions that changed (each is reported). */
unsigned int integrity_verify(void);

#endif
