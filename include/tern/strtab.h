/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_STRTAB_H
#define TERN_STRTAB_H

#include <tern/types.h>

/*
 * Name tables of cold paths (dumps, reports, log messages) as one string literal, the names
 * packed one after another with their NULs: "first\0" "second\0". A table of pointers costs 8
 * bytes and a boot-time relocation per entry; this costs the walk over the names before the one
 * asked for.
 */

/** Name @n (from 0) of the packed table @tab of sizeof @size; NULL past its last name. */
const char *strtab_nth(const char *tab, size_t size, size_t n);

/**
 * Name of @code in the packed table @tab of sizeof @size whose name i belongs to @codes[i]
 * (@nr codes, for sparse code spaces); NULL if @code is not among them.
 */
const char *strtab_find(const char *tab, size_t size, const u8 *codes, size_t nr,
			unsigned int code);

#endif
