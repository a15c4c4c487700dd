/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_CRC32C_H
#define ASM_CRC32C_H

#include <tern/types.h>

/* The CPU has the CRC32 instructions (ID_AA64ISAR0_EL1.CRC32; every Armv8.1 CPU has them). */
bool crc32c_available(void);

/* CRC32C (Castagnoli, as iSCSI and ext4 use) of @size bytes at @p, only if crc32c_available(). */
u32 crc32c(const void *p, u64 size);

#endif
