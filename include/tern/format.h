/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_FORMAT_H
#define TERN_FORMAT_H

#include <stdarg.h>
#include <tern/compiler.h>
#include <tern/types.h>

/*
 * printf-style formatting without libc: %d %i %u %x %X %o %c %s %p %%, flags '-', '0', '#', ' ',
 * '+', width and precision (also '*'), length modifiers hh h l ll z t j. Always NUL-terminates when
 * size > 0 and returns the length the full output would have had, as C99 snprintf does.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
