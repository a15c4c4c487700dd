/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef UNIT_STUB_PRINTK_H
#define UNIT_STUB_PRINTK_H

#include <stdbool.h>

/* Tests that link stub_printk.c instead of core/printk.c inspect what the code under test logged.
 */
void stub_printk_reset(void);
const char *stub_printk_log(void);
bool stub_printk_contains(const char *needle);

#endif
