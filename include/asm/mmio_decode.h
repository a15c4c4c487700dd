/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding of AArch64 guest loads and stores that trap to EL2 as stage-2 data aborts on emulated
 * MMIO. Either the syndrome describes the access (ESR_EL2.ISS.ISV == 1), or the hypervisor fetches
 * the instruction from guest memory and decodes it: the architecture leaves ISV at 0 for writeback
 * forms and pairs, which compilers do emit for device accesses.
 *
 * How a caller emulates a decoded access:
 *  1. Address. A single-register access is at the faulting address (HPFAR_EL2 page + FAR_EL2 page
 *     offset). For a pair, the faulting address may be either element (and which one is
 *     IMPLEMENTATION DEFINED), so the decoder returns where the access starts relative to the base
 *     register: read the guest's Xn (SP_EL0 or SP_EL1 per SPSR_EL2.M when rn == 31) and let
 *     mmio_decode_far_offset() say how far into the access FAR_EL2 lies. The first element's IPA is
 *     then the faulting IPA minus that offset; if the whole access does not lie in the faulting
 *     page, the other page's IPA is unknown and the caller injects a data abort.
 *  2. Stores: read Xt (and Xt2) before any writeback, truncate to size; register 31 stores zero.
 *     A store with writeback and rn == rt stores the register's original value, one of the
 *     behaviours the architecture permits for that CONSTRAINED UNPREDICTABLE case.
 *  3. Loads: write mmio_load_extend(mi, data) to Xt (and Xt2); register 31 discards the data.
 *  4. acqrel: put a barrier (DSB) before and after the emulated access, so it is ordered
 *     against the guest's other memory accesses as the acquire/release semantics require.
 *  5. writeback: Xn (or SP) += wb_offset. Then ELR_EL2 += 4.
 */
#ifndef ASM_MMIO_DECODE_H
#define ASM_MMIO_DECODE_H

#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/types.h>

/* Data abort ISS fields that are valid when ISV == 1 (ESR_EL2, EC 0x24). */
#define DABT_ISS_SAS_SHIFT 22
#define DABT_ISS_SAS_MASK  0x3U
#define DABT_ISS_SSE	   BIT(21)
#define DABT_ISS_SRT_SHIFT 16
#define DABT_ISS_SRT_MASK  0x1FU
#define DABT_ISS_SF	   BIT(15)
#define DABT_ISS_AR	   BIT(14)
#define DABT_ISS_CM	   BIT(8)
#define DABT_ISS_S1PTW	   BIT(7)

/** The register number that means SP as a base and XZR/WZR as data. */
#define MMIO_REG_ZR_SP 31

/** A decoded guest load or store. */
struct mmio_insn {
	/** Bytes per element: 1, 2, 4 or 8. */
	u8 size;
	/** Store (else load). */
	bool write;
	/** Sign-extending load: LDRSB, LDRSH, LDRSW, LDPSW. */
	bool sign_extend;
	/** The data register is Xt (64-bit), else Wt: see mmio_load_extend(). */
	bool sf;
	/** Load-acquire or store-release (ESR.AR): needs a barrier around the emulated access. */
	bool acqrel;
	/** Data register 0..31; 31 is XZR/WZR. */
	u8 rt;
	/** LDP/STP/LDNP/STNP/LDPSW: a second element at address + size, register rt2. */
	bool pair;
	/** Second data register of a pair; 31 is XZR/WZR. */
	u8 rt2;
	/** Base register; 31 is SP. Only decoded from instructions (0 from a syndrome). */
	u8 rn;
	/** Pre- or post-index: Xn (or SP) += wb_offset after the access. */
	bool writeback;
	/** Added to the base register after the access when writeback. */
	s64 wb_offset;
	/**
	 * Immediate addressing: the first element's virtual address is Xn + offset (0 for
	 * post-index). 0 for register-offset forms and syndromes, whose single element is at FAR.
	 */
	s64 offset;
};

/**
 * mmio_decode_esr() - Decode a stage-2 data abort from its syndrome.
 * @esr: ESR_EL2 of a data abort from a lower exception level (EC 0x24), AArch64 guest.
 * @out: filled on success only.
 *
 * Return: 0; -TERN_ENOENT if ISV == 0 (fetch the instruction and use mmio_decode_insn());
 * -TERN_EINVAL if @esr is not a data abort from a lower level, is on a stage-1 table walk or
 * cache maintenance, or describes a 64-bit access to a W register. Inline: every MMIO exit
 * decodes its syndrome, and the fields then stay in registers.
 */
static inline int mmio_decode_esr(u64 esr, struct mmio_insn *out)
{
	struct mmio_insn mi = { 0 };

	if (ESR_ELx_EC(esr) != ESR_EC_DABT_LOW || (esr & (DABT_ISS_CM | DABT_ISS_S1PTW)))
		return -TERN_EINVAL;
	if (!(esr & ESR_ISS_DABT_ISV))
		return -TERN_ENOENT;
	mi.size = 1U << ((esr >> DABT_ISS_SAS_SHIFT) & DABT_ISS_SAS_MASK);
	mi.write = esr & ESR_ISS_DABT_WNR;
	mi.sign_extend = !mi.write && mi.size < 8 && (esr & DABT_ISS_SSE);
	mi.sf = esr & DABT_ISS_SF;
	mi.acqrel = esr & DABT_ISS_AR;
	mi.rt = (esr >> DABT_ISS_SRT_SHIFT) & DABT_ISS_SRT_MASK;
	if (mi.size == 8 && !mi.sf)
		return -TERN_EINVAL;
	*out = mi;
	return 0;
}

