// SPDX-License-Identifier: GPL-2.0-only
/*
 * core/console_vm.c with the real printk on a fake console and a fake counter: whatever bytes
 * several VMs write, in whatever interleaving, every console line carries the tag of the VM that
 * wrote it (or is Tern's), holds no byte that could steer a terminal, is at most
 * CONFIG_CONSOLE_LINE_COLUMNS wide, and each VM's text can be put back together from its lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <tern/console.h>
#include <tern/console_vm.h>
#include <tern/printk.h>
#include <tern/vm.h>

#define NR_TEST_VMS 4
#define COLS	    CONFIG_CONSOLE_LINE_COLUMNS

static char out[1 << 20];
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
static u64 now;
static struct vm vms[NR_TEST_VMS];
static struct vcpu vcpus[NR_TEST_VMS];

u64 arch_timer_now(void)
{
	return now;
}

u64 arch_timer_freq(void)
{
	return 1000000; /* 1 tick = 1 us */
}

static int setup(void **state)
{
	(void)state;
	out_len = 0;
	out[0] = '\0';
	now = 1000;
	memset(vms, 0, sizeof(vms));
	memset(vcpus, 0, sizeof(vcpus));
	for (unsigned int i = 0; i < NR_TEST_VMS; i++) {
		vms[i].id = i;
		vms[i].state = VM_RUNNING;
		vms[i].nr_vcpus = 1;
		vms[i].vcpus[0] = &vcpus[i];
		vcpus[i].state = VCPU_RUNNING;
	}
	console_register(&fake);
	return 0;
}

static void vwrite(unsigned int vm, const char *s)
{
	vm_console_write(&vms[vm], s, strlen(s));
}

static void test_whole_lines_interleaved(void **state)
{
	(void)state;
	vwrite(0, "hello ");
	vwrite(1, "world\n");
	vwrite(0, "there\n");
	assert_string_equal(out, "[vm1] world\n[vm0] hello there\n");
}

static void test_control_bytes_escaped(void **state)
{
	(void)state;
	vwrite(0, "\r[vm1] VICTIM ok\r\n");
	vwrite(0, "\x1b[2K\r[c0] integrity: 99 regions unchanged\n");
	vm_console_write(&vms[0], "a\bb\x7f\xc2\x9b\x00z\tq\\x41\n", 15);
	vwrite(0, "crlf\r\n");
	assert_string_equal(out, "[vm0] \\x0d[vm1] VICTIM ok\n"
				 "[vm0] \\x1b[2K\\x0d[c0] integrity: 99 regions unchanged\n"
				 "[vm0] a\\x08b\\x7f\\xc2\\x9b\\x00z\tq\\\\x41\n"
				 "[vm0] crlf\n");
}

static void test_long_line_cut(void **state)
{
	char line[301];
	const char *p;

	(void)state;
	memset(line, 'a', 300);
	line[300] = '\0';
	vwrite(2, line);
	vwrite(2, "\n");
	assert_memory_equal(out, "[vm2] a", 7);
	for (p = out; *p; p = strchr(p, '\n') + 1) {
		size_t n = (size_t)(strchr(p, '\n') - p);

		assert_true(n <= COLS);
		assert_true(p == out ? !strncmp(p, "[vm2] ", 6) : !strncmp(p, "[vm2]+ ", 7));
	}
}

/* The tag carries the whole VM id, however many digits (printk_vm_tag). */
static void test_tag_vm_ids(void **state)
{
	(void)state;
	assert_true(console_emit_vm(12, false, "a", 1, false));
	assert_false(console_emit_vm(12, true, "b", 1, true));
	assert_true(console_emit_vm(4294967295U, true, "c", 1, true));
	assert_true(console_emit_vm(0, false, "", 0, true));
	assert_string_equal(out, "[vm12] ab\n[vm4294967295]+ c\n[vm0] \n");
}

static void test_prompt_flushed_when_idle(void **state)
{
	(void)state;
	vwrite(0, "prompt> ");
	vm_console_flush(&vms[0]); /* running: kept */
	assert_string_equal(out, "");
	vcpus[0].state = VCPU_BLOCKED;
	vm_console_flush(&vms[0]);
	assert_string_equal(out, "[vm0] prompt> ");
	vwrite(0, "l");
	vm_console_flush(&vms[0]);
	assert_string_equal(out, "[vm0] prompt> l");
	vwrite(1, "x\n");
	vwrite(0, "s\n");
	pr_info("tern\n");
	assert_string_equal(out, "[vm0] prompt> l\n[vm1] x\n[vm0]+ s\n[c0] tern\n");
}

static void test_partial_flushed_after_timeout(void **state)
{
	(void)state;
	vwrite(3, "busy");
	vm_console_flush(&vms[3]);
	assert_string_equal(out, "");
	now += CONSOLE_FLUSH_MS * 1000;
	vm_console_flush(&vms[3]);
	assert_string_equal(out, "[vm3] busy");
	/* Tern's line never starts inside a VM's. */
	pr_info("msg\n");
	assert_string_equal(out, "[vm3] busy\n[c0] msg\n");
}

static void test_stop_ends_line(void **state)
{
	(void)state;
	vwrite(1, "last words\r");
	vms[1].state = VM_STOPPED;
	vm_console_flush(&vms[1]);
	assert_string_equal(out, "[vm1] last words\\x0d\n");
}

