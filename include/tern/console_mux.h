/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_CONSOLE_MUX_H
#define TERN_CONSOLE_MUX_H

struct platform;
struct vm;

/*
 * Console input: what is typed on Tern's UART goes to one VM at a time (VM 0 first). Ctrl-]
 * followed by a digit switches to that VM (docs/guests.md).
 */
void console_mux_init(const struct platform *p, struct vm *vms, unsigned int nr);
/* One received character (called from the host UART's interrupt). */
void console_mux_input(char c);

#endif
