// SPDX-License-Identifier: GPL-2.0-only
/* printk through a fake console: prefixes, levels, truncation, continuations, pCPUs, locking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <tern/console.h>
#include <tern/errno.h>
#include <tern/percpu.h>
#include <tern/printk.h>

/* Mirrors core/printk.c. */
#define PRINTK_MSG_MAX	    256
#define PRINTK_TRUNC_MARKER "[...]"

struct fake_console {
	struct console con;
	char buf[16384];
	size_t len;
	unsigned int writes;
	/* Called from inside write, once per write while set. */
	void (*hook)(void);
};

static void fake_write(struct console *con, const char *s, size_t len)
{
	struct fake_console *fc = container_of(con, struct fake_console, con);

	assert_true(fc->len + len < sizeof(fc->buf));
	memcpy(fc->buf + fc->len, s, len);
	fc->len += len;
	fc->buf[fc->len] = '\0';
	fc->writes++;
	if (fc->hook)
		fc->hook();
}

static struct fake_console fake = { .con = { .write = fake_write } };
static struct fake_console fake2 = { .con = { .write = fake_write } };

static struct pcpu cpus[] = { { .id = 0 }, { .id = 1 }, { .id = 3 }, { .id = 7 }, { .id = 12 } };

static void fake_reset(struct fake_console *fc)
{
	fc->len = 0;
	fc->buf[0] = '\0';
	fc->writes = 0;
	fc->hook = NULL;
}

static void on_cpu(unsigned int i)
{
	unit_this_pcpu = &cpus[i];
}

static int setup(void **state)
{
	fake_reset(&fake);
	fake_reset(&fake2);
	console_register(&fake.con);
	on_cpu(0);
	return 0;
}

static int teardown(void **state)
{
	/* Every test leaves all lines ended, so the next one starts clean. */
	if (fake.len)
		assert_int_equal(fake.buf[fake.len - 1], '\n');
	printk_set_level(LOG_INFO);
	return 0;
}

static void test_default_level(void **state)
{
	assert_int_equal(printk_get_level(), LOG_INFO);
	pr_debug("hidden\n");
	pr_info("shown\n");
	assert_string_equal(fake.buf, "[c0] shown\n");
}

static void test_prefix_and_format(void **state)
{
	printk(LOG_INFO, "hello %d %s %#x\n", 5, "world", 0xabcU);
	assert_string_equal(fake.buf, "[c0] hello 5 world 0xabc\n");
	assert_ptr_equal(console_get(), &fake.con);
}

static void test_levels(void **state)
{
	pr_err("bad %d\n", 1);
	pr_warn("odd\n");
	pr_info("fine\n");
	pr_debug("noise\n");
	assert_string_equal(fake.buf, "[c0] error: bad 1\n[c0] warning: odd\n[c0] fine\n");

	fake_reset(&fake);
	printk_set_level(LOG_DEBUG);
	assert_int_equal(printk_get_level(), LOG_DEBUG);
	pr_debug("noise\n");
	assert_string_equal(fake.buf, "[c0] noise\n");

	fake_reset(&fake);
	printk_set_level(LOG_ERR);
	pr_warn("odd\n");
	pr_info("fine\n");
	pr_err("bad\n");
	assert_string_equal(fake.buf, "[c0] error: bad\n");

	fake_reset(&fake);
	printk_set_level(LOG_WARN);
	pr_warn("odd\n");
	pr_info("fine\n");
	assert_string_equal(fake.buf, "[c0] warning: odd\n");
}

static void test_multi_line(void **state)
{
	pr_info("one\ntwo\n\nfour\n");
	pr_err("a\nb\n");
	assert_string_equal(fake.buf, "[c0] one\n[c0] two\n[c0] \n[c0] four\n"
				      "[c0] error: a\n[c0] error: b\n");
}

static void test_continuation_same_cpu(void **state)
{
	pr_info("abc");
	pr_info("%s", "");
	pr_info("def");
	pr_info("ghi\n");
	pr_err("x=");
	pr_err("1\nnext");
	pr_info(" end\n");
	assert_string_equal(fake.buf, "[c0] abcdefghi\n[c0] error: x=1\n[c0] error: next end\n");
	/* Nothing at all for an empty message. */
	fake_reset(&fake);
	pr_info("%s", "");
	assert_int_equal(fake.writes, 0);
}

