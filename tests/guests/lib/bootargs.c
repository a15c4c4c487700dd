// SPDX-License-Identifier: GPL-2.0-only
/* The guest's /chosen/bootargs and its key=value options. */
#include "libguest.h"

struct bootargs_ctx {
	bool in_chosen;
	const char *val;
};

static void bootargs_begin(void *ctx, int depth, const char *name)
{
	struct bootargs_ctx *c = ctx;

	c->in_chosen = depth == 1 && !strcmp(name, "chosen");
}

static void bootargs_prop(void *ctx, int depth, const char *name, const void *val, u32 len)
{
	struct bootargs_ctx *c = ctx;

	if (c->in_chosen && depth == 1 && !strcmp(name, "bootargs") && len)
		c->val = val;
}

const char *guest_bootargs(void)
{
	struct bootargs_ctx c = { 0 };
	struct fdt_walker w = {
		.begin_node = bootargs_begin,
		.prop = bootargs_prop,
		.ctx = &c,
	};

	if (!guest_boot_dtb || !fdt_totalsize((const void *)guest_boot_dtb) ||
	    !fdt_walk((const void *)guest_boot_dtb, &w))
		return "";
	return c.val ? c.val : "";
}

bool bootarg_get(const char *key, char *buf, size_t size)
{
	const char *s = guest_bootargs();
	size_t klen = strlen(key);

	while (*s) {
		size_t len = 0;

		while (*s == ' ')
			s++;
		while (s[len] && s[len] != ' ')
			len++;
		if (len > klen && s[klen] == '=' && !strncmp(s, key, klen)) {
			size_t n = len - klen - 1;

			if (n >= size)
				return false;
			memcpy(buf, s + klen + 1, n);
			buf[n] = '\0';
			return true;
		}
		s += len;
	}
	return false;
}
