// SPDX-License-Identifier: GPL-2.0-only
/* fmt_vsnprintf against the host's vsnprintf: every conversion, flag, width, precision, length. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <cmocka.h>
#include <tern/format.h>

#define OUT_MAX 512
#define CANARY	0x5a

static unsigned long nr_checks, nr_cases;

/*
 * Formats with the host and with fmt_vsnprintf into every buffer size from 0 to one past the full
 * length: same return value, same (truncated) text, always NUL-terminated, nothing written past
 * the buffer. To keep the big sweep fast, only every 8th case tries every size; the others try
 * 0, 1, 2, the middle and the last three.
 */
static void __attribute__((format(printf, 1, 2))) check(const char *fmt, ...)
{
	char exp[OUT_MAX], got[OUT_MAX + 8];
	va_list ap;
	int en, gn;

	va_start(ap, fmt);
	en = vsnprintf(exp, sizeof(exp), fmt, ap);
	va_end(ap);
	assert_true(en >= 0 && en < OUT_MAX);

	/* size 0 with a NULL buffer only measures. */
	va_start(ap, fmt);
	gn = fmt_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (gn != en)
		fail_msg("fmt \"%s\": returned %d, host %d (size 0)", fmt, gn, en);

	nr_cases++;
	for (size_t size = 0; size <= (size_t)en + 1; size++) {
		size_t n = size ? MIN(size - 1, (size_t)en) : 0;

		if (nr_cases % 8 && size > 2 && size + 2 < (size_t)en && size != (size_t)en / 2)
			continue;
		size_t guard = MIN(sizeof(got), size + 8);

		memset(got, CANARY, guard);
		va_start(ap, fmt);
		gn = fmt_vsnprintf(got, size, fmt, ap);
		va_end(ap);
		nr_checks++;
		if (gn != en)
			fail_msg("fmt \"%s\": returned %d, host %d (size %zu)", fmt, gn, en, size);
		if (size && (memcmp(got, exp, n) != 0 || got[n] != '\0'))
			fail_msg("fmt \"%s\" size %zu: got \"%.*s\", host \"%.*s\"", fmt, size,
				 (int)n, got, (int)n, exp);
		for (size_t i = size; i < guard; i++)
			if ((unsigned char)got[i] != CANARY)
				fail_msg("fmt \"%s\" size %zu: wrote byte %zu", fmt, size, i);
	}
}

/* Same, for formats only fmt_vsnprintf supports or where the host differs on purpose. */
static void check_exp_v(const char *exp, const char *fmt, va_list ap)
{
	char got[OUT_MAX];
	int gn = fmt_vsnprintf(got, sizeof(got), fmt, ap);

	assert_string_equal(got, exp);
	assert_int_equal(gn, strlen(exp));
}

static void check_exp(const char *exp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_exp_v(exp, fmt, ap);
	va_end(ap);
}

static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "t", "j" };

static const long long svals[] = {
	0,
	1,
	-1,
	7,
	-7,
	42,
	-42,
	99,
	100,
	-100,
	127,
	-128,
	128,
	255,
	256,
	0x1234,
	-0x1234,
	32767,
	-32768,
	65535,
	65536,
	123456789,
	INT_MAX,
	INT_MIN,
	UINT_MAX,
	LONG_MAX,
	LONG_MIN,
	LLONG_MAX,
	LLONG_MIN,
	-999999999,
	0x7fffffffffLL,
};

static const unsigned long long uvals[] = {
	0,
	1,
	7,
	8,
	9,
	10,
	15,
	16,
	42,
	255,
	256,
	0x1234,
	0xdeadbeef,
	INT_MAX,
	UINT_MAX,
	ULONG_MAX,
	ULLONG_MAX,
	0x8000000000000000ULL,
	01234567,
	0x7fffffffffffffffULL,
	1000000000000ULL,
};

/* Passes v with the type the length modifier expects (hh and h take promoted ints). */
static void check_signed(const char *fmt, const char *len, long long v)
{
	if (!strcmp(len, "hh") || !strcmp(len, "h") || !*len)
		check(fmt, (int)v);
	else if (!strcmp(len, "l"))
		check(fmt, (long)v);
	else if (!strcmp(len, "ll"))
		check(fmt, v);
	else if (!strcmp(len, "z"))
		check(fmt, (ssize_t)v);
	else if (!strcmp(len, "t"))
		check(fmt, (ptrdiff_t)v);
	else
		check(fmt, (intmax_t)v);
}

