// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C library functions Tern and libfdt need, written for running with the MMU off: no
 * unaligned or vector accesses. memcpy and memset are on a hot path (virtio-blk RAM-disk data
 * and zeroed guest RAM go through them), so aligned blocks move 64 bytes per iteration, which
 * the compiler turns into pairs of doubleword loads and stores.
 */
#include <stdlib.h>
#include <string.h>
#include <tern/types.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) % 8) == 0) {
		u64 *d8 = (u64 *)d;
		const u64 *s8 = (const u64 *)s;

		for (; n >= 64; n -= 64, d8 += 8, s8 += 8) {
			u64 a = s8[0], b = s8[1], c = s8[2], e = s8[3];
			u64 f = s8[4], g = s8[5], h = s8[6], k = s8[7];

			d8[0] = a, d8[1] = b, d8[2] = c, d8[3] = e;
			d8[4] = f, d8[5] = g, d8[6] = h, d8[7] = k;
		}
		for (; n >= 8; n -= 8)
			*d8++ = *s8++;
		d = (u8 *)d8;
		s = (const u8 *)s8;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	if (((uintptr_t)p % 8) == 0) {
		u64 v = 0x0101010101010101ULL * (u8)c;
		u64 *p8 = (u64 *)p;

		for (; n >= 64; n -= 64, p8 += 8) {
			p8[0] = v, p8[1] = v, p8[2] = v, p8[3] = v;
			p8[4] = v, p8[5] = v, p8[6] = v, p8[7] = v;
		}
		for (; n >= 8; n -= 8)
			*p8++ = v;
		p = (u8 *)p8;
	}
	while (n--)
		*p++ = (u8)c;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (u8)c)
			return (void *)(p + i);
	}
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (u8)*a - (u8)*b;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	const char *orig = s;
	unsigned long v = 0;
	bool overflow = false;
	const char *start;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s == '+')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	start = s;
	while (digit_value(*s) < base) {
		unsigned long d = (unsigned long)digit_value(*s);

		if (v > (~0UL - d) / (unsigned long)base)
			overflow = true;
		v = v * (unsigned long)base + d;
		s++;
	}
	if (end)
		*end = (char *)(s == start ? orig : s);
	return overflow ? ~0UL : v;
}
