/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_LIBC_STDLIB_H
#define TERN_LIBC_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif
