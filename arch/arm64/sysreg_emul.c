// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trapped system registers, one table row per register (or bank): ID registers read as the
 * host's with every feature Tern does not virtualise cleared; debug and OS-lock registers
 * are per-vCPU storage, so no VM can program the host's debug logic or see another VM's.
 * Anything not in the table is UNDEFINED for the guest.
 */
#include <asm/sysreg.h>
#include <asm/sysreg_emul.h>
#include <tern/compiler.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <asm/vtimer.h>
#include <virt/vgic_core.h>

#define ISS_SYS_DIR_READ (1UL << 0)
#define ISS_SYS_RT(esr)	 (((esr) >> 5) & 0x1F)
#define ISS_SYS_KEY(esr)                                                                           \
	SYS_REG(((esr) >> 20) & 3, ((esr) >> 14) & 7, ((esr) >> 10) & 0xF, ((esr) >> 1) & 0xF,     \
		((esr) >> 17) & 7)

#define FIELD(shift) (0xFUL << (shift))

struct sysreg_access {
	struct vcpu *vcpu;
	u32 key;
	bool read;
	u64 val; /* in for writes, out for reads */
};

struct sysreg_row {
	u32 key;
	u32 mask; /* key bits that must match: banks of debug registers ignore CRm */
	bool (*fn)(struct sysreg_access *acc, const struct sysreg_row *row);
	u64 arg;
};

enum id_reg {
	ID_PFR0,
	ID_PFR1,
	ID_DFR0,
	ID_ISAR0,
	ID_ISAR1,
	ID_ISAR2,
	ID_MMFR0,
	ID_MMFR1,
	ID_MMFR2,
	ID_REVIDR,
	ID_NR,
};

static u64 id_values[ID_NR];

static unsigned int parange_code(unsigned int bits)
{
	static const unsigned char pa[] = { 32, 36, 40, 42, 44, 48 };

	for (unsigned int i = ARRAY_SIZE(pa); i-- > 0;) {
		if (bits >= pa[i])
			return i;
	}
	return 0;
}

static u64 field_set(u64 v, unsigned int shift, u64 val)
{
	return (v & ~FIELD(shift)) | (val << shift);
}

static u64 field_cap(u64 v, unsigned int shift, u64 max)
{
	return ((v >> shift) & 0xF) > max ? field_set(v, shift, max) : v;
}

void sysreg_emul_init(unsigned int ipa_bits)
{
	u64 v;

	/* ID_AA64PFR0: EL1 AArch64 only, no EL2/EL3 for the guest, no SVE/RAS/MPAM/AMU/SEL2. */
	v = read_sysreg(id_aa64pfr0_el1);
	v = field_set(v, 4, 1);
	v = field_set(v, 8, 0);
	v = field_set(v, 12, 0);
	v &= ~(FIELD(28) | FIELD(32) | FIELD(36) | FIELD(40) | FIELD(44));
	v = field_set(v, 24, 0); /* GIC: no system-register interface until the vGIC exists */
	id_values[ID_PFR0] = v;

	/* ID_AA64PFR1: no MTE, RAS/MPAM fractions, SME, NMI, GCS. */
	v = read_sysreg(id_aa64pfr1_el1);
	v &= ~(FIELD(8) | FIELD(12) | FIELD(16) | FIELD(24) | FIELD(28) | FIELD(36) | FIELD(40) |
	       FIELD(44));
	id_values[ID_PFR1] = v;

	/* ID_AA64DFR0: no PMU, SPE, trace, BRBE; breakpoints/watchpoints as emulated. */
	v = read_sysreg(id_aa64dfr0_el1);
	v &= ~(FIELD(4) | FIELD(8) | FIELD(32) | FIELD(40) | FIELD(44) | FIELD(48) | FIELD(52) |
	       FIELD(56));
	v = field_set(v, 36, 0xF); /* no DoubleLock */
	v = field_cap(v, 12, VCPU_NR_DBG - 1);
	v = field_cap(v, 20, VCPU_NR_DBG - 1);
	id_values[ID_DFR0] = v;

	id_values[ID_ISAR0] = read_sysreg(id_aa64isar0_el1) & ~FIELD(52); /* no TME */
	id_values[ID_ISAR1] = read_sysreg(id_aa64isar1_el1) & ~FIELD(60); /* no LS64 */
	id_values[ID_ISAR2] = read_sysreg(s3_0_c0_c6_2) & ~FIELD(0);	  /* no WFxT */

	/* ID_AA64MMFR0: the physical range the guest sees is its IPA size; no FGT/ECV at EL2. */
	v = read_sysreg(id_aa64mmfr0_el1);
	v = field_set(v, 0, parange_code(ipa_bits));
	v &= ~(FIELD(56) | FIELD(60));
	id_values[ID_MMFR0] = v;

	/* ID_AA64MMFR1: no VHE, LORegions, TWED, HCX, nested stage-2 features. */
	v = read_sysreg(id_aa64mmfr1_el1);
	v &= ~(FIELD(8) | FIELD(16) | FIELD(32) | FIELD(40) | FIELD(48) | FIELD(56));
	id_values[ID_MMFR1] = v;

	/* ID_AA64MMFR2: no nested virtualisation, no FWB (EL2 features). */
	v = read_sysreg(id_aa64mmfr2_el1);
	v &= ~(FIELD(24) | FIELD(40));
	id_values[ID_MMFR2] = v;

	id_values[ID_REVIDR] = read_sysreg(revidr_el1);
}

