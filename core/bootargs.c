// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include <tern/bootargs.h>
#include <tern/compiler.h>
#include <tern/exit_status.h>
#include <tern/types.h>
#include <tern/kconfig.h>
#include <tern/printk.h>

#define BOOTARG_MAX 64

struct bootarg {
	const char *name;
	/* Returns false when the value is not acceptable. */
	bool (*set)(const char *val);
};

static char bootarg_test[BOOTARG_MAX];

static bool bootarg_loglevel(const char *val)
{
	char *end;
	unsigned long lvl = strtoul(val, &end, 10);

	if (end == val || *end || lvl < LOG_ERR || lvl > LOG_DEBUG)
		return false;
	printk_set_level((enum log_level)lvl);
	return true;
}

static bool bootarg_test_hook(const char *val)
{
	if (!IS_ENABLED(CONFIG_DEBUG_PANIC_HOOK)) {
		pr_warn("bootargs: tern.test needs a DEBUG_PANIC_HOOK build; ignored\n");
		return true;
	}
	if (strlen(val) >= sizeof(bootarg_test))
		return false;
	memcpy(bootarg_test, val, strlen(val) + 1);
	return true;
}

static const struct bootarg bootargs[] = {
	{ "loglevel", bootarg_loglevel },
	{ "tern.exit_token", exit_status_set_token },
	{ "tern.test", bootarg_test_hook },
};

const char *bootargs_test_hook(void)
{
	return bootarg_test[0] ? bootarg_test : NULL;
}

static int bootargs_apply(const char *opt)
{
	char name[BOOTARG_MAX];
	const char *eq = strchr(opt, '=');
	size_t nlen = eq ? (size_t)(eq - opt) : strlen(opt);

	if (nlen >= sizeof(name)) {
		pr_warn("bootargs: option too long: %s\n", opt);
		return 1;
	}
	memcpy(name, opt, nlen);
	name[nlen] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bootargs); i++) {
		if (strcmp(bootargs[i].name, name))
			continue;
		if (bootargs[i].set(eq ? eq + 1 : ""))
			return 0;
		pr_warn("bootargs: bad value in \"%s\", ignored\n", opt);
		return 1;
	}
	pr_warn("bootargs: unknown option \"%s\", ignored\n", opt);
	return 1;
}

int bootargs_parse(const char *cmdline)
{
	char opt[2 * BOOTARG_MAX];
	int rejected = 0;

	while (cmdline && *cmdline) {
		size_t len = 0;

		while (*cmdline == ' ' || *cmdline == '\t')
			cmdline++;
		while (cmdline[len] && cmdline[len] != ' ' && cmdline[len] != '\t')
			len++;
		if (!len)
			break;
		if (len >= sizeof(opt)) {
			pr_warn("bootargs: option too long, ignored\n");
			rejected++;
		} else {
			memcpy(opt, cmdline, len);
			opt[len] = '\0';
			rejected += bootargs_apply(opt);
		}
		cmdline += len;
	}
	return rejected;
}
