// SPDX-License-Identifier: GPL-2.0-only
/*
 * printf-style formatting without libc. Follows C99 for everything format.h lists; the '0' flag is
 * ignored for %c and %s (as glibc does), %p prints like "%#lx" but always with "0x" (also for
 * NULL), and an unknown conversion is copied to the output as written.
 */
#include <string.h>
#include <tern/format.h>

#define FMT_LEFT  BIT(0) /* '-' */
#define FMT_ZERO  BIT(1) /* '0' */
#define FMT_ALT	  BIT(2) /* '#' */
#define FMT_SPACE BIT(3) /* ' ' */
#define FMT_PLUS  BIT(4) /* '+' */
#define FMT_UPPER BIT(5) /* %X */

/* Longest digit string: 64 bits in octal. */
#define FMT_DIGITS_MAX 22
/* Widths and precisions are clamped to this, so their arithmetic can never overflow an int. */
#define FMT_FIELD_MAX 0x1000000

enum fmt_len {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_T,
	LEN_J,
};

struct fmt_out {
	char *buf;
	size_t size;
	/* Length of the full output so far, whether it fitted or not. */
	size_t pos;
};

struct fmt_spec {
	unsigned long flags;
	int width;
	/* -1 when no precision was given. */
	int prec;
	enum fmt_len len;
};

static void fmt_putc(struct fmt_out *out, char c)
{
	if (out->pos + 1 < out->size)
		out->buf[out->pos] = c;
	out->pos++;
}

static void fmt_puts(struct fmt_out *out, const char *s, size_t n)
{
	while (n--)
		fmt_putc(out, *s++);
}

static void fmt_pad(struct fmt_out *out, char c, int n)
{
	while (n-- > 0)
		fmt_putc(out, c);
}

/* Parses a decimal field at *fmt, clamped to FMT_FIELD_MAX. */
static int fmt_atoi(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (v < FMT_FIELD_MAX)
			v = v * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return MIN(v, FMT_FIELD_MAX);
}

/* Writes s (n bytes) padded to the width. */
static void fmt_field(struct fmt_out *out, const struct fmt_spec *spec, const char *s, size_t n)
{
	int pad = spec->width > (int)n ? spec->width - (int)n : 0;

	if (!(spec->flags & FMT_LEFT))
		fmt_pad(out, ' ', pad);
	fmt_puts(out, s, n);
	if (spec->flags & FMT_LEFT)
		fmt_pad(out, ' ', pad);
}

static void fmt_string(struct fmt_out *out, const struct fmt_spec *spec, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	/* With a precision, s need not be NUL-terminated within it: never read past it. */
	n = spec->prec >= 0 ? strnlen(s, (size_t)spec->prec) : strlen(s);
	fmt_field(out, spec, s, n);
}

/*
 * Formats an integer: v is the magnitude, neg its sign (signed conversions only), base 8, 10 or 16.
 * Layout: [spaces][sign or 0x][zeros to the width or precision][digits][spaces if '-'].
 */
static void fmt_number(struct fmt_out *out, const struct fmt_spec *spec, unsigned long long v,
		       bool neg, unsigned int base)
{
	const char *digits = spec->flags & FMT_UPPER ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[FMT_DIGITS_MAX];
	char prefix[2];
	int nd = 0, np = 0, zeros, pad;
	int prec = spec->prec;

	if (!(v == 0 && prec == 0)) {
		do {
			tmp[nd++] = digits[v % base];
			v /= base;
		} while (v);
	}

	if (neg)
		prefix[np++] = '-';
	else if (spec->flags & FMT_PLUS)
		prefix[np++] = '+';
	else if (spec->flags & FMT_SPACE)
		prefix[np++] = ' ';

	if (spec->flags & FMT_ALT) {
		if (base == 16 && nd > 0 && !(nd == 1 && tmp[0] == '0')) {
			prefix[np++] = '0';
			prefix[np++] = spec->flags & FMT_UPPER ? 'X' : 'x';
		} else if (base == 8 && (nd == 0 || tmp[nd - 1] != '0')) {
			/* '#' with %o: the precision grows so that the first digit is a zero. */
			prec = MAX(prec, nd + 1);
		}
	}

	zeros = prec > nd ? prec - nd : 0;
	pad = spec->width - np - zeros - nd;
	if (pad > 0 && (spec->flags & FMT_ZERO) && !(spec->flags & FMT_LEFT) && spec->prec < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(spec->flags & FMT_LEFT))
		fmt_pad(out, ' ', pad);
	fmt_puts(out, prefix, (size_t)np);
	fmt_pad(out, '0', zeros);
	while (nd)
		fmt_putc(out, tmp[--nd]);
	if (spec->flags & FMT_LEFT)
		fmt_pad(out, ' ', pad);
}

