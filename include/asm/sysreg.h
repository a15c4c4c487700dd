/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

/* Register and field names follow the Arm ARM. */

#define CURRENTEL_EL_SHIFT 2

/* SCTLR_EL2 (HCR_EL2.E2H == 0 layout) */
#define SCTLR_EL2_M    (1UL << 0)
#define SCTLR_EL2_A    (1UL << 1)
#define SCTLR_EL2_C    (1UL << 2)
#define SCTLR_EL2_SA   (1UL << 3)
#define SCTLR_EL2_I    (1UL << 12)
#define SCTLR_EL2_WXN  (1UL << 19)
#define SCTLR_EL2_EE   (1UL << 25)
#define SCTLR_EL2_RES1 0x30C50830UL

/* HCR_EL2 */
#define HCR_EL2_FMO    (1UL << 3)
#define HCR_EL2_IMO    (1UL << 4)
#define HCR_EL2_AMO    (1UL << 5)
#define HCR_EL2_RW     (1UL << 31)
#define HCR_EL2_VM     (1UL << 0)
#define HCR_EL2_SWIO   (1UL << 1)
#define HCR_EL2_VSE    (1UL << 8)
#define HCR_EL2_FB     (1UL << 9)
#define HCR_EL2_BSU_IS (1UL << 10)
#define HCR_EL2_TWI    (1UL << 13)
#define HCR_EL2_TWE    (1UL << 14)
#define HCR_EL2_TID1   (1UL << 16)
#define HCR_EL2_TID3   (1UL << 18)
#define HCR_EL2_TSC    (1UL << 19)
#define HCR_EL2_TIDCP  (1UL << 20)
#define HCR_EL2_TACR   (1UL << 21)
#define HCR_EL2_TSW    (1UL << 22)
#define HCR_EL2_TVM    (1UL << 26)
#define HCR_EL2_TLOR   (1UL << 35)
#define HCR_EL2_TERR   (1UL << 36)
#define HCR_EL2_TID5   (1UL << 58)
#define HCR_EL2_APK    (1UL << 40)
#define HCR_EL2_API    (1UL << 41)
/* Before any guest runs: physical FIQ/IRQ/SError target EL2, or EL2 could never take them. */
#define HCR_EL2_HOST (HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_RW)

/* SCTLR_EL1: a guest's MMU and data cache enables */
#define SCTLR_EL1_M (1UL << 0)
#define SCTLR_EL1_C (1UL << 2)

/* CPTR_EL2 (E2H == 0) */
#define CPTR_EL2_RES1 0x000032FFUL
#define CPTR_EL2_TZ   (1UL << 8)
#define CPTR_EL2_TFP  (1UL << 10)
#define CPTR_EL2_TTA  (1UL << 20)
#define CPTR_EL2_TAM  (1UL << 30)

/* MDCR_EL2 */
#define MDCR_EL2_HPMN_MASK 0x1FUL
#define MDCR_EL2_TPMCR	   (1UL << 5)
#define MDCR_EL2_TPM	   (1UL << 6)
#define MDCR_EL2_TDA	   (1UL << 9)
#define MDCR_EL2_TDOSA	   (1UL << 10)
#define MDCR_EL2_TDRA	   (1UL << 11)
#define MDCR_EL2_TPMS	   (1UL << 14)
#define MDCR_EL2_HPMD	   (1UL << 17)
#define MDCR_EL2_HCCD	   (1UL << 23)
#define MDCR_EL2_TTRF	   (1UL << 19)

/* CNTHCTL_EL2 (E2H == 0) */
#define CNTHCTL_EL2_EL1PCTEN (1UL << 0)
#define CNTHCTL_EL2_EL1PCEN  (1UL << 1)

/* HPFAR_EL2 */
#define HPFAR_EL2_FIPA_SHIFT 4
#define HPFAR_EL2_FIPA_MASK  0x0000FFFFFFFFFFF0UL

/* The IPA of a stage-2 fault: the page from HPFAR_EL2, the offset in it from FAR_EL2. */
#define HPFAR_FAULT_IPA(hpfar, far)                                                                \
	((((hpfar)&HPFAR_EL2_FIPA_MASK) << (12 - HPFAR_EL2_FIPA_SHIFT)) | ((far)&0xFFF))

/* Data/instruction fault status codes (ESR ISS DFSC/IFSC): a translation fault, levels 0-3. */
#define DFSC_TRANSLATION_MIN 0x04
#define DFSC_TRANSLATION_MAX 0x07

/* SPSR / PSTATE modes */
#define PSR_MODE_EL0t 0x0
#define PSR_MODE_EL1t 0x4
#define PSR_MODE_EL1h 0x5
#define PSR_MODE_32   (1UL << 4)
/* AArch32 state: T32 (Thumb) instruction set. */
#define PSR_AA32_T (1UL << 5)
#define PSR_DAIF   (SPSR_D | SPSR_A | SPSR_I | SPSR_F)

