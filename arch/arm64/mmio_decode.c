// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding of trapped guest loads and stores (see asm/mmio_decode.h). Encodings follow the Arm ARM,
 * section C4.1 "A64 instruction set encoding", "Loads and Stores".
 */
#include <asm/mmio_decode.h>
#include <asm/sysreg.h>
#include <tern/compiler.h>
#include <tern/errno.h>

static u32 field(u32 insn, unsigned int hi, unsigned int lo)
{
	return (insn >> lo) & (u32)((1ULL << (hi - lo + 1)) - 1);
}

static s64 sfield(u32 insn, unsigned int hi, unsigned int lo)
{
	s64 sign = (s64)1 << (hi - lo);

	return ((s64)field(insn, hi, lo) ^ sign) - sign;
}

/*
 * Element size, direction and extension of a single-register load/store from size (insn[31:30])
 * and opc (insn[23:22]), V == 0. Shared by all its addressing modes.
 */
static int decode_single(u32 insn, struct mmio_insn *mi)
{
	unsigned int size = field(insn, 31, 30);

	mi->size = 1U << size;
	mi->rt = field(insn, 4, 0);
	mi->rn = field(insn, 9, 5);
	switch (field(insn, 23, 22)) {
	case 0: /* STRB, STRH, STR Wt, STR Xt */
		mi->write = true;
		mi->sf = size == 3;
		return 0;
	case 1: /* LDRB, LDRH, LDR Wt, LDR Xt */
		mi->sf = size == 3;
		return 0;
	case 2: /* LDRSB Xt, LDRSH Xt, LDRSW Xt; size 3 is PRFM or unallocated */
		if (size == 3)
			return -TERN_ENOTSUP;
		mi->sign_extend = true;
		mi->sf = true;
		return 0;
	default: /* LDRSB Wt, LDRSH Wt; sizes 2 and 3 are unallocated */
		if (size >= 2)
			return -TERN_ENOTSUP;
		mi->sign_extend = true;
		return 0;
	}
}

/* LDR/STR (immediate, unsigned offset): imm12 scaled by the element size. */
static int decode_uoffset(u32 insn, struct mmio_insn *mi)
{
	int rc = decode_single(insn, mi);

	mi->offset = (s64)field(insn, 21, 10) * mi->size;
	return rc;
}

/* LDUR/STUR (unscaled immediate): simm9, no writeback. */
static int decode_unscaled(u32 insn, struct mmio_insn *mi)
{
	int rc = decode_single(insn, mi);

	mi->offset = sfield(insn, 20, 12);
	return rc;
}

/* LDR/STR (immediate, post-index): access at Xn, then Xn += simm9. */
static int decode_post(u32 insn, struct mmio_insn *mi)
{
	int rc = decode_single(insn, mi);

	mi->writeback = true;
	mi->wb_offset = sfield(insn, 20, 12);
	return rc;
}

/* LDR/STR (immediate, pre-index): Xn += simm9, then access at Xn. */
static int decode_pre(u32 insn, struct mmio_insn *mi)
{
	int rc = decode_single(insn, mi);

	mi->writeback = true;
	mi->wb_offset = sfield(insn, 20, 12);
	mi->offset = mi->wb_offset;
	return rc;
}

/* LDR/STR (register): Xn + extend(Xm) << shift. FAR is the address, so only the option is checked.
 */
static int decode_register(u32 insn, struct mmio_insn *mi)
{
	/* option<1> == 0 (UXTB/UXTH/SXTB/SXTH) is unallocated. */
	if (!(field(insn, 15, 13) & 2))
		return -TERN_ENOTSUP;
	return decode_single(insn, mi);
}