static void check_unsigned(const char *fmt, const char *len, unsigned long long v)
{
	if (!strcmp(len, "hh") || !strcmp(len, "h") || !*len)
		check(fmt, (unsigned int)v);
	else if (!strcmp(len, "l"))
		check(fmt, (unsigned long)v);
	else if (!strcmp(len, "ll"))
		check(fmt, v);
	else if (!strcmp(len, "z"))
		check(fmt, (size_t)v);
	else if (!strcmp(len, "t"))
		check(fmt, (ptrdiff_t)v);
	else
		check(fmt, (uintmax_t)v);
}

/* Every flag subset x width x precision x length modifier x value, for each integer conversion. */
static void test_integers(void **state)
{
	static const char convs[] = "diuxXo";
	static const char flagset[] = "-0# +";
	static const char *const widths[] = { "", "1", "6", "24" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".23" };

	for (const char *c = convs; *c; c++) {
		bool is_signed = *c == 'd' || *c == 'i';

		for (unsigned int fl = 0; fl < 32; fl++) {
			char flags[8];
			size_t nf = 0;

			/* '#' with d, i and u is undefined behaviour in C99. */
			if ((fl & 4) && (is_signed || *c == 'u'))
				continue;
			for (unsigned int b = 0; b < 5; b++)
				if (fl & (1U << b))
					flags[nf++] = flagset[b];
			flags[nf] = '\0';

			for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
				for (size_t p = 0; p < ARRAY_SIZE(precs); p++)
					for (size_t l = 0; l < ARRAY_SIZE(lens); l++) {
						char fmt[32];

						snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>", flags,
							 widths[w], precs[p], lens[l], *c);
						if (is_signed)
							for (size_t v = 0; v < ARRAY_SIZE(svals);
							     v++)
								check_signed(fmt, lens[l],
									     svals[v]);
						else
							for (size_t v = 0; v < ARRAY_SIZE(uvals);
							     v++)
								check_unsigned(fmt, lens[l],
									       uvals[v]);
					}
		}
	}
	assert_true(nr_cases > 200000);
}