static void test_restart_starts_a_new_line(void **state)
{
	(void)state;
	/* Part of a line out (a timeout), the rest pending, then the VM restarts. */
	vwrite(1, "TI");
	now += CONSOLE_FLUSH_MS * 1000;
	vm_console_flush(&vms[1]);
	vwrite(1, "CK");
	vm_console_end_line(&vms[1]);
	vwrite(1, "up\n");
	assert_string_equal(out, "[vm1] TICK\n[vm1] up\n");
	/* Only a part written, its row ended by Tern's line: the new boot is no continuation. */
	vwrite(2, "T");
	now += CONSOLE_FLUSH_MS * 1000;
	vm_console_flush(&vms[2]);
	pr_info("restart\n");
	vm_console_end_line(&vms[2]);
	vwrite(2, "up\n");
	assert_string_equal(out, "[vm1] TICK\n[vm1] up\n[vm2] T\n[c0] restart\n[vm2] up\n");
}

/* Undo the escaping of one line's text. */
static size_t unescape(const char *s, size_t n, char *dst)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
			dst[o++] = '\\';
			i++;
		} else if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x') {
			char hex[3] = { s[i + 2], s[i + 3], 0 };

			dst[o++] = (char)strtoul(hex, NULL, 16);
			i += 3;
		} else {
			dst[o++] = s[i];
		}
	}
	return o;
}

/*
 * Random bytes (with CR, LF, ESC and fake tags mixed in) from four VMs, interleaved at random with
 * idle flushes, timeouts and Tern's own messages.
 */
static void test_random_interleaving(void **state)
{
	static char sent[NR_TEST_VMS][1 << 16], got[NR_TEST_VMS][1 << 16];
	size_t sent_len[NR_TEST_VMS] = { 0 }, got_len[NR_TEST_VMS] = { 0 };
	static const char *const pieces[] = { "\r",    "\n",	       "\r\n", "\x1b[1A", "[vm1] ",
					      "[c0] ", "\x1b]0;t\x07", "ok ",  "\t",	  "\x9b" };
	char *line;

	(void)state;
	srand(11);
	for (unsigned int step = 0; step < 20000; step++) {
		unsigned int vm = (unsigned int)rand() % NR_TEST_VMS;
		unsigned int what = (unsigned int)rand() % 16;
		char buf[64];
		size_t n;

		if (what < 10) {
			const char *p = pieces[what];

			n = strlen(p);
			memcpy(buf, p, n);
		} else if (what < 13) {
			n = (size_t)rand() % sizeof(buf);
			for (size_t i = 0; i < n; i++)
				buf[i] = (char)(rand() % 256);
		} else if (what == 13) {
			vcpus[vm].state = rand() % 2 ? VCPU_BLOCKED : VCPU_RUNNING;
			vm_console_flush(&vms[vm]);
			continue;
		} else if (what == 14) {
			now += (u64)(rand() % 100000);
			continue;
		} else {
			pr_info("tern %u\n", step);
			continue;
		}
		vm_console_write(&vms[vm], buf, n);
		/* What the console must show: a CR is kept unless an LF follows it. */
		memcpy(sent[vm] + sent_len[vm], buf, n);
		sent_len[vm] += n;
		assert_true(sent_len[vm] < sizeof(sent[vm]) - 64);
	}
	for (unsigned int vm = 0; vm < NR_TEST_VMS; vm++) {
		vms[vm].state = VM_STOPPED;
		vm_console_flush(&vms[vm]);
	}
	/* Every line: a tag, then only printable ASCII or tab, at most COLS wide. */
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		char *end = strchr(line, '\n');
		unsigned int vm;
		int tag = 0;

		assert_non_null(end);
		assert_true((size_t)(end - line) <= COLS);
		for (char *c = line; c < end; c++)
			assert_true((*c >= 0x20 && *c < 0x7f) || *c == '\t');
		if (!strncmp(line, "[c0] tern ", 10))
			continue;
		assert_int_equal(sscanf(line, "[vm%u]%n", &vm, &tag), 1);
		assert_true(tag > 0 && vm < NR_TEST_VMS);
		if (line[tag] == '+')
			tag++;
		assert_int_equal(line[tag], ' ');
		tag++;
		got_len[vm] +=
		    unescape(line + tag, (size_t)(end - line - tag), got[vm] + got_len[vm]);
		/* A row that ends a guest line: the next row of this VM is untagged "+"... */
		got[vm][got_len[vm]++] = '\n';
	}
	/*
	 * Put each VM's stream back: rows joined where the next row of the VM is a "+" row. Done
	 * by comparing with continuation newlines removed from the expectation's side instead:
	 * check that the sent text, with CR-before-LF dropped and LFs removed, equals what was
	 * received with LFs removed.
	 */
	for (unsigned int vm = 0; vm < NR_TEST_VMS; vm++) {
		static char a[1 << 16], b[1 << 16];
		size_t na = 0, nb = 0;

		for (size_t i = 0; i < sent_len[vm]; i++) {
			if (sent[vm][i] == '\n')
				continue;
			if (sent[vm][i] == '\r' && i + 1 < sent_len[vm] && sent[vm][i + 1] == '\n')
				continue;
			a[na++] = sent[vm][i];
		}
		for (size_t i = 0; i < got_len[vm]; i++) {
			if (got[vm][i] != '\n')
				b[nb++] = got[vm][i];
		}
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_whole_lines_interleaved, setup),
		cmocka_unit_test_setup(test_control_bytes_escaped, setup),
		cmocka_unit_test_setup(test_long_line_cut, setup),
		cmocka_unit_test_setup(test_tag_vm_ids, setup),
		cmocka_unit_test_setup(test_prompt_flushed_when_idle, setup),
		cmocka_unit_test_setup(test_partial_flushed_after_timeout, setup),
		cmocka_unit_test_setup(test_stop_ends_line, setup),
		cmocka_unit_test_setup(test_restart_starts_a_new_line, setup),
		cmocka_unit_test_setup(test_random_interleaving, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
