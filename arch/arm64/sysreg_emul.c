// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trapped system registers, one table row per register (or bank): ID registers read as
 * sysreg_id.c's table says (features Tern does not virtualise absent); debug and OS-lock registers
 * are the vCPU's own (vdebug.c), so no VM can program another's debug logic or see its state.
 * Anything not in the table is UNDEFINED for the guest.
 */
#include <asm/sysreg.h>
#include <asm/setway.h>
#include <asm/sysreg_emul.h>
#include <asm/sysreg_table.h>
#include <asm/vdebug.h>
#include <asm/vpmu.h>
#include <tern/panic.h>
#include <tern/compiler.h>
#include <tern/vcpu.h>
#include <tern/vm.h>
#include <asm/vtimer.h>
#include <virt/vgic_core.h>

/*
 * ESR_EL2.ISS of a trapped MSR/MRS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
 * CRm [4:1], direction [0]. The index below takes its two halves as they lie there.
 */
#define ISS_SYS_TOP(esr) (((esr) >> 10) & 0xFFF) /* Op0, Op2, Op1, CRn */
#define ISS_SYS_KEY(esr)                                                                           \
	SYS_REG(((esr) >> 20) & 3, ((esr) >> 14) & 7, ((esr) >> 10) & 0xF, ((esr) >> 1) & 0xF,     \
		((esr) >> 17) & 7)
/* The same (Op0, Op2, Op1, CRn) from a SYS_REG() key, at index build time. */
#define SYS_KEY_TOP(key)                                                                           \
	(((key) >> 14 & 3) << 10 | ((key)&7) << 7 | ((key) >> 11 & 7) << 4 | ((key) >> 7 & 0xF))
#define SYS_KEY_CRM(key) (((key) >> 3) & 0xF)

struct sysreg_row {
	u32 key;
	u32 mask; /* key bits that must match: banks of debug registers ignore CRm */
	sysreg_fn fn;
	u64 arg;
};

#define EXACT	     0x7FFFFU
#define ANY_CRM	     (EXACT & ~(0xFU << 3))
#define ANY_OP2	     (EXACT & ~7U)
#define PMU_EV_SPACE (EXACT & ~(7U << 3 | 7U)) /* CRm 8-15, any op2 */
#define ID_SPACE     (EXACT & ~(0x7FU))

/*
 * The register a handler was called for, as SYS_REG(): a row for one register has it already; a
 * bank (ID space, debug banks, PMU) takes it from the ESR.
 */
static u32 sysreg_key(u64 esr, const struct sysreg_row *row)
{
	return row->mask == EXACT ? row->key : ISS_SYS_KEY(esr);
}

/* The ID space (arch/arm64/sysreg_id.c): read only, as on hardware. */
static struct sysreg_ret sys_id(struct vcpu *vcpu, u64 esr, u64 val, const struct sysreg_row *row)
{
	bool ok = sysreg_read(esr) && sysreg_id_read(vcpu->vm, sysreg_key(esr, row), &val);

	return sysreg_ret_if(ok, val);
}

/* DC ISW/CSW/CISW (HCR_EL2.TSW): maintenance of the VM's RAM by address (setway.c). */
static struct sysreg_ret sys_setway(struct vcpu *vcpu, u64 esr, u64 val,
				    const struct sysreg_row *row)
{
	(void)row;
	if (sysreg_read(esr))
		return SYSREG_RET(SYSREG_UNDEF, 0);
	setway_op(vcpu);
	return SYSREG_RET(SYSREG_DONE, val);
}

/* The VM-control registers, trapping (HCR_EL2.TVM) after a set/way operation: writes only. */
static struct sysreg_ret sys_vm_reg(struct vcpu *vcpu, u64 esr, u64 val,
				    const struct sysreg_row *row)
{
	return sysreg_ret_if(
	    !sysreg_read(esr) && setway_vm_reg_write(vcpu, sysreg_key(esr, row), val), val);
}

/*
 * ICC_SGI1R/ASGI1R/SGI0R writes trap (HCR_EL2.IMO/FMO): Tern delivers the SGIs. The vGIC has a
 * single Security state (GICD_CTLR.DS = 1): SGI0R generates Group 0 SGIs, and ASGI1R, which
 * asks for the other Security state's Group 1, has none to ask for and behaves as SGI0R (as
 * KVM decides). row->arg: generates Group 0.
 */
