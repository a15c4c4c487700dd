/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_INJECT_LOOP_H
#define ASM_INJECT_LOOP_H

/*
 * Recognising a guest that cannot leave an exception loop, from the exceptions Tern injects
 * (arch/arm64/inject_loop.c, host-tested in tests/unit/test_inject.c). Two patterns:
 * - the vector base is not executable guest memory: the exception Tern just delivered faults
 *   at the very vector it was sent to, before the handler could do anything;
 * - no progress: the same exception (ESR, FAR) at the same EL1 PC, again and again, each time
 *   with ELR_EL1 still pointing at that PC (the handler returned to the faulting instruction
 *   unchanged, or faulted there itself). A handler that skips the instruction, or an EL0
 *   program the guest kernel keeps restarting, is progress and never stopped here.
 */
#include <tern/types.h>

/* Identical no-progress injections in a row before the guest is declared stuck. */
#define INJECT_LOOP_REPEATS 64

struct inject_event {
	u64 esr;    /* ESR_EL1 of the exception to inject */
	u64 far;    /* FAR_EL1 (0 when none) */
	u64 pc;	    /* where it was taken (becomes ELR_EL1) */
	u64 elr;    /* the guest's ELR_EL1 before this injection */
	u64 target; /* the vector it is sent to */
	bool from_el1;
};

/* Per vCPU: the last injection and how often it repeated. */
struct inject_history {
	struct inject_event last;
	unsigned int repeats;
	bool valid;
};

enum inject_loop_verdict {
	INJECT_LOOP_NONE,
	INJECT_LOOP_VECTOR, /* the vector it was sent to faulted */
	INJECT_LOOP_REPEAT, /* INJECT_LOOP_REPEATS identical injections without progress */
};

enum inject_loop_verdict inject_loop_check(struct inject_history *h, const struct inject_event *e);
void inject_loop_reset(struct inject_history *h);

#endif