static void test_extremes(void **state)
{
	check("%d %i %d", INT_MIN, INT_MAX, 0);
	check("%ld %ld", LONG_MIN, LONG_MAX);
	check("%lld %lld %llu", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
	check("%llx %llX %llo %#llx %#llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX,
	      ULLONG_MAX);
	check("%jd %ju %zu %zd %td", INTMAX_MIN, UINTMAX_MAX, SIZE_MAX, (ssize_t)-1, PTRDIFF_MIN);
	check("%hhd %hhu %hd %hu", 0x1ff, 0x1ff, 0x1ffff, 0x1ffff);
	const char *plus_space = "%+d %+d % d % d %+ d % +d", *minus_zero = "%-+8d|%-08d|%0-8d|";

	/* Runtime formats: the compiler would warn about the redundant flags in a literal. */
	check(plus_space, 0, -5, 0, -5, 5, 5);
	check(minus_zero, 5, -5, 5);
	check("%030lld|%-30lld|%+030lld", LLONG_MIN, LLONG_MIN, LLONG_MAX);
	check("%#x %#X %#o %#.0o %#.0x %#5.0x %#08x %#-8o|", 0, 0, 0, 0, 0, 0, 255, 8);
	check("%.0d|%5.0d|%-5.0d|%+.0d|% .0d|%.0u|%.0x|%.0o", 0, 0, 0, 0, 0, 0U, 0U, 0U);
}

static void test_star(void **state)
{
	static const int args[] = { -30, -5, -1, 0, 1, 3, 7, 30, INT_MIN };

	for (size_t i = 0; i < ARRAY_SIZE(args); i++) {
		if (args[i] != INT_MIN) {
			check("[%*d]", args[i], 42);
			check("[%*s]", args[i], "str");
			check("[%-*x]", args[i], 0xabcU);
			check("[%0*d]", args[i], -42);
			check("[%*c]", args[i], 'q');
		}
		check("[%.*d]", args[i], 42);
		check("[%.*s]", args[i], "string");
		check("[%#.*o]", args[i], 0U);
		if (args[i] > -31 && args[i] < 31)
			for (size_t j = 0; j < ARRAY_SIZE(args); j++)
				check("[%*.*lld]", args[i], args[j], LLONG_MIN);
	}
}

static void test_strings_chars(void **state)
{
	static const char *const strs[] = { "", "a", "hello", "a longer string with spaces" };
	static const char *const fmts[] = { "[%s]",    "[%10s]",   "[%-10s]", "[%.0s]", "[%.3s]",
					    "[%5.2s]", "[%-5.2s]", "[%.40s]", "[%1s]" };
	/* Not NUL-terminated: a precision must stop the read. */
	static const char unterminated[4] = { 'a', 'b', 'c', 'd' };

	for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
		for (size_t f = 0; f < ARRAY_SIZE(fmts); f++)
			check(fmts[f], strs[i]);
	check("%.4s|%.2s", unterminated, unterminated);
	for (int c = 1; c < 256; c++)
		check("%c|%3c|%-3c|", c, c, c);
	check("%c", 0);
	check("a%cb", 0);
	check("%%|%s%%%s", "x", "y");
	check("plain text, no conversions");
	check("%s", "");
	check("%s", "x");
	/* The '0' flag is ignored for %s and %c, as glibc does. */
	check_exp("[   ab][    x]", "[%05s][%05c]", "ab", 'x');
}

static void test_null_string(void **state)
{
	const char *null = NULL;

	check_exp("(null)", "%s", null);
	check_exp("[    (null)]", "[%10s]", null);
	check_exp("[(null)    ]", "[%-10s]", null);
	check_exp("[(nu]", "[%.3s]", null);
}

static void test_pointers(void **state)
{
	static const uintptr_t vals[] = { 1,	      0xf, 0x1000, 0xdeadbeef, 0xffff800012345678,
					  UINTPTR_MAX };
	static const char *const fmts[] = { "[%p]", "[%20p]", "[%-20p]", "[%3p]" };

	for (size_t i = 0; i < ARRAY_SIZE(vals); i++)
		for (size_t f = 0; f < ARRAY_SIZE(fmts); f++)
			check(fmts[f], (void *)vals[i]);
	/* glibc prints "(nil)"; Tern keeps the hex form. */
	check_exp("0x0", "%p", (void *)NULL);
	check_exp("[   0x0]", "[%6p]", (void *)NULL);
	check_exp("[0x0   ]", "[%-6p]", (void *)NULL);
}

static void test_mixed(void **state)
{
	check("vm%u: vcpu %d at %#lx: esr=%08x %s (%c) %%%5.1s|%-6hhd|%+lld\n", 3U, -1,
	      0x40080000UL, 0x96000045U, "data abort", 'W', "xyz", (signed char)-7,
	      1234567890123LL);
	check("%s=%d, %s=%u, %s=%#llx", "a", 1, "b", 2U, "c", 3ULL);
	check("%5s|%-5d|%05d|%5x", "ab", 12, -12, 0xabcU);
	check("%lu%lu%lu%lu%lu%lu%lu%lu%lu%lu", 1UL, 22UL, 333UL, 4444UL, 55555UL, 666666UL,
	      7777777UL, 88888888UL, 999999999UL, ULONG_MAX);
}

/* Conversions format.h does not support are copied through, so the mistake shows in the log. */
static void test_unsupported(void **state)
{
	char buf[32];
	const char *lone = "abc%";

	check_exp("[%q]", "[%q]");
	check_exp("%5f", "%5f");
	check_exp("x%ly", "x%ly");
	check_exp("abc%", lone);
	/* Truncation also holds for the copied text. */
	assert_int_equal(fmt_snprintf(buf, 3, "%s", "abcdef"), 6);
	assert_string_equal(buf, "ab");
}

/* Very long outputs: the return value keeps counting, the buffer stays bounded. */
static void test_long_output(void **state)
{
	char buf[16];

	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 8, "%1000d|%*s", 5, 5000, "x"), 1000 + 1 + 5000);
	assert_string_equal(buf, "       ");
	assert_int_equal((unsigned char)buf[8], CANARY);
	assert_int_equal(fmt_snprintf(NULL, 0, "%.3000d", 1), 3000);
	assert_int_equal(fmt_snprintf(buf, 1, "hello"), 5);
	assert_int_equal(buf[0], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),    cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_star),	    cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_null_string), cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_mixed),	    cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_long_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