static bool sys_id(struct sysreg_access *acc, const struct sysreg_row *row)
{
	if (!acc->read)
		return false;
	acc->val = row->arg < ID_NR ? id_values[row->arg] : 0;
	/* GIC system-register interface: present exactly when the VM has a vGICv3. */
	if (row->arg == ID_PFR0 && acc->vcpu->vgic)
		acc->val = field_set(acc->val, 24, 1);
	return true;
}

static bool sys_ptimer(struct sysreg_access *acc, const struct sysreg_row *row)
{
	(void)row;
	return vtimer_ptimer_access(acc->vcpu, acc->key, acc->read, &acc->val);
}

/* ICC_SGI1R/ASGI1R/SGI0R writes trap (HCR_EL2.IMO/FMO): Tern delivers the SGIs. */
static bool sys_sgi(struct sysreg_access *acc, const struct sysreg_row *row)
{
	if (acc->read || !acc->vcpu->vgic)
		return false;
	acc->vcpu->exit_count[EXIT_SGI]++;
	acc->vcpu->exit_count[EXIT_SYSREG]--; /* counted as an SGI instead */
	vgic_send_sgi(acc->vcpu, acc->val, row->arg);
	return true;
}

static bool sys_raz_wi(struct sysreg_access *acc, const struct sysreg_row *row)
{
	(void)row;
	if (acc->read)
		acc->val = 0;
	return true;
}

static bool sys_raz_ro(struct sysreg_access *acc, const struct sysreg_row *row)
{
	(void)row;
	acc->val = 0;
	return acc->read;
}

/* A u64 inside struct vcpu_debug, by offset (row->arg). */
static bool sys_dbg_field(struct sysreg_access *acc, const struct sysreg_row *row)
{
	u64 *reg = (u64 *)((u8 *)&acc->vcpu->arch.dbg + row->arg);

	if (acc->read)
		acc->val = *reg;
	else
		*reg = acc->val;
	return true;
}

/* DBGB[CV]Rn / DBGW[CV]Rn: CRm is the index; row->arg is the bank's offset. */
static bool sys_dbg_bank(struct sysreg_access *acc, const struct sysreg_row *row)
{
	unsigned int n = (acc->key >> 3) & 0xF;
	u64 *bank = (u64 *)((u8 *)&acc->vcpu->arch.dbg + row->arg);

	if (acc->read)
		acc->val = bank[n];
	else
		bank[n] = acc->val;
	return true;
}

static bool sys_oslar(struct sysreg_access *acc, const struct sysreg_row *row)
{
	struct vcpu_debug *d = &acc->vcpu->arch.dbg;

	(void)row;
	if (acc->read)
		return false;
	/* OSLSR_EL1.OSLK (bit 1) follows OSLAR_EL1.OSLK (bit 0). */
	d->oslsr = (d->oslsr & ~2UL) | ((acc->val & 1) << 1);
	return true;
}

