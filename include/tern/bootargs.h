/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_BOOTARGS_H
#define TERN_BOOTARGS_H

/*
 * Tern's own options, from the host DT's /chosen/bootargs (docs/bootargs.md). Unknown options
 * are reported and ignored; returns the number of options that were rejected.
 */
int bootargs_parse(const char *cmdline);

/* Value of the "tern.test=" option (DEBUG_PANIC_HOOK builds only), or NULL. */
const char *bootargs_test_hook(void);

#endif