/* LDP/STP/LDPSW/LDNP/STNP: signed offset, pre-index, post-index (insn[24:23]), imm7 scaled. */
static int decode_pair(u32 insn, struct mmio_insn *mi)
{
	unsigned int opc = field(insn, 31, 30), index = field(insn, 24, 23);
	bool load = field(insn, 22, 22);
	s64 imm;

	switch (opc) {
	case 0: /* W registers */
		mi->size = 4;
		break;
	case 1: /* LDPSW; the store encoding is STGP (tags), and there is no LDNPSW */
		if (!load || index == 0)
			return -TERN_ENOTSUP;
		mi->size = 4;
		mi->sign_extend = true;
		mi->sf = true;
		break;
	case 2: /* X registers */
		mi->size = 8;
		mi->sf = true;
		break;
	default: /* LDTP/STTP (FEAT_LSUI) or unallocated */
		return -TERN_ENOTSUP;
	}
	mi->pair = true;
	mi->write = !load;
	mi->rt = field(insn, 4, 0);
	mi->rn = field(insn, 9, 5);
	mi->rt2 = field(insn, 14, 10);
	imm = sfield(insn, 21, 15) * mi->size;
	if (load && mi->rt == mi->rt2)
		return -TERN_ENOTSUP; /* CONSTRAINED UNPREDICTABLE */
	switch (index) {
	case 1: /* post-index */
		mi->writeback = true;
		mi->wb_offset = imm;
		break;
	case 3: /* pre-index */
		mi->writeback = true;
		mi->wb_offset = imm;
		mi->offset = imm;
		break;
	default: /* signed offset, or no-allocate offset */
		mi->offset = imm;
		break;
	}
	return 0;
}

/*
 * General-purpose register forms only: V (insn[26]) is 0 in every value. The register group
 * (insn[29:24] == 0b111000) is split by insn[21] and insn[11:10]; rows not listed (unprivileged
 * LDTR/STTR, atomics, LDAPR, LDRAA/LDRAB) are not decoded.
 */
static const struct mmio_insn_form {
	u32 mask;
	u32 value;
	int (*decode)(u32 insn, struct mmio_insn *mi);
} mmio_insn_forms[] = {
	{ 0x3F000000, 0x39000000, decode_uoffset },  { 0x3F200C00, 0x38000000, decode_unscaled },
	{ 0x3F200C00, 0x38000400, decode_post },     { 0x3F200C00, 0x38000C00, decode_pre },
	{ 0x3F200C00, 0x38200800, decode_register }, { 0x3E000000, 0x28000000, decode_pair },
};

int mmio_decode_insn(u32 insn, struct mmio_insn *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(mmio_insn_forms); i++) {
		const struct mmio_insn_form *f = &mmio_insn_forms[i];
		struct mmio_insn mi = { 0 };
		int rc;

		if ((insn & f->mask) != f->value)
			continue;
		rc = f->decode(insn, &mi);
		if (rc)
			return rc;
		/* A load that writes back to one of its data registers is CONSTRAINED
		 * UNPREDICTABLE. */
		if (mi.writeback && !mi.write && mi.rn != MMIO_REG_ZR_SP &&
		    (mi.rn == mi.rt || (mi.pair && mi.rn == mi.rt2)))
			return -TERN_ENOTSUP;
		*out = mi;
		return 0;
	}
	return -TERN_ENOTSUP;
}

#define SYS_INSN_MASK 0xFFF80000U /* SYS, L = 0, op0 = 1 */
#define SYS_INSN      0xD5080000U
#define SYS_CRN(insn) (((insn) >> 12) & 0xF)
#define SYS_CRM(insn) (((insn) >> 8) & 0xF)

bool mmio_decode_is_cmo(u32 insn)
{
	unsigned int crm = SYS_CRM(insn);

	/*
	 * CRn 7 holds cache maintenance and AT (CRm 8, 9); CRm 4 is DC ZVA/GVA/GZVA; CRm 0 and 1
	 * have no VA operand.
	 */
	return (insn & SYS_INSN_MASK) == SYS_INSN && SYS_CRN(insn) == 7 && crm != 4 && crm != 8 &&
	       crm != 9 && crm != 1 && crm != 0;
}

int mmio_decode_far_offset(const struct mmio_insn *mi, u64 base, u64 far)
{
	u64 delta;

	if (!mi->pair)
		return 0;
	delta = far - (base + (u64)mi->offset);
	if (delta >= 2U * mi->size)
		return -TERN_EINVAL;
	return (int)delta;
}
