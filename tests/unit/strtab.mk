# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += strtab
strtab-srcs := core/strtab.c tests/unit/test_strtab.c
