// SPDX-License-Identifier: GPL-2.0-only
/*
 * core/hypcon.c with the real printk on a fake console: what is typed is edited and echoed on the
 * prompt's line (shown again when other output ended it), Enter hands the line over to the pCPU
 * that took it and only that pCPU runs it, one line at a time; the parser finds the command,
 * checks its argument and VM number, and answers everything else with one line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <tern/console.h>
#include <tern/hypcon.h>
#include <tern/percpu.h>
#include <tern/printk.h>

static char out[1 << 16];
static size_t out_len;

static void fake_write(struct console *con, const char *s, size_t len)
{
	(void)con;
	assert_true(out_len + len < sizeof(out));
	memcpy(out + out_len, s, len);
	out_len += len;
	out[out_len] = '\0';
}

static struct console fake = { .write = fake_write };
static struct pcpu pcpu1 = { .id = 1, .online = true };
static struct pcpu *pcpu0;

/* What the fake commands saw. */
static char ran[256];
static unsigned int returns_to_tern;

void sched_return_to_tern(void)
{
	returns_to_tern++;
}

static void cmd_plain(unsigned int vm)
{
	assert_int_equal(vm, 0);
	strcat(ran, "plain;");
}

static void cmd_vm(unsigned int vm)
{
	char s[16];

	snprintf(s, sizeof(s), "vm%u;", vm);
	strcat(ran, s);
}

const struct hypcon_cmd hypcon_cmds[] = {
	{ "plain", false, "no argument", cmd_plain },
	{ "pause", true, "one VM", cmd_vm },
};
const unsigned int hypcon_nr_cmds = 2;

static int setup(void **state)
{
	(void)state;
	out_len = 0;
	out[0] = '\0';
	ran[0] = '\0';
	returns_to_tern = 0;
	if (!pcpu0)
		pcpu0 = unit_this_pcpu;
	unit_this_pcpu = pcpu0;
	console_register(&fake);
	/* Whatever an earlier test left: a line ends, the hand-over is free. */
	hypcon_input('\r');
	hypcon_poll();
	out_len = 0;
	out[0] = '\0';
	ran[0] = '\0';
	returns_to_tern = 0;
	return 0;
}

static void type(const char *s)
{
	for (; *s; s++)
		assert_true(hypcon_input(*s));
}

static void test_closed_takes_nothing(void **state)
{
	(void)state;
	assert_false(hypcon_input('x'));
	assert_int_equal(out_len, 0);
}

static void test_edit_echo_and_run(void **state)
{
	(void)state;
	hypcon_open();
	type("plx\x7f");
	type("ain\x1b[A\x1bOB");
	assert_string_equal(out, "[c0] tern> plx\b \bain");
	type("\r");
	assert_false(hypcon_input('y')); /* closed again: the guest gets it */
	assert_int_equal(returns_to_tern, 1);
	assert_string_equal(ran, ""); /* not in the interrupt */
	hypcon_poll();
	assert_string_equal(ran, "plain;");
	hypcon_poll();
	assert_string_equal(ran, "plain;"); /* once */
}

static void test_cancel_and_empty(void **state)
{
	(void)state;
	hypcon_open();
	type("plain\x03");
	hypcon_poll();
	hypcon_open();
	type("\r");
	hypcon_poll();
	hypcon_open();
	type("pla\x1d");
	hypcon_poll();
	assert_string_equal(ran, "");
	assert_int_equal(returns_to_tern, 0);
	assert_non_null(strstr(out, "^C"));
}

static void test_only_the_taking_pcpu_runs_it(void **state)
{
	(void)state;
	hypcon_open();
	type("pause 1\r");
	unit_this_pcpu = &pcpu1;
	hypcon_poll();
	assert_string_equal(ran, "");
	unit_this_pcpu = pcpu0;
	hypcon_poll();
	assert_string_equal(ran, "vm1;");
}

static void test_one_line_at_a_time(void **state)
{
	(void)state;
	hypcon_open();
	type("pause 0\r");
	hypcon_open();
	type("pause 1\r");
	assert_non_null(strstr(out, "tern: busy"));
	hypcon_poll();
	assert_string_equal(ran, "vm0;");
}

static void test_echo_after_other_output(void **state)
{
	(void)state;
	hypcon_open();
	type("pa");
	/* Another pCPU writes a line: the prompt's line is over. */
	unit_this_pcpu = &pcpu1;
	printk(LOG_INFO, "something else\n");
	unit_this_pcpu = pcpu0;
	type("u");
	assert_string_equal(out, "[c0] tern> pa\n[c1] something else\n[c0] tern> pau");
}

static void test_overlong_line_is_cut(void **state)
{
	char line[200];

	(void)state;
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	hypcon_open();
	type(line);
	type("\r");
	hypcon_poll();
	assert_non_null(strstr(out, "unknown command \"aaaaaaaaaaaaaaaa\""));
	assert_string_equal(ran, "");
}

static void expect_reply(const char *line, const char *want, const char *want_ran)
{
	out_len = 0;
	out[0] = '\0';
	ran[0] = '\0';
	hypcon_run(line);
	assert_non_null(strstr(out, want));
	/* One line. */
	assert_ptr_equal(strchr(out, '\n'), out + out_len - 1);
	assert_string_equal(ran, want_ran);
}

static void test_parser(void **state)
{
	(void)state;
	hypcon_run("   ");
	assert_int_equal(out_len, 0);
	expect_reply("frob", "tern: unknown command \"frob\" (help lists the commands)", "");
	expect_reply("pause", "tern: pause: takes one VM number", "");
	expect_reply("pause 1 2", "tern: pause: takes one VM number", "");
	expect_reply("pause 1 2 3 4 5", "tern: pause: takes one VM number", "");
	expect_reply("plain 1", "tern: plain: takes no argument", "");
	expect_reply("pause 2", "tern: pause: no VM \"2\": VMs are numbered 0 to 1", "");
	expect_reply("pause -1", "no VM \"-1\"", "");
	expect_reply("pause 1x", "no VM \"1x\"", "");
	expect_reply("pause 99999999999999999999999", "no VM", "");
	out_len = 0;
	hypcon_run("  pause\t 1 ");
	assert_string_equal(ran, "vm1;");
	ran[0] = '\0';
	hypcon_run("plain");
	assert_string_equal(ran, "plain;");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_closed_takes_nothing, setup),
		cmocka_unit_test_setup(test_edit_echo_and_run, setup),
		cmocka_unit_test_setup(test_cancel_and_empty, setup),
		cmocka_unit_test_setup(test_only_the_taking_pcpu_runs_it, setup),
		cmocka_unit_test_setup(test_one_line_at_a_time, setup),
		cmocka_unit_test_setup(test_echo_after_other_output, setup),
		cmocka_unit_test_setup(test_overlong_line_is_cut, setup),
		cmocka_unit_test_setup(test_parser, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
