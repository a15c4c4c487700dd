# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += format
format-srcs := core/format.c tests/unit/test_format.c