static struct sysreg_ret sys_sgi(struct vcpu *vcpu, u64 esr, u64 val, const struct sysreg_row *row)
{
	if (sysreg_read(esr) || !vcpu->vgic)
		return SYSREG_RET(SYSREG_UNDEF, 0);
	vcpu->exit_count[EXIT_SGI]++;
	vcpu->exit_count[EXIT_SYSREG]--; /* counted as an SGI instead */
	/* An SGI to itself alone, armed: straight into a list register (vgic_v3_fast.c). */
	if (!row->arg && vgic_sgi_fast(vcpu, val))
		return SYSREG_RET(SYSREG_DONE, 0);
	vgic_send_sgi(vcpu, val, row->arg);
	return SYSREG_RET(SYSREG_DONE, 0);
}

static struct sysreg_ret sys_raz_wi(struct vcpu *vcpu, u64 esr, u64 val,
				    const struct sysreg_row *row)
{
	(void)vcpu;
	(void)esr;
	(void)val;
	(void)row;
	return SYSREG_RET(SYSREG_DONE, 0);
}

static struct sysreg_ret sys_raz_ro(struct vcpu *vcpu, u64 esr, u64 val,
				    const struct sysreg_row *row)
{
	(void)vcpu;
	(void)val;
	(void)row;
	return sysreg_ret_if(sysreg_read(esr), 0);
}

/* The PMU (vpmu.c): the vCPU's first access gives it the hardware's, and runs again there. */
static struct sysreg_ret sys_pmu(struct vcpu *vcpu, u64 esr, u64 val, const struct sysreg_row *row)
{
	(void)esr;
	(void)val;
	(void)row;
	return SYSREG_RET(vpmu_first_access(vcpu), 0);
}

/* Every encoding without a row: not a register Tern emulates. */
static struct sysreg_ret sys_none(struct vcpu *vcpu, u64 esr, u64 val, const struct sysreg_row *row)
{
	(void)vcpu;
	(void)esr;
	(void)val;
	(void)row;
	return SYSREG_RET(SYSREG_UNDEF, 0);
}

