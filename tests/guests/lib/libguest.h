/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef GUEST_LIBGUEST_H
#define GUEST_LIBGUEST_H

/*
 * The shared library of the Tern test guests: freestanding EL1 programs that run inside a Tern VM
 * (or on plain QEMU virt at EL1). Each program defines main(); crt0 clears .bss, installs the EL1
 * vectors and calls it, then report_summary() prints SUMMARY and powers the VM off.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

/* The guest-visible map (QEMU virt layout, as Tern presents it). */
#define GUEST_RAM_BASE	       0x40000000UL
#define GUEST_RAM_SIZE_DEFAULT (64UL << 20)
#define GUEST_UART_BASE	       0x09000000UL
#define GUEST_UART_SIZE	       0x1000UL
#define GUEST_MAX_CPUS	       4

/* Linker symbols. */
extern char _image_start[], _bss_start[], _bss_end[], _stacks_start[], _stacks_end[], _end[];

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + (a)-1) & ~((u64)(a)-1))
#define FIELD(v, hi, lo) (((v) >> (lo)) & ((1UL << ((hi) - (lo) + 1)) - 1))
#define __noreturn	 __attribute__((noreturn))
#define __printf(a, b)	 __attribute__((format(printf, a, b)))
#define READ_ONCE(x)	 (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		u64 __v;                                                                           \
		asm volatile("mrs %0, " #r : "=r"(__v));                                           \
		__v;                                                                               \
	})
