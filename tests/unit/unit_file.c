// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "unit_helpers.h"

void *unit_load_data(const char *relpath, size_t *size)
{
	const char *dir = getenv("UNIT_DATA");
	char path[512];
	FILE *f;
	long len;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/unit", relpath);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return buf;
}
