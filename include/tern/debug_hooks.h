/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_DEBUG_HOOKS_H
#define TERN_DEBUG_HOOKS_H

#include <tern/kconfig.h>

#ifdef CONFIG_DEBUG_PANIC_HOOK
/* Act on "tern.test=<what>": deliberately crash Tern so tests can check the panic path. */
void debug_hook_run(const char *what);
#else
static inline void debug_hook_run(const char *what)
{
	(void)what;
}
#endif

#endif
