// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names for Tern's error codes, for log messages. The numbers follow POSIX, the words follow
 * Tern: E2BIG means an image, device tree or table that does not fit where it must go.
 */
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/types.h>

/*
 * By code, not indexed by it: the codes are sparse (up to 95), and names held in the rows need
 * no pointers (nor relocations). Keep names under 27 characters: a longer one is a build error
 * (-Werror), one of exactly 27 would lose its NUL.
 */
static const struct {
	u8 code;
	char name[27];
} tern_errors[] = {
	{ TERN_EPERM, "operation not permitted" },
	{ TERN_ENOENT, "no such entry" },
	{ TERN_EIO, "I/O error" },
	{ TERN_E2BIG, "too big (does not fit)" },
	{ TERN_ENOMEM, "out of memory" },
	{ TERN_EFAULT, "bad address" },
	{ TERN_EBUSY, "device or resource busy" },
	{ TERN_EEXIST, "already exists" },
	{ TERN_ENODEV, "no such device" },
	{ TERN_EINVAL, "invalid argument" },
	{ TERN_ENOSPC, "no space left" },
	{ TERN_ERANGE, "result out of range" },
	{ TERN_ENOSYS, "function not implemented" },
	{ TERN_ENOTSUP, "operation not supported" },
};

/** Accepts the code negative (as functions return it) or positive. */
const char *tern_strerror(int err)
{
	unsigned int e = err < 0 ? -(unsigned int)err : (unsigned int)err;

	for (size_t i = 0; i < ARRAY_SIZE(tern_errors); i++) {
		if (tern_errors[i].code == e)
			return tern_errors[i].name;
	}
	return "unknown error";
}