static const struct sysreg_row sysreg_table[] = {
	/* Row 0, the index's empty slot (below): no row, and no key of its own. */
	{ 0, 0, sys_none, 0 },
	/* ID registers (HCR_EL2.TID3, TID1): op0 3, op1 0, CRn 0, and AIDR_EL1 */
	{ SYS_REG(3, 0, 0, 0, 0), ID_SPACE, sys_id, 0 },
	{ SYS_REG(3, 1, 0, 0, 7), EXACT, sys_id, 0 },
	/* Set/way cache maintenance (HCR_EL2.TSW) */
	{ SYS_REG(1, 0, 7, 6, 2), EXACT, sys_setway, 0 },  /* DC ISW */
	{ SYS_REG(1, 0, 7, 10, 2), EXACT, sys_setway, 0 }, /* DC CSW */
	{ SYS_REG(1, 0, 7, 14, 2), EXACT, sys_setway, 0 }, /* DC CISW */
	/* VM-control registers (HCR_EL2.TVM, after a set/way operation until the caches are on) */
	{ SYS_REG(3, 0, 1, 0, 0), EXACT, sys_vm_reg, 0 },  /* SCTLR_EL1 */
	{ SYS_REG(3, 0, 2, 0, 0), EXACT, sys_vm_reg, 0 },  /* TTBR0_EL1 */
	{ SYS_REG(3, 0, 2, 0, 1), EXACT, sys_vm_reg, 0 },  /* TTBR1_EL1 */
	{ SYS_REG(3, 0, 2, 0, 2), EXACT, sys_vm_reg, 0 },  /* TCR_EL1 */
	{ SYS_REG(3, 0, 5, 1, 0), EXACT, sys_vm_reg, 0 },  /* AFSR0_EL1 */
	{ SYS_REG(3, 0, 5, 1, 1), EXACT, sys_vm_reg, 0 },  /* AFSR1_EL1 */
	{ SYS_REG(3, 0, 5, 2, 0), EXACT, sys_vm_reg, 0 },  /* ESR_EL1 */
	{ SYS_REG(3, 0, 6, 0, 0), EXACT, sys_vm_reg, 0 },  /* FAR_EL1 */
	{ SYS_REG(3, 0, 10, 2, 0), EXACT, sys_vm_reg, 0 }, /* MAIR_EL1 */
	{ SYS_REG(3, 0, 10, 3, 0), EXACT, sys_vm_reg, 0 }, /* AMAIR_EL1 */
	{ SYS_REG(3, 0, 13, 0, 1), EXACT, sys_vm_reg, 0 }, /* CONTEXTIDR_EL1 */
	/* EL1 physical timer (CNTHCTL_EL2.EL1PCEN = 0), emulated per vCPU */
	{ SYS_REG(3, 3, 14, 2, 0), EXACT, vtimer_ptimer_tval, 0 }, /* CNTP_TVAL_EL0 */
	{ SYS_REG(3, 3, 14, 2, 1), EXACT, vtimer_ptimer_ctl, 0 },  /* CNTP_CTL_EL0 */
	{ SYS_REG(3, 3, 14, 2, 2), EXACT, vtimer_ptimer_cval, 0 }, /* CNTP_CVAL_EL0 */
	/* SGI generation */
	{ SYS_REG(3, 0, 12, 11, 5), EXACT, sys_sgi, 0 }, /* ICC_SGI1R_EL1 */
	{ SYS_REG(3, 0, 12, 11, 6), EXACT, sys_sgi, 1 }, /* ICC_ASGI1R_EL1 */
	{ SYS_REG(3, 0, 12, 11, 7), EXACT, sys_sgi, 1 }, /* ICC_SGI0R_EL1 */
	/* Performance monitors (MDCR_EL2.TPM/TPMCR until the vCPU's first access) */
	{ SYS_REG(3, 3, 9, 12, 0), ANY_OP2, sys_pmu, 0 },
	{ SYS_REG(3, 3, 9, 13, 0), ANY_OP2, sys_pmu, 0 },
	{ SYS_REG(3, 3, 9, 14, 0), ANY_OP2, sys_pmu, 0 },
	{ SYS_REG(3, 0, 9, 14, 1), EXACT, sys_pmu, 0 },	       /* PMINTENSET_EL1 */
	{ SYS_REG(3, 0, 9, 14, 2), EXACT, sys_pmu, 0 },	       /* PMINTENCLR_EL1 */
	{ SYS_REG(3, 0, 9, 14, 6), EXACT, sys_pmu, 0 },	       /* PMMIR_EL1 */
	{ SYS_REG(3, 3, 14, 8, 0), PMU_EV_SPACE, sys_pmu, 0 }, /* PMEVCNTR/PMEVTYPER, PMCCFILTR */
	/* ACTLR_EL1 (TACR): the host's implementation-defined controls are not the guest's. */
	{ SYS_REG(3, 0, 1, 0, 1), EXACT, sys_raz_wi, 0 },
	/* Debug (MDCR_EL2.TDA/TDOSA/TDRA), per vCPU: arch/arm64/vdebug.c */
	{ SYS_REG(2, 0, 0, 2, 2), EXACT, vdebug_mdscr, 0 },    /* MDSCR_EL1 */
	{ SYS_REG(2, 0, 0, 2, 0), EXACT, sys_raz_wi, 0 },      /* MDCCINT_EL1 */
	{ SYS_REG(2, 0, 0, 6, 2), EXACT, sys_raz_wi, 0 },      /* OSECCR_EL1 */
	{ SYS_REG(2, 0, 0, 0, 2), EXACT, sys_raz_wi, 0 },      /* OSDTRRX_EL1 */
	{ SYS_REG(2, 0, 0, 3, 2), EXACT, sys_raz_wi, 0 },      /* OSDTRTX_EL1 */
	{ SYS_REG(2, 0, 1, 0, 0), EXACT, sys_raz_ro, 0 },      /* MDRAR_EL1 */
	{ SYS_REG(2, 0, 1, 0, 4), EXACT, vdebug_oslar, 0 },    /* OSLAR_EL1 */
	{ SYS_REG(2, 0, 1, 1, 4), EXACT, vdebug_oslsr, 0 },    /* OSLSR_EL1 */
	{ SYS_REG(2, 0, 1, 3, 4), EXACT, vdebug_osdlr, 0 },    /* OSDLR_EL1 */
	{ SYS_REG(2, 0, 1, 4, 4), EXACT, sys_raz_wi, 0 },      /* DBGPRCR_EL1 */
	{ SYS_REG(2, 0, 7, 8, 6), EXACT, vdebug_claimset, 0 }, /* DBGCLAIMSET_EL1 */
	{ SYS_REG(2, 0, 7, 9, 6), EXACT, vdebug_claimclr, 0 }, /* DBGCLAIMCLR_EL1 */
	{ SYS_REG(2, 0, 7, 14, 6), EXACT, sys_raz_ro, 0 },     /* DBGAUTHSTATUS_EL1 */
	{ SYS_REG(2, 3, 0, 1, 0), EXACT, sys_raz_ro, 0 },      /* MDCCSR_EL0 */
	{ SYS_REG(2, 0, 0, 0, 4), ANY_CRM, vdebug_bank, 0 },   /* DBGBVR<n>_EL1 */
	{ SYS_REG(2, 0, 0, 0, 5), ANY_CRM, vdebug_bank, 0 },   /* DBGBCR<n>_EL1 */
	{ SYS_REG(2, 0, 0, 0, 6), ANY_CRM, vdebug_bank, 0 },   /* DBGWVR<n>_EL1 */
	{ SYS_REG(2, 0, 0, 0, 7), ANY_CRM, vdebug_bank, 0 },   /* DBGWCR<n>_EL1 */
};

