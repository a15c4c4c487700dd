/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TERN_VISIBILITY_H
#define TERN_VISIBILITY_H

/*
 * Included before every C file of Tern (the Makefile's -include). Tern is one position-independent
 * executable with no shared objects: every symbol it declares is defined in it. Hidden visibility
 * for declarations as well as definitions (which -fvisibility=hidden alone would not give) lets
 * the compiler call and address them PC-relative (BL, ADRP + ADD) instead of loading each address
 * from the GOT, which -fpie does for every symbol of another file. The symbols the compiler
 * itself calls (__stack_chk_fail, memcpy and memset for structure copies) are not declared here:
 * without -fno-plt, ld links those calls as BL too, as the definitions are in the executable.
 */
#ifndef __ASSEMBLY__
#pragma GCC visibility push(hidden)
#endif

#endif
