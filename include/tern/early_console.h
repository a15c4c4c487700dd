/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_EARLY_CONSOLE_H
#define TERN_EARLY_CONSOLE_H

#include <tern/types.h>

#ifndef CONFIG_EARLY_CONSOLE_BASE
#define CONFIG_EARLY_CONSOLE_BASE 0
#endif

/* The board's early console (CONFIG_EARLY_CONSOLE), usable with the MMU off. */
static inline paddr_t early_console_base(void)
{
	return CONFIG_EARLY_CONSOLE_BASE;
}

/* Register the early console as printk's output; does nothing without CONFIG_EARLY_CONSOLE. */
void early_console_init(void);

#endif