/**
 * mmio_decode_insn() - Decode a guest AArch64 load/store instruction.
 * @insn: the instruction word, fetched from guest memory at ELR_EL2.
 * @out: filled on success only.
 *
 * Decodes general-purpose register LDR/STR (B/H/W/X) with unsigned, unscaled, pre-index,
 * post-index and register offsets; LDRSB/LDRSH/LDRSW to W and X in the same modes; LDP/STP (W, X),
 * LDPSW, LDNP/STNP with signed offset, pre- and post-index.
 *
 * Return: 0, or -TERN_ENOTSUP for anything else (SIMD/FP, exclusives, atomics, acquire/release,
 * unprivileged, PRFM, literal, tag, non-load/store instructions) and for the CONSTRAINED
 * UNPREDICTABLE loads: writeback with rn == rt or rt2 (rn != 31), and pairs loading rt == rt2.
 * The caller injects a data abort into the guest.
 */
int mmio_decode_insn(u32 insn, struct mmio_insn *out);

/**
 * mmio_decode_is_cmo() - Whether @insn is cache maintenance by VA (DC CVAC, CVAP, CIVAC, IVAC,
 * CVAU, CVADP and the tag variants, IC IVAU): it accesses no data, so a stage-2 fault on it
 * means nothing to clean. Not DC ZVA/GVA/GZVA (writes) nor AT (no access).
 */
bool mmio_decode_is_cmo(u32 insn);

/**
 * mmio_decode_far_offset() - How far into a decoded access the faulting address lies.
 * @mi: from mmio_decode_insn() or mmio_decode_esr().
 * @base: the guest's base register (Xn, or SP if rn == 31) as it was at the trap.
 * @far: FAR_EL2.
 *
 * Return: the byte offset of @far from the first element's address: always 0 for single-register
 * accesses (FAR is the access address), 0 .. 2 * size - 1 for pairs; -TERN_EINVAL if @far is not
 * inside the pair addressed by @base.
 */
int mmio_decode_far_offset(const struct mmio_insn *mi, u64 base, u64 far);

/**
 * mmio_extend() - The register value a load of @raw produces.
 * @size: bytes loaded, 1, 2, 4 or 8; bits of @raw above size * 8 are ignored.
 * @sign: a sign-extending load (ignored for 8 bytes).
 * @sf: the data register is Xt, else Wt.
 *
 * Return: @raw zero- or sign-extended from size * 8 bits to 64 (Xt) or 32 (Wt, upper 32 bits zero).
 */
static inline u64 mmio_extend(unsigned int size, bool sign, bool sf, u64 raw)
{
	u64 v = raw;

	if (size && size < 8) {
		u64 bit = 1ULL << (size * 8 - 1);

		v &= (bit << 1) - 1;
		if (unlikely(sign))
			v = (v ^ bit) - bit;
	}
	if (!sf)
		v &= 0xFFFFFFFFULL;
	return v;
}

/* mmio_extend() for the load @mi decodes. */
static inline u64 mmio_load_extend(const struct mmio_insn *mi, u64 raw)
{
	return mmio_extend(mi->size, mi->sign_extend, mi->sf, raw);
}

/*
 * The syndrome of the common emulated access, in one test: a data abort from a lower exception
 * level (EC 0x24) that the syndrome describes (ISV = 1: one register, no writeback), a stage-2
 * translation fault (DFSC 0b0001xx: HPFAR holds the IPA), not on a stage-1 walk, not cache
 * maintenance, not load-acquire/store-release, and not a 64-bit access to a W register (which
 * mmio_decode_esr() refuses). The same fields mmio_decode_esr() reads then describe it:
 * DABT_ISS_SAS, SRT, WnR, SSE (loads of fewer than 8 bytes), SF.
 */
#define DABT_SIMPLE_MASK                                                                           \
	((ESR_ELx_EC_MASK << ESR_ELx_EC_SHIFT) | ESR_ISS_DABT_ISV | DABT_ISS_AR | DABT_ISS_CM |    \
	 DABT_ISS_S1PTW | 0x3CUL)
#define DABT_SIMPLE_MATCH (((u64)ESR_EC_DABT_LOW << ESR_ELx_EC_SHIFT) | ESR_ISS_DABT_ISV | 0x04UL)

static inline bool mmio_esr_simple(u64 esr)
{
	const u64 x_w = ((u64)DABT_ISS_SAS_MASK << DABT_ISS_SAS_SHIFT) | DABT_ISS_SF;

	/* The 64-bit W-register access: SAS 3 with SF clear, in one comparison. */
	return (esr & DABT_SIMPLE_MASK) == DABT_SIMPLE_MATCH &&
	       (esr & x_w) != ((u64)DABT_ISS_SAS_MASK << DABT_ISS_SAS_SHIFT);
}

/*
 * mmio_esr_simple() of a syndrome known to be a data abort from a lower level with ISV set (the
 * exit vector tested both before vcpu_exit_mmio_write()): the other fields only.
 */
static inline bool mmio_esr_simple_dabt_isv(u64 esr)
{
	const u64 x_w = ((u64)DABT_ISS_SAS_MASK << DABT_ISS_SAS_SHIFT) | DABT_ISS_SF;
	const u64 mask =
	    DABT_SIMPLE_MASK & ~((ESR_ELx_EC_MASK << ESR_ELx_EC_SHIFT) | ESR_ISS_DABT_ISV);

	return (esr & mask) == 0x04UL &&
	       (esr & x_w) != ((u64)DABT_ISS_SAS_MASK << DABT_ISS_SAS_SHIFT);
}

#endif
