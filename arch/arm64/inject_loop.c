// SPDX-License-Identifier: GPL-2.0-only
/* Exception loops in guests, from the sequence of exceptions Tern injects (see the header). */
#include <asm/inject_loop.h>

void inject_loop_reset(struct inject_history *h)
{
	h->valid = false;
	h->repeats = 0;
}

enum inject_loop_verdict inject_loop_check(struct inject_history *h, const struct inject_event *e)
{
	const struct inject_event *p = &h->last;
	enum inject_loop_verdict v = INJECT_LOOP_NONE;

	if (h->valid && e->from_el1 && e->pc == p->target && e->elr == p->pc) {
		/* Taken at the vector, with ELR_EL1 as Tern left it: not one instruction ran. */
		v = INJECT_LOOP_VECTOR;
	} else if (h->valid && e->from_el1 && e->esr == p->esr && e->far == p->far &&
		   e->pc == p->pc && e->elr == e->pc) {
		if (++h->repeats >= INJECT_LOOP_REPEATS)
			v = INJECT_LOOP_REPEAT;
	} else {
		h->repeats = 0;
	}
	h->last = *e;
	h->valid = true;
	return v;
}
