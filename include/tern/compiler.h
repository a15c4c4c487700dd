/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_COMPILER_H
#define TERN_COMPILER_H

#define __noreturn     __attribute__((noreturn))
#define __packed       __attribute__((packed))
#define __aligned(x)   __attribute__((aligned(x)))
#define __section(s)   __attribute__((section(s)))
#define __used	       __attribute__((used))
#define __unused       __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __weak	       __attribute__((weak))
#define __noinline     __attribute__((noinline))
#define fallthrough    __attribute__((__fallthrough__))
#define likely(x)      __builtin_expect(!!(x), 1)
#define unlikely(x)    __builtin_expect(!!(x), 0)
#define barrier()      __asm__ __volatile__("" ::: "memory")

/*
 * A function that runs at boot, at VM creation or tear-down, or for a report, never on a guest's
 * exit or interrupt path, in a file that is: built for size (as a cold-y file is) and placed
 * apart from the hot code.
 */
#define __cold __attribute__((cold))

/* A hot-path helper with several callers that must not cost a call (the compiler may decline). */
#define __hot_inline inline __attribute__((always_inline))

/* For a hot function -fstack-protector-strong would guard for no array: see its comment. */
#define __no_stack_protector __attribute__((no_stack_protector))

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))
#define BIT(n)		 (1UL << (n))
#define GENMASK(h, l)	 (((~0UL) << (l)) & (~0UL >> (63 - (h))))

/* Entries of a linker-section table bounded by its start and stop symbols (two objects to C). */
#define LINKER_TABLE_NR(start, stop) (((uintptr_t)(stop) - (uintptr_t)(start)) / sizeof((start)[0]))

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#define READ_ONCE(x)	 (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)

#endif
