/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_TYPES_H
#define TERN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/** Host physical address. Tern's EL2 mapping is an identity map, so it also works as a pointer. */
typedef uintptr_t paddr_t;
/** Guest intermediate physical address (stage-2 input). */
typedef u64 ipa_t;
/** EL2 virtual address. */
typedef uintptr_t vaddr_t;

#endif