#define write_sysreg(v, r)                                                                         \
	do {                                                                                       \
		u64 __v = (u64)(v);                                                                \
		asm volatile("msr " #r ", %x0" : : "rZ"(__v));                                     \
	} while (0)
#define isb() asm volatile("isb" ::: "memory")
#define dsb() asm volatile("dsb sy" ::: "memory")

/* Data-cache maintenance by VA to the point of coherency, for data shared with a vCPU whose
 * caches are off (its accesses go to memory): clean after writing, clean+invalidate before
 * reading what it wrote. Both end with a DSB. */
#define DCACHE_POC_OP(name, op)                                                                    \
	static inline void name(const volatile void *p, size_t len)                                \
	{                                                                                          \
		u64 line = 4UL << FIELD(read_sysreg(ctr_el0), 19, 16);                             \
                                                                                                   \
		for (u64 a = (u64)p & ~(line - 1); a < (u64)p + len; a += line)                    \
			asm volatile("dc " op ", %0" ::"r"(a) : "memory");                         \
		dsb();                                                                             \
	}
DCACHE_POC_OP(dcache_clean_poc, "cvac")
DCACHE_POC_OP(dcache_clean_inval_poc, "civac")

/** Program entry, defined by each test program. Its return value is ignored. */
int main(void);

/** Guest DTB address from x0 at entry (0 if none). */
extern u64 guest_boot_dtb;

/* uart.c: polled PL011 console. */
void uart_putc(char c);
void puts(const char *s);
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* report.c: kvm-unit-tests style results. */
void report_prefix(const char *prefix);
void report(bool ok, const char *fmt, ...) __printf(2, 3);
void report_skip(const char *fmt, ...) __printf(1, 2);
void report_info(const char *fmt, ...) __printf(1, 2);
/** Print "SUMMARY: N tests, M failures" and power off through PSCI SYSTEM_OFF. */
void __noreturn report_summary(void);
/** The SUMMARY line alone (a program that powers off some other way, e.g. from another vCPU). */
void report_print_summary(void);
/** The counts so far, and adding counts carried over a SYSTEM_RESET (in RAM the reset keeps). */
void report_counts(unsigned int *n, unsigned int *failed);
void report_add_counts(unsigned int n, unsigned int failed);
/** Count a failure and power off at once (after an unrecoverable error). */
void __noreturn report_abort(const char *fmt, ...) __printf(1, 2);

/* psci.c: SMCCC calls and the PSCI 1.1 functions. */
#define SMCCC_VERSION	       0x80000000U
#define SMCCC_ARCH_FEATURES    0x80000001U
#define PSCI_VERSION	       0x84000000U
#define PSCI_CPU_SUSPEND       0xC4000001U
#define PSCI_CPU_OFF	       0x84000002U
#define PSCI_CPU_ON	       0xC4000003U
#define PSCI_AFFINITY_INFO     0xC4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF	       0x84000008U
#define PSCI_SYSTEM_RESET      0x84000009U
#define PSCI_FEATURES	       0x8400000AU

#define PSCI_RET_SUCCESS	    0
#define PSCI_RET_NOT_SUPPORTED	    (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED		    (-3)
#define PSCI_RET_ALREADY_ON	    (-4)
#define PSCI_RET_ON_PENDING	    (-5)
#define PSCI_RET_INTERNAL_FAILURE   (-6)
#define PSCI_RET_NOT_PRESENT	    (-7)
#define PSCI_RET_DISABLED	    (-8)
#define PSCI_RET_INVALID_ADDRESS    (-9)

enum smccc_conduit {
	SMCCC_CONDUIT_HVC,
	SMCCC_CONDUIT_SMC,
};

/* The Makefile passes -DSMCCC_CONDUIT_DEFAULT=SMCCC_CONDUIT_SMC for SMCCC_CONDUIT=smc. */
#ifndef SMCCC_CONDUIT_DEFAULT
#define SMCCC_CONDUIT_DEFAULT SMCCC_CONDUIT_HVC
#endif

/** The conduit: HVC by default (Tern), SMC with SMCCC_CONDUIT=smc or a DTB /psci method "smc". */
extern enum smccc_conduit smccc_conduit;
s64 smccc_call(u32 fid, u64 a1, u64 a2, u64 a3);
s64 psci_cpu_on(u64 mpidr, u64 entry, u64 context_id);
s64 psci_affinity_info(u64 mpidr, u64 lowest_level);
void psci_cpu_off(void);
void __noreturn psci_system_off(void);
void psci_system_reset(void);
/** CPU_SUSPEND (64-bit), original power_state format: StateType bit 16 (1: powerdown). */
s64 psci_cpu_suspend(u32 power_state, u64 entry, u64 context_id);

/** Start vCPU @mpidr running fn(arg) on its own stack (slot @cpu of the stack area). */
s64 cpu_start(u64 mpidr, unsigned int cpu, void (*fn)(u64 arg), u64 arg);
u64 cpu_mpidr(void);

/* exception.c: expected exceptions. */
#define ESR_EC_SHIFT	   26
#define ESR_EC(esr)	   (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_EC_UNKNOWN	   0x00
#define ESR_EC_SVC64	   0x15
#define ESR_EC_HVC64	   0x16
#define ESR_EC_SMC64	   0x17
#define ESR_EC_SYS64	   0x18
#define ESR_EC_IABT_CUR	   0x21
#define ESR_EC_DABT_CUR	   0x25
#define ESR_ISS_DFSC(esr)  ((esr)&0x3f)
#define ESR_ISS_FNV	   (1UL << 10)
#define ESR_ISS_WNR	   (1UL << 6)
#define DFSC_SYNC_EXTERNAL 0x10
#define EXCEPTION_ANY	   0xffffffffU

/** Saved by the crt0 vector stub; the handler may change x[] and elr before the return. */
struct ex_regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

/**
 * Arm the handler for one synchronous exception of class @ec (or EXCEPTION_ANY): when it comes,
 * its ESR/FAR/ELR are recorded and the faulting instruction is skipped.
 */
void expect_exception(unsigned int ec);
/** The same, but the exception returns to x30 (for a call that branched to a bad address). */
void expect_exception_ret(unsigned int ec);
/**
 * Exceptions from EL0 (vector entries 8-15) go here first when set; returning true means it
 * handled them (changed @regs to return where it wants).
 */
extern bool (*exception_lower_hook)(struct ex_regs *regs, u64 index, u64 esr, u64 far);
/** Disarm; true if the expected exception was taken since expect_exception(). */
bool exception_taken(u64 *esr, u64 *far);
/** ELR of the last expected exception taken. */
u64 exception_elr(void);
/** SPSR_EL1 of the last expected exception taken (the PSTATE it interrupted). */
u64 exception_spsr(void);
/** PSTATE bits its handler ran with: DAIF, and PAN, UAO, DIT, SSBS where implemented. */
u64 exception_handler_pstate(void);
/**
 * Offer every synchronous exception to @fn first (NULL: none); it returns true when it handled
 * the exception (and may change regs->elr, regs->spsr), false to fall through to the usual
 * handling.
 */
void exception_set_sync_hook(bool (*fn)(struct ex_regs *regs, u64 esr));
/** Call @fn for SErrors (then return from them) instead of aborting the program; NULL: abort. */
void exception_set_serror_handler(void (*fn)(u64 esr, u64 index));

/* tern.c: helpers for programs that test Tern itself. */
/* Tern's test hooks (CONFIG_DEBUG_GUEST_HOOKS, include/tern/guest_hooks.h): HVC, x0 = @fid. */
#define GUEST_HOOK_INJECT_SERROR 0xC6000100U
s64 tern_hook(u32 fid);
/*
 * Make Tern switch this vCPU out and in again @n times (WFI with the virtual timer due; its
 * PPI must be disabled in the GIC). The timer's CTL/CVAL are restored after.
 */
void tern_reschedule(unsigned int n);

/* fdt.c: a minimal flattened device tree reader. */
struct fdt_walker {
	void (*begin_node)(void *ctx, int depth, const char *name);
	void (*prop)(void *ctx, int depth, const char *name, const void *val, u32 len);
	void (*end_node)(void *ctx, int depth);
	void *ctx;
};
/** Size of the FDT at @fdt, or 0 if it is not a valid FDT. */
u32 fdt_totalsize(const void *fdt);
/** Walk every node and property; returns false on a malformed tree. */
bool fdt_walk(const void *fdt, const struct fdt_walker *w);
u32 fdt_be32(const void *p);
/** Read a number of @cells 32-bit cells (1 or 2) at @p. */
u64 fdt_cells(const void *p, u32 cells);
/** Number of /cpus/cpu@* nodes of the FDT at @fdt, -1 if there is none or it is malformed. */
int fdt_count_cpus(const void *fdt);

/* bootargs.c: /chosen/bootargs of the guest DT. */
/** The guest's bootargs ("" when it has none). */
const char *guest_bootargs(void);
/** Copy the value of option "@key=value" into @buf; false if absent or longer than @size - 1. */
bool bootarg_get(const char *key, char *buf, size_t size);

/* string helpers */
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlen(const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif /* GUEST_LIBGUEST_H */