static void test_continuation_other_cpu(void **state)
{
	on_cpu(0);
	pr_info("abc");
	on_cpu(1);
	pr_info("xyz\n");
	on_cpu(0);
	pr_info("def\n");
	assert_string_equal(fake.buf, "[c0] abc\n[c1] xyz\n[c0] def\n");

	fake_reset(&fake);
	on_cpu(0);
	pr_err("abc");
	on_cpu(1);
	pr_warn("x");
	on_cpu(0);
	pr_err("d\n");
	on_cpu(1);
	pr_warn("y\n");
	assert_string_equal(fake.buf, "[c0] error: abc\n[c1] warning: x\n[c0] d\n[c1] y\n");

	/* Two pCPUs both mid-line, alternating. */
	fake_reset(&fake);
	on_cpu(2);
	pr_info("a");
	on_cpu(3);
	pr_info("b");
	on_cpu(2);
	pr_info("c");
	pr_info("d");
	on_cpu(3);
	pr_info("e\n");
	on_cpu(2);
	pr_info("\n");
	assert_string_equal(fake.buf, "[c3] a\n[c7] b\n[c3] cd\n[c7] e\n[c3] \n");
}

static void test_cpu_ids(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(cpus); i++) {
		char exp[32];

		fake_reset(&fake);
		on_cpu(i);
		pr_warn("on %u\n", cpus[i].id);
		snprintf(exp, sizeof(exp), "[c%u] warning: on %u\n", cpus[i].id, cpus[i].id);
		assert_string_equal(fake.buf, exp);
	}
	/* Beyond CONFIG_MAX_PCPUS no line state is kept: each message starts a line. */
	fake_reset(&fake);
	on_cpu(4);
	pr_info("a");
	pr_info("b\n");
	assert_string_equal(fake.buf, "[c12] a\n[c12] b\n");
}

static void test_truncation(void **state)
{
	char big[400], exp[600];
	size_t keep;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';

	/* Fits exactly: no marker. */
	pr_info("%.*s\n", PRINTK_MSG_MAX - 2, big);
	snprintf(exp, sizeof(exp), "[c0] %.*s\n", PRINTK_MSG_MAX - 2, big);
	assert_string_equal(fake.buf, exp);

	/* One more: truncated, marker, and the newline kept. */
	fake_reset(&fake);
	pr_err("%.*s\n", PRINTK_MSG_MAX - 1, big);
	keep = PRINTK_MSG_MAX - 1 - strlen(PRINTK_TRUNC_MARKER) - 1;
	snprintf(exp, sizeof(exp), "[c0] error: %.*s%s\n", (int)keep, big, PRINTK_TRUNC_MARKER);
	assert_string_equal(fake.buf, exp);

	/* Without a trailing newline the line stays open after the marker. */
	fake_reset(&fake);
	pr_info("%s", big);
	pr_info(" more\n");
	keep = PRINTK_MSG_MAX - 1 - strlen(PRINTK_TRUNC_MARKER);
	snprintf(exp, sizeof(exp), "[c0] %.*s%s more\n", (int)keep, big, PRINTK_TRUNC_MARKER);
	assert_string_equal(fake.buf, exp);

	/* A long multi-line message: prefixes on every line, marker at the end. */
	fake_reset(&fake);
	pr_info("%s\n%s\n", big, big);
	assert_non_null(strstr(fake.buf, PRINTK_TRUNC_MARKER "\n"));
	assert_int_equal(strlen(fake.buf), strlen("[c0] ") + PRINTK_MSG_MAX - 1);
}

static void prefixed(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_prefixed(level, "mod: ", fmt, ap);
	va_end(ap);
}