/*
 * The rows indexed by encoding, so that a trap costs the same whatever its row, and indexed by
 * the ESR's own bit fields so that finding the row takes two shifts and masks: ISS [21:10] (Op0,
 * Op2, Op1, CRn) selects a page of 16 slots, CRm a slot, a slot holding its row's index: 0 for
 * none, the sys_none() row, so that finding a row never branches. Page 0 stays empty, the page of
 * every (Op0, Op2, Op1, CRn) that has no row. Built once at boot
 * (sysreg_emul_init(), before any vCPU runs) from the table, first matching row wins as in a
 * walk of it; read-only afterwards. Every mask above only leaves out CRm and op2 bits.
 */
#define SYSREG_NR_TOPS	  (1U << 12)
#define SYSREG_PAGE_SLOTS 16U
#define SYSREG_NR_PAGES	  64

_Static_assert(ARRAY_SIZE(sysreg_table) <= 256, "row index must fit a u8 slot");
static u8 sysreg_page_of[SYSREG_NR_TOPS];
static u8 sysreg_pages[SYSREG_NR_PAGES][SYSREG_PAGE_SLOTS];

__cold void sysreg_emul_init(void)
{
	unsigned int nr_pages = 1;

	for (size_t i = 1; i < ARRAY_SIZE(sysreg_table); i++) {
		const struct sysreg_row *row = &sysreg_table[i];

		if ((row->mask | 0x7FU) != EXACT || row->key & ~row->mask || row->key > EXACT)
			panic("sysreg table: row 0x%x mask 0x%x leaves out more than CRm and op2",
			      row->key, row->mask);
		/* Every (CRm, op2) of the row's (op0, op1, CRn). */
		for (u32 low = 0; low < 0x80; low++) {
			u32 key = (row->key & ~0x7FU) | low;
			u32 top = SYS_KEY_TOP(key);
			u8 *slot;

			if ((key & row->mask) != row->key)
				continue;
			if (!sysreg_page_of[top]) {
				if (nr_pages == SYSREG_NR_PAGES)
					panic(
					    "sysreg table: more than %u (op0, op2, op1, CRn) pages",
					    SYSREG_NR_PAGES - 1);
				sysreg_page_of[top] = (u8)nr_pages++;
			}
			slot = &sysreg_pages[sysreg_page_of[top]][SYS_KEY_CRM(key)];
			if (!*slot)
				*slot = (u8)i;
		}
	}
}

/* The row for the register in @esr's ISS: row 0 (sys_none()) if none. */
static inline const struct sysreg_row *sysreg_find_iss(u64 esr)
{
	size_t slot = sysreg_pages[sysreg_page_of[ISS_SYS_TOP(esr)]][ISS_SYS_CRM(esr)];

	return &sysreg_table[slot];
}

/*
 * For tests/unit/test_sysreg_emul.c, which checks this table against sysreg_table.h on the host;
 * nothing in Tern calls them, so --gc-sections leaves them (and the check) out of tern.elf.
 */
bool sysreg_emul_handles(u32 key)
{
	u64 iss = (u64)SYS_KEY_TOP(key) << 10 | (u64)SYS_KEY_CRM(key) << 1;

	return key <= EXACT && sysreg_find_iss(iss) != &sysreg_table[0];
}

bool sysreg_emul_row_key(size_t i, u32 *key)
{
	if (i + 1 >= ARRAY_SIZE(sysreg_table))
		return false;
	*key = sysreg_table[i + 1].key;
	return true;
}

struct sysreg_ret sysreg_emulate(struct vcpu *vcpu, u64 esr)
{
	const struct sysreg_row *row = sysreg_find_iss(esr);

	/* A tail call: the answer goes back in x0/x1 as the handler gave it. */
	return row->fn(vcpu, esr, vcpu_reg(vcpu, ISS_SYS_RT(esr)), row);
}
