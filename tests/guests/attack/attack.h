/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef GUEST_ATTACK_H
#define GUEST_ATTACK_H

/*
 * The guest-attack suite (docs/security.md): a hostile EL1/EL0 program. Each attack is a row
 * (area, name, function); the function returns true when Tern stood firm: the guest got the
 * architected result (an emulated value, an abort or UNDEF in itself, an error code) and Tern
 * kept running. Tern's integrity and a victim VM's progress are checked from outside.
 */

#include "../lib/smp.h"

struct attack {
	const char *name;
	bool (*fn)(void);
};

struct attack_area {
	const char *name;
	const struct attack *attacks;
	unsigned int nr;
};

#define ATTACK_AREA(n, table)                                                                      \
	{                                                                                          \
		n, table, ARRAY_SIZE(table)                                                        \
	}

extern const struct attack attacks_mem[], attacks_mmio[], attacks_vgic[], attacks_psci[],
    attacks_sysreg[], attacks_exc[], attacks_el0[], attacks_timer[], attacks_leak[], attacks_cons[],
    attacks_hang[];
extern const unsigned int nr_attacks_mem, nr_attacks_mmio, nr_attacks_vgic, nr_attacks_psci,
    nr_attacks_sysreg, nr_attacks_exc, nr_attacks_el0, nr_attacks_timer, nr_attacks_leak,
    nr_attacks_cons, nr_attacks_hang;

#define ATTACK_TABLE(area, ...)                                                                    \
	const struct attack attacks_##area[] = { __VA_ARGS__ };                                    \
	const unsigned int nr_attacks_##area = ARRAY_SIZE(attacks_##area)

/* RAM of this VM (from the DT /memory node; defaults to 64 MiB). */
extern u64 attack_ram_base, attack_ram_size;
/* Number of vCPUs of this VM (DT /cpus). */
extern unsigned int attack_nr_vcpus;
/* The VM has a virtual GIC (DT interrupt-controller node at GICD_BASE). */
extern bool attack_have_gic;

/* Outcome of one probing access. */
enum probe {
	PROBE_OK,    /* the access completed */
	PROBE_ABORT, /* a data abort was taken in the guest */
	PROBE_OTHER, /* another synchronous exception */
};

enum probe probe_read(u64 addr, unsigned int size, u64 *val);
enum probe probe_write(u64 addr, unsigned int size, u64 val);
/* Call @fn (which may branch anywhere); true if it returned without a synchronous exception. */
bool probe_call(void (*fn)(void), u64 *esr);
/* Execute one generated instruction word (with "ret" after it) on x0 = @in; returns x0. */
bool probe_insn(u32 insn, u64 in, u64 *out, u64 *esr);

/* The syndrome is a data abort taken in the guest (EL1). */
bool esr_is_dabt(u64 esr);
/* Disarm after an inline access: true if a data abort was taken. */
bool probe_result_is_abort(void);
/* Disarm after an inline instruction: true if it was UNDEFINED (EC 0). */
bool probe_result_is_undef(void);
/*
 * The CPU has the instructions (FEAT_LSE atomics, FEAT_LRCPC LDAPR, from the ID registers): an
 * attack through one on a CPU without it (a Cortex-A53) expects it UNDEFINED instead.
 */
bool attack_has_lse(void);
bool attack_has_rcpc(void);
/* Compare through volatile loads (guest RAM scans). */
int memcmp_v(const volatile u8 *a, const char *b, size_t n);

/* EL0: run @entry at EL0 (AArch64 if !aarch32, else A32 user mode) with x0-x14 = regs[0..14];
 * returns when EL0 takes any exception; regs then hold EL0's x0-x30, *esr the syndrome and
 * *index the vector entry (8: sync from AArch64 EL0, 12: sync from AArch32 EL0). */
void el0_run(u64 entry, bool aarch32, u64 regs[31], u64 *esr, u64 *index);

/* Microseconds since boot, from CNTVCT_EL0. */
u64 now_us(void);
void delay_us(u64 us);

#define GUEST_GICD_SIZE 0x10000UL
#define GUEST_ITS_BASE	0x08080000UL

#endif