static bool sys_oslsr(struct sysreg_access *acc, const struct sysreg_row *row)
{
	(void)row;
	acc->val = acc->vcpu->arch.dbg.oslsr;
	return acc->read;
}

static bool sys_claim(struct sysreg_access *acc, const struct sysreg_row *row)
{
	struct vcpu_debug *d = &acc->vcpu->arch.dbg;

	if (acc->read) {
		acc->val = d->dbgclaim;
		return true;
	}
	if (row->arg)
		d->dbgclaim |= acc->val & 0xFF;
	else
		d->dbgclaim &= ~(acc->val & 0xFF);
	return true;
}

#define DBG_OFF(f) offsetof(struct vcpu_debug, f)
#define EXACT	   0x7FFFFU
#define ANY_CRM	   (EXACT & ~(0xFU << 3))

static const struct sysreg_row sysreg_table[] = {
	/* ID registers (HCR_EL2.TID3, TID1) */
	{ SYS_REG(3, 0, 0, 4, 0), EXACT, sys_id, ID_PFR0 },
	{ SYS_REG(3, 0, 0, 4, 1), EXACT, sys_id, ID_PFR1 },
	{ SYS_REG(3, 0, 0, 5, 0), EXACT, sys_id, ID_DFR0 },
	{ SYS_REG(3, 0, 0, 6, 0), EXACT, sys_id, ID_ISAR0 },
	{ SYS_REG(3, 0, 0, 6, 1), EXACT, sys_id, ID_ISAR1 },
	{ SYS_REG(3, 0, 0, 6, 2), EXACT, sys_id, ID_ISAR2 },
	{ SYS_REG(3, 0, 0, 7, 0), EXACT, sys_id, ID_MMFR0 },
	{ SYS_REG(3, 0, 0, 7, 1), EXACT, sys_id, ID_MMFR1 },
	{ SYS_REG(3, 0, 0, 7, 2), EXACT, sys_id, ID_MMFR2 },
	{ SYS_REG(3, 0, 0, 0, 6), EXACT, sys_id, ID_REVIDR },
	{ SYS_REG(3, 1, 0, 0, 7), EXACT, sys_id, ID_NR }, /* AIDR_EL1 reads 0 */
	/* EL1 physical timer (CNTHCTL_EL2.EL1PCEN = 0), emulated per vCPU */
	{ SYS_REG(3, 3, 14, 2, 0), EXACT, sys_ptimer, 0 },
	{ SYS_REG(3, 3, 14, 2, 1), EXACT, sys_ptimer, 0 },
	{ SYS_REG(3, 3, 14, 2, 2), EXACT, sys_ptimer, 0 },
	/* SGI generation */
	{ SYS_REG(3, 0, 12, 11, 5), EXACT, sys_sgi, 0 }, /* ICC_SGI1R_EL1 */
	{ SYS_REG(3, 1, 12, 11, 6), EXACT, sys_sgi, 0 }, /* ICC_ASGI1R_EL1 */
	{ SYS_REG(3, 2, 12, 11, 7), EXACT, sys_sgi, 1 }, /* ICC_SGI0R_EL1 */
	/* ACTLR_EL1 (TACR): the host's implementation-defined controls are not the guest's. */
	{ SYS_REG(3, 0, 1, 0, 1), EXACT, sys_raz_wi, 0 },
	/* Debug (MDCR_EL2.TDA/TDOSA/TDRA), per vCPU */
	{ SYS_REG(2, 0, 0, 2, 2), EXACT, sys_dbg_field, DBG_OFF(mdscr) },
	{ SYS_REG(2, 0, 0, 2, 0), EXACT, sys_raz_wi, 0 }, /* MDCCINT_EL1 */
	{ SYS_REG(2, 0, 0, 6, 2), EXACT, sys_raz_wi, 0 }, /* OSECCR_EL1 */
	{ SYS_REG(2, 0, 0, 0, 2), EXACT, sys_raz_wi, 0 }, /* OSDTRRX_EL1 */
	{ SYS_REG(2, 0, 0, 3, 2), EXACT, sys_raz_wi, 0 }, /* OSDTRTX_EL1 */
	{ SYS_REG(2, 0, 1, 0, 0), EXACT, sys_raz_ro, 0 }, /* MDRAR_EL1 */
	{ SYS_REG(2, 0, 1, 0, 4), EXACT, sys_oslar, 0 },  /* OSLAR_EL1 */
	{ SYS_REG(2, 0, 1, 1, 4), EXACT, sys_oslsr, 0 },  /* OSLSR_EL1 */
	{ SYS_REG(2, 0, 1, 3, 4), EXACT, sys_dbg_field, DBG_OFF(osdlr) },
	{ SYS_REG(2, 0, 1, 4, 4), EXACT, sys_raz_wi, 0 },  /* DBGPRCR_EL1 */
	{ SYS_REG(2, 0, 7, 8, 6), EXACT, sys_claim, 1 },   /* DBGCLAIMSET_EL1 */
	{ SYS_REG(2, 0, 7, 9, 6), EXACT, sys_claim, 0 },   /* DBGCLAIMCLR_EL1 */
	{ SYS_REG(2, 0, 7, 14, 6), EXACT, sys_raz_ro, 0 }, /* DBGAUTHSTATUS_EL1 */
	{ SYS_REG(2, 3, 0, 1, 0), EXACT, sys_raz_ro, 0 },  /* MDCCSR_EL0 */
	{ SYS_REG(2, 0, 0, 0, 4), ANY_CRM, sys_dbg_bank, DBG_OFF(dbgbvr) },
	{ SYS_REG(2, 0, 0, 0, 5), ANY_CRM, sys_dbg_bank, DBG_OFF(dbgbcr) },
	{ SYS_REG(2, 0, 0, 0, 6), ANY_CRM, sys_dbg_bank, DBG_OFF(dbgwvr) },
	{ SYS_REG(2, 0, 0, 0, 7), ANY_CRM, sys_dbg_bank, DBG_OFF(dbgwcr) },
};

