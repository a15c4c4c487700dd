/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GICv3 list registers by number (vgic_hw_v3.c, vgic_v3_fast.c): system-register names
 * must be constants, hence a switch over all sixteen.
 */
#ifndef VIRT_VGIC_V3_LR_H
#define VIRT_VGIC_V3_LR_H

/* List registers of this machine's interface (ICH_VTR_EL2.ListRegs + 1), found at boot. */
extern unsigned int vgic_nr_lrs;

#define LR_CASE_READ(n, reg)                                                                       \
	case n:                                                                                    \
		return read_sysreg(reg);
#define LR_CASE_WRITE(n, reg)                                                                      \
	case n:                                                                                    \
		write_sysreg(val, reg);                                                            \
		break;
#define LR_LIST(op)                                                                                \
	op(0, s3_4_c12_c12_0) op(1, s3_4_c12_c12_1) op(2, s3_4_c12_c12_2) op(3, s3_4_c12_c12_3)    \
	    op(4, s3_4_c12_c12_4) op(5, s3_4_c12_c12_5) op(6, s3_4_c12_c12_6)                      \
		op(7, s3_4_c12_c12_7) op(8, s3_4_c12_c13_0) op(9, s3_4_c12_c13_1)                  \
		    op(10, s3_4_c12_c13_2) op(11, s3_4_c12_c13_3) op(12, s3_4_c12_c13_4)           \
			op(13, s3_4_c12_c13_5) op(14, s3_4_c12_c13_6) op(15, s3_4_c12_c13_7)

#endif
