/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_INTEGRITY_H
#define TERN_INTEGRITY_H

#include <tern/types.h>

struct platform;
struct vm;

/*
 * Checksums of what no guest may ever change: Tern's text and rodata, every boot module (the
 * pristine images VM resets reload) and every VM's pristine device tree. Tern's and the modules'
 * are taken before the first guest runs, a VM's DT when the VM is created; each is verified when
 * the machine powers off, a VM's DT also when the VM is torn down (before its pages are freed):
 * a cheap end-to-end check of VM isolation.
 */
void integrity_snapshot(const struct platform *p);
/* Checksum VM @vm's pristine DT (just created). */
void integrity_vm_add(const struct vm *vm);
/* Verify VM @vm's pristine DT and forget it (the VM is torn down); 1 if it changed, else 0. */
unsigned int integrity_vm_drop(const struct vm *vm);
/* Returns the number of regions that changed (each is reported). */
unsigned int integrity_verify(void);

#endif
