// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tern's memcpy, memmove and memset (core/string.c, built here as tern_*) against byte-by-byte
 * references, for every alignment of source and destination within a doubleword and every
 * length up to past two 64-byte blocks: the result, and nothing written outside the range
 * (guard bytes here, ASan for the buffers' ends).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#define MAX_LEN 200
#define BUF	(MAX_LEN + 32)
#define GUARD	0xa5

static unsigned char src[BUF] __attribute__((aligned(16)));
static unsigned char dst[BUF] __attribute__((aligned(16)));
static unsigned char ref[BUF] __attribute__((aligned(16)));

static void fill(unsigned char *b, unsigned int seed)
{
	for (int i = 0; i < BUF; i++)
		b[i] = (unsigned char)(seed * 131 + i * 7 + 1);
}

static void test_memcpy(void **state)
{
	for (int so = 0; so < 8; so++)
		for (int doff = 0; doff < 8; doff++)
			for (size_t n = 0; n <= MAX_LEN; n++) {
				fill(src, (unsigned int)n);
				for (int i = 0; i < BUF; i++)
					dst[i] = ref[i] = GUARD;
				for (size_t i = 0; i < n; i++)
					ref[doff + i] = src[so + i];
				assert_ptr_equal(memcpy(dst + doff, src + so, n), dst + doff);
				assert_memory_equal(dst, ref, BUF);
			}
}

static void test_memset(void **state)
{
	for (int off = 0; off < 8; off++)
		for (size_t n = 0; n <= MAX_LEN; n++) {
			int c = (int)(0x100 + n); /* only the low byte counts */

			for (int i = 0; i < BUF; i++)
				dst[i] = ref[i] = GUARD;
			for (size_t i = 0; i < n; i++)
				ref[off + i] = (unsigned char)c;
			assert_ptr_equal(memset(dst + off, c, n), dst + off);
			assert_memory_equal(dst, ref, BUF);
		}
}

/* Overlapping moves both ways, which memmove hands to memcpy only when they do not overlap. */
static void test_memmove(void **state)
{
	for (int from = 0; from < 40; from += 3)
		for (int to = 0; to < 40; to += 5)
			for (size_t n = 0; n <= MAX_LEN - 40; n += 7) {
				fill(dst, (unsigned int)n);
				memcpy(ref, dst, BUF);
				for (size_t i = 0; i < n; i++)
					src[i] = dst[from + i];
				for (size_t i = 0; i < n; i++)
					ref[to + i] = src[i];
				assert_ptr_equal(memmove(dst + to, dst + from, n), dst + to);
				assert_memory_equal(dst, ref, BUF);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memmove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