/* The rest of the ID space trapped by TID3 (op0 3, op1 0, CRn 0, CRm 1-7) is RAZ. */
static bool sysreg_is_id_space(u32 key)
{
	unsigned int crm = (key >> 3) & 0xF;

	return (key & ~(0xFU << 3 | 7U)) == SYS_REG(3, 0, 0, 0, 0) && crm >= 1 && crm <= 7;
}

static const struct sysreg_row *sysreg_find(u32 key)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysreg_table); i++) {
		if ((key & sysreg_table[i].mask) == sysreg_table[i].key)
			return &sysreg_table[i];
	}
	return NULL;
}

void sysreg_id_fill(const struct vm *vm, u64 out[32])
{
	struct vcpu probe = { .vm = (struct vm *)vm, .vgic = vm->vgic ? vm->vcpus[0]->vgic : NULL };

	/* Through the same rows as a trapped read, so the fast path cannot answer differently. */
	for (unsigned int i = 0; i < 32; i++) {
		struct sysreg_access acc = { .vcpu = &probe,
					     .key = SYS_REG(3, 0, 0, 4 + i / 8, i % 8),
					     .read = true };
		const struct sysreg_row *row = sysreg_find(acc.key);

		if (!(row ? row->fn(&acc, row) : sys_raz_ro(&acc, NULL)))
			acc.val = 0;
		out[i] = acc.val;
	}
}

u64 sysreg_id_value(u32 key)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysreg_table); i++) {
		if (sysreg_table[i].key == key && sysreg_table[i].fn == sys_id)
			return sysreg_table[i].arg < ID_NR ? id_values[sysreg_table[i].arg] : 0;
	}
	return 0;
}

bool sysreg_emulate(struct vcpu *vcpu, u64 esr)
{
	struct sysreg_access acc = {
		.vcpu = vcpu,
		.key = ISS_SYS_KEY(esr),
		.read = esr & ISS_SYS_DIR_READ,
		.val = vcpu_reg(vcpu, ISS_SYS_RT(esr)),
	};
	const struct sysreg_row *row = sysreg_find(acc.key);
	bool ok;

	if (row)
		ok = row->fn(&acc, row);
	else
		ok = sysreg_is_id_space(acc.key) && sys_raz_ro(&acc, NULL);
	if (ok && acc.read)
		vcpu_set_reg(vcpu, ISS_SYS_RT(esr), acc.val);
	return ok;
}
