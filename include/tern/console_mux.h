/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_CONSOLE_MUX_H
#define TERN_CONSOLE_MUX_H

#include <tern/types.h>

struct platform;
struct vm;

/*
 * Console input: what is typed on Tern's UART goes to one VM at a time (VM 0 first). Ctrl-]
 * followed by a digit switches to that VM, Ctrl-] then ':' opens the hypervisor console
 * (docs/guests.md, docs/operating.md).
 */
void console_mux_init(const struct platform *p, struct vm *vms, unsigned int nr);
/* One received character (called from the host UART's interrupt). */
void console_mux_input(char c);
/* Send what is typed to VM @id from now on; false if it has no console (or does not exist). */
bool console_mux_focus(unsigned int id);

#endif
