/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef UNIT_STUB_VGIC_ACTIVE_H
#define UNIT_STUB_VGIC_ACTIVE_H

/*
 * The vGIC core's services the register models call (vgic_active_prepare/finish around an
 * active-bank access, sched_kick_flush after the lock), for tests of a register model alone:
 * each checks it is called outside the vGIC lock and that prepare and finish pair up.
 */
void stub_vgic_active_reset(void);

#endif
