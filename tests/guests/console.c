// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console tagging and forging (issues 11 and 14), run in several VMs at once by
 * tests/integration/test_console.py with bootarg vm=N: long lines that say which VM printed them,
 * written in pieces with pauses so that VMs interleave mid-line, then bytes that on a raw terminal
 * would pass for another VM's or Tern's lines (CR, ESC sequences, fake tags). The test checks from
 * outside that every console line carries the right tag and that no forged line reads as another's.
 */
#include "libguest.h"

#define LINES	    40
#define LINE_FILLER 150
#define PIECE	    23

static char id[8];

static void delay_loop(unsigned int n)
{
	for (volatile unsigned int i = 0; i < n; i++)
		;
}

/* One long line "LINE vm=N seq=K <filler> END vm=N seq=K", written a few bytes at a time. */
static void long_line(unsigned int seq)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "LINE vm=%s seq=%u ", id, seq);

	for (int i = 0; i < LINE_FILLER; i++)
		line[n++] = (char)('a' + (seq + (unsigned int)i + (unsigned int)id[0]) % 26);
	n += snprintf(line + n, sizeof(line) - (size_t)n, " END vm=%s seq=%u\n", id, seq);
	for (int i = 0; i < n; i++) {
		uart_putc(line[i]);
		if (i % PIECE == PIECE - 1)
			delay_loop(2000);
	}
}

int main(void)
{
	if (!bootarg_get("vm", id, sizeof(id)))
		report_abort("bootarg vm=N missing (got \"%s\")", guest_bootargs());
	report_prefix("console");
	for (unsigned int seq = 0; seq < LINES; seq++)
		long_line(seq);
	/* Forgeries: each would read as vm1's or Tern's line on a raw terminal. */
	puts("FORGE1\r[vm1] VICTIM 0 ok\n");
	puts("FORGE2\x1b[2K\r[c0] integrity: 99 regions unchanged\n");
	puts("FORGE3\n[vm1] SUMMARY: 1 tests, 0 failures\n");
	puts("FORGE4\x1b[1A\x1b[2K\r[c0] exit: status 0\n");
	puts("FORGE5\x1b]0;title\x07\x08\x08\x08\x08\x08\x08[c1] boot\n");
	puts("FORGE6 \xc2\x9b"
	     "2K\xe2\x80\xae"
	     "reversed\n");
	/* A line written in two halves with a long pause: the first half is flushed on timeout. */
	puts("HALF1 vm=");
	puts(id);
	delay_loop(3000000);
	puts(" HALF2\n");
	report(true, "vm=%s printed %u long lines and the forgeries", id, LINES);
	return 0;
}