/* "0x" and the hex digits (also "0x0" for NULL), padded to the width; flags other than '-' ignored.
 */
static void fmt_pointer(struct fmt_out *out, const struct fmt_spec *spec, const void *p)
{
	char tmp[2 + 2 * sizeof(void *)];
	uintptr_t v = (uintptr_t)p;
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	tmp[--n] = 'x';
	tmp[--n] = '0';
	fmt_field(out, spec, tmp + n, sizeof(tmp) - n);
}

static long long fmt_arg_signed(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		/* The signed type corresponding to size_t. */
		return (intptr_t)va_arg(*ap, size_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long fmt_arg_unsigned(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		/* The unsigned type corresponding to ptrdiff_t. */
		return (uintptr_t)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parses flags, width, precision and length of one conversion; *fmt is just after the '%'. */
static void fmt_parse_spec(const char **fmt, struct fmt_spec *spec, va_list *ap)
{
	const char *p = *fmt;

	spec->flags = 0;
	spec->width = 0;
	spec->prec = -1;
	spec->len = LEN_NONE;

	for (;; p++) {
		if (*p == '-')
			spec->flags |= FMT_LEFT;
		else if (*p == '0')
			spec->flags |= FMT_ZERO;
		else if (*p == '#')
			spec->flags |= FMT_ALT;
		else if (*p == ' ')
			spec->flags |= FMT_SPACE;
		else if (*p == '+')
			spec->flags |= FMT_PLUS;
		else
			break;
	}

	if (*p == '*') {
		int w = va_arg(*ap, int);

		p++;
		/* A negative width argument is a '-' flag and a positive width. */
		if (w < 0) {
			spec->flags |= FMT_LEFT;
			w = w == -__INT_MAX__ - 1 ? FMT_FIELD_MAX : -w;
		}
		spec->width = MIN(w, FMT_FIELD_MAX);
	} else {
		spec->width = fmt_atoi(&p);
	}

	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);

			p++;
			/* A negative precision argument is taken as if the precision were omitted.
			 */
			spec->prec = pr < 0 ? -1 : MIN(pr, FMT_FIELD_MAX);
		} else {
			spec->prec = fmt_atoi(&p);
		}
	}

	switch (*p) {
	case 'h':
		p++;
		spec->len = LEN_H;
		if (*p == 'h') {
			p++;
			spec->len = LEN_HH;
		}
		break;
	case 'l':
		p++;
		spec->len = LEN_L;
		if (*p == 'l') {
			p++;
			spec->len = LEN_LL;
		}
		break;
	case 'z':
		p++;
		spec->len = LEN_Z;
		break;
	case 't':
		p++;
		spec->len = LEN_T;
		break;
	case 'j':
		p++;
		spec->len = LEN_J;
		break;
	default:
		break;
	}
	*fmt = p;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out out = { .buf = buf, .size = size, .pos = 0 };
	struct fmt_spec spec;
	va_list args;

	/* Copied so helpers can take a va_list pointer portably (va_list may be an array type). */
	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		long long sv;
		char c;

		if (*fmt != '%') {
			fmt_putc(&out, *fmt++);
			continue;
		}
		fmt++;
		fmt_parse_spec(&fmt, &spec, &args);

		switch (*fmt) {
		case 'd':
		case 'i':
			sv = fmt_arg_signed(spec.len, &args);
			/* Negate in unsigned arithmetic so LLONG_MIN works. */
			fmt_number(&out, &spec,
				   sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
				   sv < 0, 10);
			break;
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			spec.flags &= ~(FMT_PLUS | FMT_SPACE);
			if (*fmt == 'X')
				spec.flags |= FMT_UPPER;
			fmt_number(&out, &spec, fmt_arg_unsigned(spec.len, &args), false,
				   *fmt == 'u'	 ? 10
				   : *fmt == 'o' ? 8
						 : 16);
			break;
		case 'p':
			fmt_pointer(&out, &spec, va_arg(args, void *));
			break;
		case 'c':
			c = (char)va_arg(args, int);
			fmt_field(&out, &spec, &c, 1);
			break;
		case 's':
			fmt_string(&out, &spec, va_arg(args, const char *));
			break;
		case '%':
			fmt_putc(&out, '%');
			break;
		case '\0':
			/* A lone '%' at the end: print what was there. */
			fmt_puts(&out, start, (size_t)(fmt - start));
			continue;
		default:
			/* Unsupported conversion: print it as written so the mistake shows. */
			fmt_puts(&out, start, (size_t)(fmt - start) + 1);
			break;
		}
		fmt++;
	}
	va_end(args);

	if (size > 0)
		buf[MIN(out.pos, size - 1)] = '\0';
	return out.pos > __INT_MAX__ ? __INT_MAX__ : (int)out.pos;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
