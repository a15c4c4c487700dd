// SPDX-License-Identifier: GPL-2.0-only
/* Packed name tables (tern/strtab.h). */
#include <string.h>
#include <tern/strtab.h>

const char *strtab_nth(const char *tab, size_t size, size_t n)
{
	/* The literal's own NUL follows the last name's: names end before it. */
	const char *end = tab + size - 1;

	while (tab < end && n--)
		tab += strlen(tab) + 1;
	return tab < end ? tab : NULL;
}

const char *strtab_find(const char *tab, size_t size, const u8 *codes, size_t nr, unsigned int code)
{
	for (size_t i = 0; i < nr; i++) {
		if (codes[i] == code)
			return strtab_nth(tab, size, i);
	}
	return NULL;
}
