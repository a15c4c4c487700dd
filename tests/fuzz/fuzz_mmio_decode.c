// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MMIO instruction decoder (arch/arm64/mmio_decode.c) on any instruction word, syndrome,
 * base register and FAR: whatever it accepts must describe a real access (sizes 1-8, registers
 * 0-31, pairs and writeback only from instructions, FAR inside the pair), and the load extension
 * must keep exactly the bits the size and sign say.
 */
#include <asm/mmio_decode.h>
#include <tern/errno.h>
#include "fuzz_input.h"

static void check(const struct mmio_insn *mi, int from_insn, u64 base, u64 far, u64 raw)
{
	u64 mask = mi->size == 8 ? ~0ULL : (1ULL << (8 * mi->size)) - 1;
	u64 v;
	int off;

	FUZZ_CHECK(mi->size == 1 || mi->size == 2 || mi->size == 4 || mi->size == 8);
	FUZZ_CHECK(mi->rt < 32 && mi->rt2 < 32 && mi->rn < 32);
	FUZZ_CHECK(from_insn || (!mi->pair && !mi->writeback));
	FUZZ_CHECK(!(mi->size == 8 && !mi->sf));
	FUZZ_CHECK(!mi->pair || mi->size >= 4);
	FUZZ_CHECK(!(mi->pair && !mi->write && mi->rt == mi->rt2));
	FUZZ_CHECK(!(mi->writeback && mi->rn != 31 && !mi->write &&
		     (mi->rn == mi->rt || (mi->pair && mi->rn == mi->rt2))));
	v = mmio_load_extend(mi, raw);
	if (!mi->sf)
		FUZZ_CHECK(v >> 32 == 0);
	if (!mi->sign_extend || !((raw >> (8 * mi->size - 1)) & 1))
		FUZZ_CHECK(v == (raw & mask));
	else
		FUZZ_CHECK((v & mask) == (raw & mask) &&
			   (mi->size == 8 || (v | mask) == (mi->sf ? ~0ULL : 0xffffffffULL)));
	off = mmio_decode_far_offset(mi, base, far);
	FUZZ_CHECK(off == -TERN_EINVAL || (off >= 0 && off < 2 * (int)mi->size));
	if (!mi->pair)
		FUZZ_CHECK(off == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size, 0 };
	u32 insn = fuzz_u32(&in);
	u64 esr = fuzz_u64(&in), base = fuzz_u64(&in), far = fuzz_u64(&in), raw = fuzz_u64(&in);
	struct mmio_insn mi;

	/* Nearby FARs are the interesting ones for pairs. */
	if (far & 1)
		far = base + (far >> 1) % 64 - 16;
	if (!mmio_decode_insn(insn, &mi))
		check(&mi, 1, base, far, raw);
	(void)mmio_decode_is_cmo(insn);
	if (!mmio_decode_esr(esr, &mi))
		check(&mi, 0, base, far, raw);
	return 0;
}