/* TCR_EL2 (E2H == 0) */
#define TCR_EL2_RES1	   ((1UL << 31) | (1UL << 23))
#define TCR_EL2_T0SZ(x)	   ((unsigned long)(x) << 0)
#define TCR_EL2_IRGN0_WBWA (1UL << 8)
#define TCR_EL2_ORGN0_WBWA (1UL << 10)
#define TCR_EL2_SH0_INNER  (3UL << 12)
#define TCR_EL2_TG0_4K	   (0UL << 14)
#define TCR_EL2_PS_SHIFT   16

/* MAIR attribute indexes used by Tern's stage-1 tables */
#define MT_DEVICE_nGnRnE 0
#define MT_DEVICE_nGnRE	 1
#define MT_NORMAL	 2
#define MT_NORMAL_NC	 3
#define MAIR_EL2_VALUE                                                                             \
	((0x00UL << (8 * MT_DEVICE_nGnRnE)) | (0x04UL << (8 * MT_DEVICE_nGnRE)) |                  \
	 (0xFFUL << (8 * MT_NORMAL)) | (0x44UL << (8 * MT_NORMAL_NC)))

/* ID_AA64MMFR0_EL1 */
#define ID_AA64MMFR0_PARANGE_MASK 0xFUL

/* ID_AA64ISAR0_EL1 */
#define ID_AA64ISAR0_RNDR_SHIFT	 60
#define ID_AA64ISAR0_CRC32_SHIFT 16

/* CTR_EL0, DCZID_EL0 */
#define CTR_EL0_DMINLINE_SHIFT 16
#define DCZID_EL0_BS_MASK      0xFUL
#define DCZID_EL0_DZP	       (1UL << 4)

/* ESR_ELx */
#define ESR_ELx_EC_SHIFT 26
#define ESR_ELx_EC_MASK	 0x3FUL
#define ESR_ELx_IL	 (1UL << 25)
#define ESR_ELx_ISS_MASK 0x1FFFFFFUL
#define ESR_ELx_EC(esr)	 (((esr) >> ESR_ELx_EC_SHIFT) & ESR_ELx_EC_MASK)

#define ESR_EC_UNKNOWN	0x00
#define ESR_EC_WFx	0x01
#define ESR_EC_FP_ASIMD 0x07
#define ESR_EC_PAC_TRAP 0x09 /* a PAC instruction, HCR_EL2.API clear */
#define ESR_EC_ILL	0x0E
#define ESR_EC_SVC64	0x15
#define ESR_EC_HVC64	0x16
#define ESR_EC_SMC64	0x17
#define ESR_EC_SYS64	0x18
#define ESR_EC_SVE	0x19
#define ESR_EC_PAC	0x1C
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR	0x2F
#define ESR_EC_BRK64	0x3C

/* Data/instruction abort ISS */
#define ESR_ISS_DABT_ISV   (1UL << 24)
#define ESR_ISS_DABT_CM	   (1UL << 8)
#define ESR_ISS_DABT_S1PTW (1UL << 7)
#define ESR_ISS_DABT_WNR   (1UL << 6)
#define ESR_ISS_xFSC_MASK  0x3FUL

/* SPSR_ELx */
#define SPSR_MODE_MASK	0xFUL
#define SPSR_D		(1UL << 9)
#define SPSR_A		(1UL << 8)
#define SPSR_I		(1UL << 7)
#define SPSR_F		(1UL << 6)
#define SPSR_BTYPE_MASK (3UL << 10)
#define SPSR_SSBS	(1UL << 12)
#define SPSR_IL		(1UL << 20)
#define SPSR_SS_SHIFT	21 /* also for guest_entry.S */
#define SPSR_SS		(1UL << SPSR_SS_SHIFT)
#define SPSR_PAN	(1UL << 22)
#define SPSR_UAO	(1UL << 23)
#define SPSR_DIT	(1UL << 24)
#define SPSR_TCO	(1UL << 25)
#define SPSR_AA32_DIT	(1UL << 21) /* an AArch32 SPSR keeps DIT here */

/* SCTLR_EL1 */
#define SCTLR_EL1_SPAN	(1UL << 23)
#define SCTLR_EL1_DSSBS (1UL << 44)

#ifndef __ASSEMBLY__

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		unsigned long __v;                                                                 \
		__asm__ __volatile__("mrs %0, " #r : "=r"(__v));                                   \
		__v;                                                                               \
	})

#define write_sysreg(v, r)                                                                         \
	do {                                                                                       \
		unsigned long __v = (unsigned long)(v);                                            \
		__asm__ __volatile__("msr " #r ", %x0" : : "rZ"(__v) : "memory");                  \
	} while (0)

#define isb()	 __asm__ __volatile__("isb" ::: "memory")
#define dsb(opt) __asm__ __volatile__("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ __volatile__("dmb " #opt ::: "memory")

static inline unsigned int current_el(void)
{
	return (read_sysreg(CurrentEL) >> CURRENTEL_EL_SHIFT) & 3;
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

#endif /* __ASSEMBLY__ */
#endif