static void test_prefixed(void **state)
{
	char big[400], exp[600];
	size_t keep;

	/* One message: the pCPU and level tags, then the prefix, then the format. */
	prefixed(LOG_WARN, "a %d\n", 7);
	assert_string_equal(fake.buf, "[c0] warning: mod: a 7\n");
	fake_reset(&fake);
	prefixed(LOG_DEBUG, "hidden\n");
	assert_string_equal(fake.buf, "");
	/* A line left open is continued by the next message, prefix and all. */
	prefixed(LOG_INFO, "x");
	prefixed(LOG_INFO, "y\n");
	assert_string_equal(fake.buf, "[c0] mod: xmod: y\n");

	/* The prefix counts towards the length: truncated with the marker, the newline kept. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fake_reset(&fake);
	prefixed(LOG_INFO, "%.*s\n", PRINTK_MSG_MAX - 2 - 5, big);
	snprintf(exp, sizeof(exp), "[c0] mod: %.*s\n", PRINTK_MSG_MAX - 2 - 5, big);
	assert_string_equal(fake.buf, exp);
	fake_reset(&fake);
	prefixed(LOG_INFO, "%.*s\n", PRINTK_MSG_MAX - 1 - 5, big);
	keep = PRINTK_MSG_MAX - 1 - strlen(PRINTK_TRUNC_MARKER) - 1 - 5;
	snprintf(exp, sizeof(exp), "[c0] mod: %.*s%s\n", (int)keep, big, PRINTK_TRUNC_MARKER);
	assert_string_equal(fake.buf, exp);
}

static void test_console_replace(void **state)
{
	pr_info("early\n");
	console_register(&fake2.con);
	assert_ptr_equal(console_get(), &fake2.con);
	pr_info("real\n");
	assert_string_equal(fake.buf, "[c0] early\n");
	assert_string_equal(fake2.buf, "[c0] real\n");

	/* No console: messages are dropped. */
	console_register(NULL);
	assert_null(console_get());
	pr_err("nowhere\n");
	console_register(&fake.con);
	assert_string_equal(fake.buf, "[c0] early\n");
}

static void nested_printk(void)
{
	fake.hook = NULL;
	pr_err("nested\n");
}

static void panic_printk(void)
{
	fake.hook = NULL;
	printk_force_unlock();
	pr_err("panic\n");
}

static void test_locking(void **state)
{
	printk_enable_locking();
	pr_info("locked\n");
	on_cpu(1);
	pr_info("a");
	on_cpu(0);
	pr_info("b\n");
	assert_string_equal(fake.buf, "[c0] locked\n[c1] a\n[c0] b\n");
	on_cpu(1);
	pr_info("\n");

	/* printk from inside the console write would deadlock: it is dropped. */
	fake_reset(&fake);
	on_cpu(0);
	fake.hook = nested_printk;
	pr_info("outer\n");
	assert_string_equal(fake.buf, "[c0] outer\n");
	pr_info("after\n");
	assert_string_equal(fake.buf, "[c0] outer\n[c0] after\n");
}

/* Last: printk_force_unlock() is for good. */
static void test_force_unlock(void **state)
{
	printk_enable_locking();
	fake.hook = panic_printk;
	/* The panic hits while this pCPU holds the lock, inside the console write. */
	pr_info("dying\n");
	assert_string_equal(fake.buf, "[c0] dying\n[c0] error: panic\n");
	pr_info("still\n");
	assert_non_null(strstr(fake.buf, "[c0] still\n"));
}

static void test_strerror(void **state)
{
	assert_string_equal(tern_strerror(-TERN_EINVAL), "invalid argument");
	assert_string_equal(tern_strerror(TERN_EINVAL), "invalid argument");
	assert_string_equal(tern_strerror(-TERN_ENOMEM), "out of memory");
	assert_string_equal(tern_strerror(-TERN_ENOTSUP), "operation not supported");
	assert_string_equal(tern_strerror(0), "unknown error");
	assert_string_equal(tern_strerror(-3), "unknown error");
	assert_string_equal(tern_strerror(96), "unknown error");
	assert_string_equal(tern_strerror(-100000), "unknown error");
	assert_string_equal(tern_strerror(INT32_MIN), "unknown error");
	static const int codes[] = { TERN_EPERM,  TERN_ENOENT, TERN_EIO,    TERN_E2BIG,
				     TERN_ENOMEM, TERN_EFAULT, TERN_EBUSY,  TERN_EEXIST,
				     TERN_ENODEV, TERN_EINVAL, TERN_ENOSPC, TERN_ERANGE,
				     TERN_ENOSYS, TERN_ENOTSUP };
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
		assert_string_not_equal(tern_strerror(-codes[i]), "unknown error");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_default_level),
		T(test_prefix_and_format),
		T(test_levels),
		T(test_multi_line),
		T(test_continuation_same_cpu),
		T(test_continuation_other_cpu),
		T(test_cpu_ids),
		T(test_truncation),
		T(test_prefixed),
		T(test_console_replace),
		T(test_strerror),
		T(test_locking),
		T(test_force_unlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
