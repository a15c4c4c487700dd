/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VM_CTL_H
#define TERN_VM_CTL_H

#include <tern/types.h>

struct platform;

/*
 * Whole-VM operations for the operator (the hypervisor console) and the boot sequence. Each runs
 * in a pCPU's scheduler loop with no vCPU loaded there, takes VM @id's life lock, may wait for
 * the VM's vCPUs on other pCPUs to leave them, and never stops another VM. They return 0 or a
 * negative error with *@why saying, for the operator, what is in the way.
 */

/* The boot modules VMs are created from (set once at boot). */
void vm_ctl_init(const struct platform *p);
/* Create VM @id from its Kconfig layout and boot modules and start it (a stopped one is torn
 * down first). */
int vm_ctl_start(unsigned int id, const char **why);
/* Stop VM @id if it runs and tear it down: every page it had goes back to the allocator. */
int vm_ctl_stop(unsigned int id, const char **why);
/*
 * Pause VM @id: every vCPU leaves the guest at its next exit and its pCPU, and stays off every
 * run queue until resume; the guest's clocks run on (docs/operating.md). Other VMs go on.
 */
int vm_ctl_pause(unsigned int id, const char **why);
int vm_ctl_resume(unsigned int id, const char **why);
/* Restart VM @id from its pristine images (one that is stopped or gone is created anew). */
int vm_ctl_restart(unsigned int id, const char **why);
/* VM @id has a kernel boot module: it can be created. */
bool vm_ctl_has_kernel(unsigned int id);
/* Pages the allocator has handed out. */
u64 vm_ctl_pages_in_use(void);

#endif
